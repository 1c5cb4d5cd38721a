import { afterAll, describe, expect, it } from "vitest";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { addEraProfiles, eraState, removeEraState } from "./era-state.ts";
import { type EraVersion, jsonOut, oracleOrder, runEra, writeEraBaseConfig } from "./eras.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential } from "./fixtures.ts";

const SLOW = 1_200_000;

/**
 * A store holding Codex profiles under both provider ids (the other side of the 2026.6 rename) and an openai API
 * key, with a configured order naming them all: codex_usage must list and order only the profiles the release
 * itself uses for Codex, as its `models status` or (4.x) its own resolveAuthProfileOrder says.
 */
export function describeSideBySideCheck(version: EraVersion): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const id = (name: string): string => `${caps.provider}:${name}`;
  const [ALICE, CAROL] = ["alice@example.com", "carol@example.com"];
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });

  describe(`openclaw ${version}: openai and openai-codex profiles side by side`, () => {
    it(
      "codex_usage lists and orders only the profiles the release itself uses for Codex",
      async () => {
        const s = await eraState(version, { order: null });
        cleanups.push(() => removeEraState(s));
        const other = caps.provider === "openai" ? "openai-codex" : "openai";
        const stray = `${other}:${FIXTURE_ACCOUNTS[3]!.name}`;
        const expSec = Math.floor(Date.now() / 1000) + 365 * 86_400;
        addEraProfiles(s, {
          [stray]: fixtureCredential(FIXTURE_ACCOUNTS[3]!, other, expSec),
          "openai:key": { type: "api_key", provider: "openai", key: "sk-test-0000000000" },
        });
        writeEraBaseConfig(s.root, version, {
          auth: { order: { [caps.provider]: [stray, "openai:key", id(CAROL), id(ALICE)] } },
        });
        // The order the release tries for Codex: its `models status` (2026.6+), or its own resolveAuthProfileOrder
        // where status leaves out profiles of another provider id (5.28's API-key backup) or has no order (4.x).
        const status = caps.sqliteStore ? await runEra(version, ["models", "status", "--json"], s.root) : null;
        type Providers = {
          auth: { oauth: { providers: Array<{ provider: string; effectiveProfiles?: Array<{ profileId: string }> }> } };
        };
        const reported = status
          ? jsonOut<Providers>(status).auth.oauth.providers.find((p) => p.provider === caps.provider)
          : null;
        const reference = reported
          ? (reported.effectiveProfiles ?? []).map((p) => p.profileId)
          : await oracleOrder(version, s.root, s.provider);
        expect(reference).not.toContain(stray);

        const set = await loadProfileSet({ env: s.root.env });
        expect(set.profiles.map((p) => p.id).toSorted()).toEqual(s.profileIds.toSorted());
        expect(set.effectiveOrder).toEqual(reference.filter((i) => s.profileIds.includes(i)));
        expect(set.defaultProfileId).toBe(id(CAROL));
        expect(set.warnings?.join(" ")).toContain(stray);
        // What models-auth plans from: 2026.4.x's rules where it reports no order of its own.
        const rules = caps.statusEffectiveProfiles ? {} : { orderRules: "2026.4" as const };
        expect((await loadProfileSet({ env: s.root.env, ...rules })).providerOrder).toEqual(reference);
      },
      SLOW,
    );
  });
}
