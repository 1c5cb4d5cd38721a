import { linkSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withInstalledRelease } from "../../src/cli/installed-release.ts";
import { defaultAgentId } from "../../src/openclaw/default-agent.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { type EraVersion, jsonOut, makeEraRoot, runEra, writeEraBaseConfig } from "../support/eras.ts";
import type { OpenclawRoot } from "../support/openclaw.ts";

/**
 * The agents roster in a `$include`d file outside the config folder, under OPENCLAW_INCLUDE_ROOTS: the release's
 * own `models auth order get --json` without --agent (the agent it read, or its refusal of the config) against
 * what codex-profiler takes through the CLIs' path (withInstalledRelease: the release is asked since the variable
 * is set). 2026.9.6 and 2026.5.28 follow the include; 2026.4.12 predates OPENCLAW_INCLUDE_ROOTS and refuses the
 * config, so codex-profiler refuses it too (config_invalid) instead of reading the agent another release would.
 */
const REFUSED = "refused";
const ESCAPE = /Include path (escapes config directory|resolves outside config directory \(symlink\))/;
const MARKED = `{ list: [{ id: "alpha" }, { id: "beta", default: true }] }`;

const roots: OpenclawRoot[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r.root, { recursive: true, force: true });
});

/** An era root whose config takes `agents` from `include`, with OPENCLAW_INCLUDE_ROOTS = <root>/shared. */
function state(version: EraVersion, include: (r: OpenclawRoot) => string): OpenclawRoot {
  const r = makeEraRoot(version, `cxp-roots-${version}-`);
  roots.push(r);
  mkdirSync(join(r.root, "shared"));
  mkdirSync(join(r.root, "other"));
  writeEraBaseConfig(r, version, { agents: { $include: include(r) } });
  return { ...r, env: { ...r.env, OPENCLAW_INCLUDE_ROOTS: join(r.root, "shared") } };
}

async function theirs(version: EraVersion, r: OpenclawRoot): Promise<string> {
  const provider = capabilitiesFor(parseOpenclawVersion(version)!).provider;
  const res = await runEra(version, ["models", "auth", "order", "get", "--provider", provider, "--json"], r);
  if (res.code === 0) return jsonOut<{ agentId: string }>(res).agentId;
  expect(`${res.stderr}\n${res.stdout}`).toMatch(ESCAPE);
  return REFUSED;
}

/**
 * What codex-profiler makes of that state through the CLIs' path: REFUSED when reading the profiles refuses the
 * config (no store is seeded: the config is read first), else the agent it takes without --agent.
 */
async function ours(r: OpenclawRoot): Promise<string> {
  const failed = await withInstalledRelease(r.env, (v) => loadProfileSet({ env: r.env, openclawVersion: v })).then(
    () => null,
    (error: unknown) => error as { code?: string; message?: string },
  );
  if (failed?.code === "config_invalid") {
    expect(failed.message).toContain("OPENCLAW_INCLUDE_ROOTS");
    return REFUSED;
  }
  return withInstalledRelease(r.env, async (v) => defaultAgentId(r.env, v));
}

describe("$include under OPENCLAW_INCLUDE_ROOTS: the agent taken equals the release's own", () => {
  it.each([
    ["2026.9.6", "beta"],
    ["2026.5.28", "beta"],
    ["2026.4.12", REFUSED],
  ] as const)(
    "openclaw %s: the roster in <roots>/agents.json5 → %s",
    async (version, expected) => {
      const r = state(version, (root) => join(root.root, "shared/agents.json5"));
      writeFileSync(join(r.root, "shared/agents.json5"), MARKED);
      const agent = await theirs(version, r);
      expect(agent).toBe(expected);
      if (agent !== REFUSED) expect(defaultAgentId(r.env, version)).toBe(agent);
      expect(await ours(r)).toBe(agent);
    },
    600_000,
  );

  it("openclaw 2026.9.6: a link under the root to a file outside every allowed folder is refused by both", async () => {
    const r = state("2026.9.6", () => "../shared/link.json5");
    writeFileSync(join(r.root, "other/agents.json5"), MARKED);
    symlinkSync(join(r.root, "other/agents.json5"), join(r.root, "shared/link.json5"));
    expect(await theirs("2026.9.6", r)).toBe(REFUSED);
    expect(await ours(r)).toBe(REFUSED);
  }, 600_000);
});

/** The code loadProfileSet fails with on a state with no auth store: store_not_found once the config was read. */
async function readCode(r: OpenclawRoot): Promise<string | undefined> {
  const failed = await loadProfileSet({ env: r.env, openclawVersion: "2026.9.6" }).then(
    () => undefined,
    (error: unknown) => (error as { code?: string }).code,
  );
  return failed;
}

describe("openclaw 2026.9.6: the bounds of openclaw.json and its includes are the release's own", () => {
  it("a hardlinked include is refused by both (OpenClaw's no-hardlinks check)", async () => {
    const r = state("2026.9.6", () => "./agents.json5");
    writeFileSync(join(r.stateDir, "agents.json5"), MARKED);
    linkSync(join(r.stateDir, "agents.json5"), join(r.root, "other/agents.json5"));
    const res = await runEra("2026.9.6", ["models", "auth", "order", "get", "--provider", "openai", "--json"], r);
    expect(res.code).not.toBe(0);
    expect(`${res.stderr}\n${res.stdout}`).toContain("no hardlinks");
    expect(await readCode(r)).toBe("config_invalid");
  }, 600_000);

  it("an include of 1.5 MB and a config of 1.1 MB (its meta.lastTouchedVersion) are read by both", async () => {
    const r = state("2026.9.6", () => "./agents.json5");
    writeFileSync(join(r.stateDir, "agents.json5"), `${MARKED}\n// ${"y".repeat(1536 * 1024)}\n`);
    const path = join(r.stateDir, "openclaw.json");
    const config = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...config, meta: { lastTouchedVersion: "x".repeat(1100 * 1024) } }));
    expect(await theirs("2026.9.6", r)).toBe("beta");
    expect(await readCode(r)).toBe("store_not_found");
    expect(defaultAgentId(r.env, "2026.9.6")).toBe("beta");
  }, 600_000);
});
