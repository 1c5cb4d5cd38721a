import { runAuthOperation } from "../src/models-auth/pipeline.ts";
import { OpenclawCli } from "../src/openclaw-cli/runner.ts";
import { copyTemplateState, ensureOpenclawBin, removeRoot, runOpenclaw } from "../tests/support/openclaw.ts";

/**
 * The wall time of an order change through the whole pipeline (preflight: 3 parallel reads → set →
 * verify: 3 parallel reads) against one plain `openclaw models auth order get --json`, both measured
 * now on a private copy of the template state. Target: pipeline ≤ 3.2 × one call. `openclaw --version`
 * runs once per process and is warmed first, as in a real run.
 */
export default async function benchPipeline(): Promise<void> {
  const root = await copyTemplateState("cxp-bench-gw-");
  try {
    const cli = new OpenclawCli({ env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() }, timeoutMs: 300_000 });
    await cli.version();
    const getOnce = async (): Promise<number> => {
      const res = await runOpenclaw(
        ["models", "auth", "order", "get", "--provider", "openai", "--json"],
        root,
        300_000,
      );
      if (res.code !== 0) throw new Error(`order get failed (${res.code})`);
      return res.ms;
    };
    const get1 = await getOnce();
    const started = Date.now();
    const result = await runAuthOperation(
      { kind: "order-set", ids: ["openai:bob@example.com", "openai:alice@example.com"] },
      { confirm: true, cli },
    );
    const pipelineMs = Date.now() - started;
    const get2 = await getOnce();
    const getMs = (get1 + get2) / 2;
    const ratio = pipelineMs / getMs;
    console.log("pipeline: order change through preflight → apply → verify vs one `openclaw models auth order get`");
    console.log(`  one order get: ${get1} ms, ${get2} ms (mean ${getMs.toFixed(0)} ms)`);
    console.log(
      `  order set through the pipeline: ${pipelineMs} ms (ok=${result.ok}, ` +
        `verify=${result.verify?.matches ?? "n/a"}, 5 openclaw calls in 3 sequential steps: status + order get, ` +
        `order set, status + order get)`,
    );
    console.log(`  ratio: ${ratio.toFixed(2)} (target ≤ 3.2) ${ratio <= 3.2 ? "PASS" : "OVER TARGET"}`);
  } finally {
    removeRoot(root);
  }
}
