import { afterAll, describe, expect, it } from "vitest";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { type EraState, eraState, removeEraState } from "./era-state.ts";
import { type EraDepth, type EraVersion, jsonOut, runEra, skipsChanges, writeEraBaseConfig } from "./eras.ts";

const SLOW = 1_200_000;
const NO_EFFECT: EraVersion[] = ["2026.5.28", "2026.6.11", "2026.7.1"];

/**
 * A change for a second agent (`work`, no profiles of its own: they come from main, whose order is carol, alice).
 * The oracle is the release's own `order get --agent work` before and after the `order set` codex_auth applied:
 * where it reads back what it was given, codex_auth's put-first must verify; where the set exits 0 and it reads
 * back the order from before (2026.5.28 to 7.1), codex_auth must report verify_mismatch saying the command had no
 * effect, and re-apply nothing.
 */
export function describeSecondAgentCheck(version: EraVersion, depth: EraDepth): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  const withWork = async (): Promise<EraState> => {
    const s = await eraState(version);
    cleanups.push(() => removeEraState(s));
    writeEraBaseConfig(s.root, version, { agents: { list: [{ id: "main", default: true }, { id: "work" }] } });
    return s;
  };
  const id = (name: string): string => `${caps.provider}:${name}`;
  const scope = ["--provider", caps.provider, "--agent", "work"];
  const orderOf = async (s: EraState): Promise<string[] | null> =>
    jsonOut<{ order: string[] | null }>(
      await runEra(version, ["models", "auth", "order", "get", ...scope, "--json"], s.root),
    ).order;

  describe.skipIf(skipsChanges(depth))(
    `openclaw ${version}: put-first for a second agent without profiles of its own`,
    () => {
      it(
        "verified where the release stores it; reported as no effect where its order set exits 0 and stores nothing",
        async () => {
          const s = await withWork();
          const cli = new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 });
          const before = await orderOf(s);
          const res = await runAuthOperation(
            { kind: "put-first", id: "bob@example.com" },
            { env: s.root.env, confirm: true, cli, agentId: "work" },
          );
          const argv = res.plan?.commands[0] ?? [];
          expect(argv.slice(0, 8)).toEqual(["models", "auth", "order", "set", ...scope]);
          const given = argv.slice(8);
          expect(given[0]).toBe(id("bob@example.com"));
          expect(res.applied.map((a) => a.command)).toEqual([argv]);

          // The oracle: what the release itself reads back after that argv, outside the code under test.
          const after = await orderOf(s);
          const stores = JSON.stringify(after) === JSON.stringify(given);
          // As observed: 2026.5.28, 6.11 and 7.1 exit 0 and read back main's order; 4.12, 8.2 and 9.6 store it
          // (4.5, 7.1 and 9.6 skip this check: eras.ts EraDepth).
          expect(stores).toBe(!NO_EFFECT.includes(version));
          if (stores) {
            expect({ outcome: res.outcome, error: res.error }).toEqual({ outcome: "ok", error: null });
          } else {
            expect(after).toEqual(before);
            expect(res.outcome).toBe("verify_mismatch");
            expect(res.verify?.observed.storedOrder).toEqual(before);
            expect(res.notes.join(" ")).toMatch(/exited 0, yet the order it reads back for agent work .* no effect/);
            expect(res.notes.join(" ")).not.toMatch(/Another writer/);
          }
        },
        SLOW,
      );
    },
  );
}
