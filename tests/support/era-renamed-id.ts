import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/cli/exit-codes.ts";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { addEraProfiles, type EraState, eraState, removeEraState } from "./era-state.ts";
import { type EraDepth, type EraVersion, jsonOut, runEra, skipsChanges } from "./eras.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential } from "./fixtures.ts";
import { PROJECT_ROOT } from "./openclaw.ts";
import { stateDigest } from "./state-digest.ts";

const SLOW = 1_200_000;

/**
 * Ids typed with the provider name of the other side of the 2026.6 rename (openai-codex → openai), against the
 * release's own binary. An order change maps them onto the release's id (an order holds only that provider's ids;
 * its `order set` refuses the other's). A delete does not: where both ids are saved, the release's own `logout`
 * removes the one named, so codex_auth refuses the other name (other_provider_id) and changes nothing.
 */
export function describeRenamedIdCheck(version: EraVersion, depth: EraDepth): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const other = caps.provider === "openai" ? "openai-codex" : "openai";
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  const state = async (): Promise<EraState> => {
    const s = await eraState(version);
    cleanups.push(() => removeEraState(s));
    return s;
  };
  const [ALICE, CAROL] = [`${caps.provider}:alice@example.com`, `${caps.provider}:carol@example.com`];
  const STRAY = `${other}:alice@example.com`;

  describe(`openclaw ${version}: ids named ${other}:… (the other side of the rename)`, () => {
    it.skipIf(skipsChanges(depth))(
      `retire ${STRAY} retires ${ALICE}, read back by the release's own order get`,
      async () => {
        const s = await state();
        const cli = new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 });
        const res = await runAuthOperation({ kind: "retire", id: STRAY }, { env: s.root.env, confirm: true, cli });
        expect({ outcome: res.outcome, error: res.error }).toEqual({ outcome: "ok", error: null });
        expect(res.applied.map((a) => a.command.at(-1))).toEqual([CAROL]);
        const get = await runEra(
          version,
          ["models", "auth", "order", "get", "--provider", caps.provider, "--json"],
          s.root,
        );
        expect(jsonOut<{ order: string[] | null }>(get).order).toEqual([CAROL]);
      },
      SLOW,
    );

    it.runIf(caps.logout && !skipsChanges(depth))(
      `both saved: the release's logout removes the one named; codex_auth delete ${STRAY} is refused, nothing changed`,
      async () => {
        const expSec = Math.floor(Date.now() / 1000) + 365 * 86_400;
        const both = async (): Promise<EraState> => {
          const s = await state();
          addEraProfiles(s, { [STRAY]: fixtureCredential(FIXTURE_ACCOUNTS[3]!, other, expSec) });
          return s;
        };
        const ids = async (s: EraState): Promise<string[]> => {
          const list = await runEra(version, ["models", "auth", "list", "--json"], s.root);
          return jsonOut<{ profiles: Array<{ id: string }> }>(list).profiles.map((p) => p.id);
        };
        // The oracle: the release's own logout of the other name.
        const own = await both();
        expect(await ids(own)).toEqual(expect.arrayContaining([ALICE, STRAY]));
        expect((await runEra(version, ["models", "auth", "logout", STRAY, "--yes"], own.root)).code).toBe(0);
        const left = await ids(own);
        expect([left.includes(ALICE), left.includes(STRAY)]).toEqual([true, false]);

        const s = await both();
        const authDigest = (): Record<string, string> =>
          Object.fromEntries(Object.entries(stateDigest(s.root.root)).filter(([f]) => s.authFiles.includes(f)));
        const before = authDigest();
        // From the CLI as a user runs it: scripts/codex_auth, the release's launcher first on PATH.
        const env = { ...s.root.env, PATH: `${s.root.env.PATH}:${dirname(process.execPath)}` };
        const cli = spawnSync(join(PROJECT_ROOT, "scripts/codex_auth"), ["delete", STRAY, "--hard", "--yes"], {
          env,
          encoding: "utf8",
        });
        expect(cli.status, cli.stderr).toBe(ExitCode.badInput);
        const said = JSON.parse(cli.stdout) as { error: { code: string; message: string } };
        expect(said.error.code).toBe("other_provider_id");
        expect(said.error.message).toContain(ALICE);
        expect(authDigest()).toEqual(before);
        expect(await ids(s)).toEqual(expect.arrayContaining([ALICE, STRAY]));
      },
      SLOW,
    );
  });
}
