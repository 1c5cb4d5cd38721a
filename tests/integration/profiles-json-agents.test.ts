import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { type EraState, eraState, removeEraState } from "../support/era-state.ts";
import { jsonOut, runEra, writeEraBaseConfig } from "../support/eras.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential } from "../support/fixtures.ts";
import { stateDigest } from "../support/state-digest.ts";

/**
 * A second agent in the JSON era, on a state the real openclaw@2026.5.28 wrote: main's three Codex profiles
 * with the order carol, alice (its own `models auth order set`), and an agent `work`. Its own
 * `models auth order set --agent work` writes agents/work/agent/auth-profiles.json with no profiles (and, in
 * 2026.5.28, no order), and `models status --agent work` still lists main's; codex_usage --agent work must read
 * exactly what it lists, in its effective order.
 */
const VERSION = "2026.5.28";
const SLOW = 1_200_000;

interface Listed {
  ids: string[];
  effective: string[];
  expiresAt: Record<string, number>;
}

async function statusOfWork(s: EraState): Promise<Listed> {
  const res = await runEra(VERSION, ["models", "status", "--json", "--agent", "work"], s.root);
  expect(res.code, res.stderr.slice(-400)).toBe(0);
  type Row = { profileId: string; expiresAt: number };
  const status = jsonOut<{ auth: { oauth: { providers: Array<{ profiles: Row[]; effectiveProfiles: Row[] }> } } }>(res);
  const codex = status.auth.oauth.providers[0]!;
  return {
    ids: codex.profiles.map((p) => p.profileId).sort(),
    effective: codex.effectiveProfiles.map((p) => p.profileId),
    expiresAt: Object.fromEntries(codex.profiles.map((p) => [p.profileId, p.expiresAt])),
  };
}

describe(`openclaw ${VERSION}: a sub-agent's own store over the main agent's`, () => {
  let s: EraState;
  const workStore = (): string => join(s.root.stateDir, "agents/work/agent/auth-profiles.json");
  beforeAll(async () => {
    s = await eraState(VERSION);
    writeEraBaseConfig(s.root, VERSION, { agents: { list: [{ id: "main", default: true }, { id: "work" }] } });
  }, SLOW);
  afterAll(() => removeEraState(s));

  it(
    "the empty store its own --agent work wrote: main's profiles and order, as its models status lists them",
    async () => {
      const set1 = ["models", "auth", "order", "set", "--provider", s.provider, "--agent", "work"];
      const res = await runEra(VERSION, [...set1, `${s.provider}:bob@example.com`], s.root);
      expect(res.code, res.stderr.slice(-400)).toBe(0);
      expect(JSON.parse(readFileSync(workStore(), "utf8"))).toEqual({ version: 1, profiles: {} });
      const listed = await statusOfWork(s);
      expect(listed.ids).toEqual(s.profileIds.toSorted());

      const before = stateDigest(s.root.root);
      const set = await loadProfileSet({ env: s.root.env, agentId: "work" });
      expect(stateDigest(s.root.root)).toEqual(before);
      expect(set.profiles.map((p) => p.id).toSorted()).toEqual(listed.ids);
      expect(set.effectiveOrder).toEqual(listed.effective);
      expect(set.effectiveOrder).toEqual(s.storedOrder);
      expect(set.location.files).toContain(workStore());
    },
    SLOW,
  );

  it(
    "its own copy of a profile wins over main's, its own extra profile joins, main's order still applies",
    async () => {
      const exp = Math.floor(Date.now() / 1000) + 100 * 86400;
      const carol = `${s.provider}:carol@example.com`;
      const erin = { ...FIXTURE_ACCOUNTS[0]!, name: "erin@example.com", email: "erin@example.com" };
      mkdirSync(join(workStore(), ".."), { recursive: true });
      const profiles = {
        [carol]: fixtureCredential(FIXTURE_ACCOUNTS[2]!, s.provider, exp),
        [`${s.provider}:erin@example.com`]: fixtureCredential(erin, s.provider, exp),
      };
      writeFileSync(workStore(), JSON.stringify({ version: 1, profiles }));
      const listed = await statusOfWork(s);
      expect(listed.expiresAt[carol]).toBe(exp * 1000);

      const set = await loadProfileSet({ env: s.root.env, agentId: "work" });
      expect(set.profiles.map((p) => p.id).toSorted()).toEqual(listed.ids);
      expect(set.effectiveOrder).toEqual(listed.effective);
      expect(set.profiles.find((p) => p.id === carol)?.identity.expiresAtMs).toBe(listed.expiresAt[carol]);
    },
    SLOW,
  );
});
