import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { type EraLayout, type EraState, eraState, removeEraState } from "../support/era-state.ts";
import { type EraVersion, jsonOut, makeEraRoot, runEra, writeEraBaseConfig } from "../support/eras.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import type { OpenclawRoot } from "../support/openclaw.ts";

/**
 * Every OpenClaw release of the era matrix runs here, offline, on its own Node 24: its `--version`,
 * and a state settled the way its users have it (legacy file → its own doctor where it imports the
 * file → its own `models auth order set`), read back with its own `models auth order get` and
 * `models status`. What each release reports is what the era table in the report says.
 */
const SLOW = 900_000;
const EXPECTED: Record<EraVersion, { layout: EraLayout; provider: string; effectiveInStatus: boolean }> = {
  "2026.4.5": { layout: "auth-profiles.json", provider: "openai-codex", effectiveInStatus: false },
  "2026.4.12": { layout: "auth-profiles.json+auth-state.json", provider: "openai-codex", effectiveInStatus: false },
  "2026.5.28": { layout: "auth-profiles.json+auth-state.json", provider: "openai-codex", effectiveInStatus: true },
  "2026.6.11": { layout: "agent-sqlite", provider: "openai", effectiveInStatus: true },
  "2026.7.1": { layout: "agent-sqlite", provider: "openai", effectiveInStatus: true },
  "2026.8.2": { layout: "state-sqlite", provider: "openai", effectiveInStatus: true },
  "2026.9.6": { layout: "state-sqlite", provider: "openai", effectiveInStatus: true },
};
const ACCOUNTS = FIXTURE_ACCOUNTS.slice(0, 3);
const states: EraState[] = [];
const roots: OpenclawRoot[] = [];
afterAll(() => {
  for (const s of states) removeEraState(s);
  for (const r of roots) rmSync(r.root, { recursive: true, force: true });
});

interface StatusJson {
  auth?: {
    oauth?: {
      profiles?: Array<{ profileId: string }>;
      providers?: Array<{ provider: string; effectiveProfiles?: Array<{ profileId: string }> }>;
    };
  };
}

describe.each(Object.keys(EXPECTED) as EraVersion[])("openclaw %s", (version) => {
  const expected = EXPECTED[version];

  it(
    "runs offline on its own Node 24 and says which release it is",
    async () => {
      const r = makeEraRoot(version);
      roots.push(r);
      writeEraBaseConfig(r, version);
      const res = await runEra(version, ["--version"], r);
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`OpenClaw ${version}`);
      const viaLauncher = spawnSync("openclaw", ["--version"], { env: r.env, encoding: "utf8" });
      expect(viaLauncher.stdout).toContain(`OpenClaw ${version}`);
    },
    SLOW,
  );

  it(
    "settles a legacy file into its own layout and stores the order its own order set was given",
    async () => {
      const s = await eraState(version);
      states.push(s);
      expect(s.layout).toBe(expected.layout);
      expect(s.provider).toBe(expected.provider);
      expect(s.profileIds.toSorted()).toEqual(ACCOUNTS.map((a) => `${expected.provider}:${a.name}`).toSorted());
      const wanted = [`${expected.provider}:carol@example.com`, `${expected.provider}:alice@example.com`];
      expect(s.storedOrder).toEqual(wanted);

      // The copy handed out is as good as the template: the release reads it back the same way.
      const scope = ["--provider", s.provider, "--agent", "main"];
      const get = await runEra(version, ["models", "auth", "order", "get", ...scope, "--json"], s.root);
      expect(get.code).toBe(0);
      expect(jsonOut<{ order: string[] | null }>(get).order).toEqual(wanted);
      const status = await runEra(version, ["models", "status", "--json"], s.root);
      expect(status.code).toBe(0);
      const oauth = jsonOut<StatusJson>(status).auth?.oauth;
      expect((oauth?.profiles ?? []).map((p) => p.profileId).toSorted()).toEqual(s.profileIds.toSorted());
      const provider = (oauth?.providers ?? []).find((p) => p.provider === s.provider);
      if (expected.effectiveInStatus) expect(provider?.effectiveProfiles?.map((p) => p.profileId)).toEqual(wanted);
      else expect(provider).not.toHaveProperty("effectiveProfiles");
    },
    SLOW,
  );
});
