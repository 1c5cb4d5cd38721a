/**
 * The way of one /codex_usage, counted in this run: the src modules a function of which runs during one
 * /codex_usage through the registered plugin (bench/usage-path-child.ts, 4 profiles fetched from the loopback
 * simulator), and the src modules a cached `codex_usage --format json` loads and runs (V8 coverage of that
 * process, NODE_V8_COVERAGE). Issue 13's target: ≤ 25 modules passed.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../tests/support/openclaw.ts";
import { startUsageSimulator } from "../tests/support/usage-simulator.ts";
import { benchEnv, writeState } from "./usage.ts";

interface ScriptCoverage {
  url: string;
  functions: Array<{ functionName: string; ranges: Array<{ count: number }> }>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

const srcPath = (url: string): string => url.replace(/^.*\/src\//, "");
const folders = (files: string[]): string =>
  [...new Set(files.map((f) => f.split("/")[0]))]
    .map((d) => `${d} ${files.filter((f) => f.startsWith(`${d}/`)).length}`)
    .join(", ");

export default async function benchUsagePath(): Promise<void> {
  const sim = await startUsageSimulator({ latencyMs: 0 });
  const root = mkdtempSync(join(tmpdir(), "cxp-bench-path-"));
  const env = { ...benchEnv(root, sim.url), OPENCLAW_STATE_DIR: writeState(root, 4) };
  try {
    console.log("\n## The way of one /codex_usage (4 profiles)");
    const chat = JSON.parse(await run(process.execPath, ["bench/usage-path-child.ts"], env)) as { passed: string[] };
    const n = chat.passed.length;
    console.log(
      `plugin, web chat, readings fetched: ${n} modules passed (target ≤ 25 → ${n <= 25 ? "met" : "MISSED"})`,
    );
    console.log(`  by folder: ${folders(chat.passed)}`);

    const cli = join(PROJECT_ROOT, "scripts/codex_usage");
    await run(cli, ["--format", "json"], env); // fills the cache
    const coverage = join(root, "coverage");
    await run(cli, ["--format", "json"], { ...env, NODE_V8_COVERAGE: coverage });
    const scripts = readdirSync(coverage).flatMap(
      (f) => (JSON.parse(readFileSync(join(coverage, f), "utf8")) as { result: ScriptCoverage[] }).result,
    );
    const loaded = scripts.filter((s) => s.url.includes("/src/"));
    const ran = loaded.filter((s) => s.functions.some((f) => f.functionName !== "" && (f.ranges[0]?.count ?? 0) > 0));
    console.log(
      `codex_usage --format json, every reading cached: ${loaded.length} modules loaded, ${ran.length} ran a function`,
    );
    console.log(`  loaded by folder: ${folders(loaded.map((s) => srcPath(s.url)))}`);
  } finally {
    await sim.close();
    rmSync(root, { recursive: true, force: true });
  }
}
