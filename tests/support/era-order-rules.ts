import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { addEraProfiles, type EraState, eraState, removeEraState } from "./era-state.ts";
import { type EraVersion, jsonOut, oracleOrder, runEra } from "./eras.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential } from "./fixtures.ts";

const SLOW = 1_200_000;

/**
 * The order rules codex-profiler picks without being told the release, against the release's own order, on a
 * state where the releases differ: no order set, the first profile's OAuth token expired (8.2+ sort it last,
 * 6.11 and 7.1 keep it first like the older ones), and an openai API key beside the Codex profiles (5.28 tries it
 * after them, 4.x does not). openclaw.json is written by the release itself (`config set`), so it carries the
 * release's own meta.lastTouchedVersion, as every state that release wrote does.
 */
export function describeOrderRulesCheck(version: EraVersion): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });

  describe(`openclaw ${version}: the order rules without --version (config written by the release)`, () => {
    it(
      "an expired token and an openai API key: our order and default are the release's own",
      async () => {
        const s = await eraState(version, { order: null });
        cleanups.push(() => removeEraState(s));
        const set = await runEra(version, ["config", "set", "update.checkOnStart", "false"], s.root);
        expect(set.code, set.stderr.slice(-400)).toBe(0);
        const config = JSON.parse(readFileSync(join(s.root.stateDir, "openclaw.json"), "utf8"));
        expect(config.meta?.lastTouchedVersion).toBe(version);

        const first = s.profileIds[0]!;
        const account = FIXTURE_ACCOUNTS.find((a) => first.endsWith(`:${a.name}`))!;
        const past = Math.floor(Date.now() / 1000) - 3600;
        addEraProfiles(s, {
          [first]: fixtureCredential(account, s.provider, past),
          "openai:key": { type: "api_key", provider: "openai", key: "sk-test-0000000000" },
        });
        // What the release tries for Codex: its `models status` (2026.6+), else its own resolveAuthProfileOrder
        // (4.x reports no order; 5.28's status leaves out its openai API-key backup).
        const reference = caps.sqliteStore
          ? await reportedOrder(version, s)
          : await oracleOrder(version, s.root, s.provider);
        const codex = reference.filter((id) => s.profileIds.includes(id));
        expect(codex.toSorted()).toEqual(s.profileIds.toSorted());

        const ours = await loadProfileSet({ env: s.root.env });
        expect(ours.effectiveOrder).toEqual(codex);
        expect(ours.defaultProfileId).toBe(codex[0]);
        expect(ours.providerOrder).toEqual(reference);

        // Where the release is known (inside its gateway, or from `--version`), it decides, stamp or not.
        delete config.meta;
        writeFileSync(join(s.root.stateDir, "openclaw.json"), JSON.stringify(config, null, 2));
        const known = await loadProfileSet({ env: s.root.env, openclawVersion: `OpenClaw ${version} (abc1234)` });
        expect([known.effectiveOrder, known.providerOrder]).toEqual([codex, reference]);
        // Neither known nor stamped: a SQLite store still says whose schema it is (its database's user_version).
        // A JSON one does not tell 2026.4.x from 5.28, and is read as 5.28.
        if (caps.sqliteStore) expect((await loadProfileSet({ env: s.root.env })).effectiveOrder).toEqual(codex);
      },
      SLOW,
    );
  });
}

async function reportedOrder(version: EraVersion, s: EraState): Promise<string[]> {
  type Providers = {
    auth: { oauth: { providers: Array<{ provider: string; effectiveProfiles?: Array<{ profileId: string }> }> } };
  };
  const status = await runEra(version, ["models", "status", "--json"], s.root);
  const mine = jsonOut<Providers>(status).auth.oauth.providers.find((p) => p.provider === s.provider);
  return (mine?.effectiveProfiles ?? []).map((p) => p.profileId);
}
