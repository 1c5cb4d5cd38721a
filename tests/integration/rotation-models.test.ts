import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import {
  ensureOpenclawBin,
  makeOpenclawRoot,
  type OpenclawRoot,
  removeRoot,
  runOpenclaw,
  writeBaseConfig,
} from "../support/openclaw.ts";
import { captureRuntime } from "../support/rotation-fakes.ts";

/**
 * `codex_rotate models` against the real openclaw: only `models set` / `models fallbacks`, verified by a
 * re-read. Anthropic model ids only: an openai/* model makes openclaw try to install its "codex" plugin
 * from clawhub.ai, which a test must not reach for.
 */
describe("model priority with the real openclaw CLI", () => {
  let root: OpenclawRoot;
  const SLOW = 400_000;
  beforeAll(() => {
    ensureOpenclawBin();
    root = makeOpenclawRoot("cxp-rot-models-");
    writeBaseConfig(root);
  });
  afterAll(() => removeRoot(root));

  const run = async (...argv: string[]) => {
    const rt = captureRuntime();
    await rotateCommand(argv, rt, { env: root.env });
    return rt;
  };

  it(
    "without --yes shows the commands and changes nothing",
    async () => {
      const before = readFileSync(join(root.stateDir, "openclaw.json"), "utf8");
      const rt = await run(
        "models",
        "--primary",
        "anthropic/claude-opus-4-6",
        "--fallbacks",
        "anthropic/claude-sonnet-4-6",
      );
      expect(rt.code).toBe(4);
      expect(rt.out).toEqual([
        "model priority now: (default)",
        "would run: openclaw models set anthropic/claude-opus-4-6",
        "would run: openclaw models fallbacks clear",
        "would run: openclaw models fallbacks add anthropic/claude-sonnet-4-6",
        "Not applied: re-run with --yes.",
      ]);
      // The JSON tells the same exit code the process ends with.
      const json = await run("models", "--primary", "anthropic/claude-opus-4-6", "--format", "json");
      expect(json.code).toBe(4);
      expect(json.json[0]).toMatchObject({ ok: true, exitCode: 4, needs_confirmation: true });
      expect(readFileSync(join(root.stateDir, "openclaw.json"), "utf8")).toBe(before);
    },
    SLOW,
  );

  it(
    "--yes applies through openclaw and verifies by reading back",
    async () => {
      const rt = await run(
        "models",
        "--primary",
        "anthropic/claude-opus-4-6",
        "--fallbacks",
        "anthropic/claude-sonnet-4-6",
        "--yes",
        "--format",
        "json",
      );
      expect(rt.code, JSON.stringify(rt.json)).toBe(0);
      expect(rt.json[0]).toMatchObject({
        ok: true,
        confirmed: true,
        verify: {
          matches: true,
          observed: { primary: "anthropic/claude-opus-4-6", fallbacks: ["anthropic/claude-sonnet-4-6"] },
        },
      });
      const res = await runOpenclaw(["config", "get", "agents.defaults.model", "--json"], root);
      expect(JSON.parse(res.stdout.slice(res.stdout.indexOf("{")))).toEqual({
        primary: "anthropic/claude-opus-4-6",
        fallbacks: ["anthropic/claude-sonnet-4-6"],
      });
      const again = await run(
        "models",
        "--primary",
        "anthropic/claude-opus-4-6",
        "--fallbacks",
        "anthropic/claude-sonnet-4-6",
        "--yes",
      );
      expect(again.out.at(-1)).toBe("Nothing to change.");
    },
    SLOW,
  );

  it("a bad model reference exits 2 before openclaw runs", async () => {
    const before = readFileSync(join(root.stateDir, "openclaw.json"), "utf8");
    const rt = await run("models", "--primary", "openai/gpt-5.5", "--fallbacks", "not a model", "--yes");
    expect(rt.code).toBe(2);
    expect(rt.err[0]).toMatch(/^codex_rotate: invalid_model_ref: /);
    expect(readFileSync(join(root.stateDir, "openclaw.json"), "utf8")).toBe(before);
  });
});
