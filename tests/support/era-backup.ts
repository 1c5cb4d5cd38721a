import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import { planFromSet } from "../../src/models-auth/set-plan.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { captureRuntime } from "./capture-runtime.ts";
import { addEraProfiles, type EraState, eraState, removeEraState } from "./era-state.ts";
import { type EraVersion, oracleOrder, runEra } from "./eras.ts";
import { FIXTURE_ACCOUNTS } from "./fixtures.ts";
import { startUsageSimulator } from "./usage-simulator.ts";

const SLOW = 1_200_000;
const KEY = "openai:backup";

/**
 * The release that tries an openai API key for Codex while no openai-codex order is stored (2026.5.28, its "OpenAI
 * API Key Backup"), checked against its own binary: its resolveAuthProfileOrder tries the key last, its `order set`
 * refuses it in an openai-codex order, and once any openai-codex order is stored it no longer tries it. So a
 * change can only store the Codex ids: codex_auth plans that (chat's plan from the set included, whose confirm
 * must pass the CLI preflight) and says the key stops being tried; `order clear` brings it back.
 */
export function describeBackupCheck(version: EraVersion): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  /** No order stored, the key added; `tried` is the release's own order then. */
  const stateWithKey = async (): Promise<{ s: EraState; tried: string[] }> => {
    const s = await eraState(version, { order: null });
    cleanups.push(() => removeEraState(s));
    addEraProfiles(s, { [KEY]: { type: "api_key", provider: "openai", key: "sk-test-0000000000" } });
    return { s, tried: await oracleOrder(version, s.root, s.provider) };
  };

  describe.runIf(caps.backupOutsideOrder)(`openclaw ${version}: an openai API-key backup, no order stored`, () => {
    it(
      "tried until an order is stored, refused in one: the change stores the Codex ids and says so",
      async () => {
        const { s, tried } = await stateWithKey();
        expect(tried.at(-1)).toBe(KEY);
        const codex = tried.slice(0, -1);
        expect(codex.toSorted()).toEqual(s.profileIds.toSorted());

        const withKey = ["models", "auth", "order", "set", "--provider", s.provider, "--agent", "main", ...codex, KEY];
        const refused = await runEra(version, withKey, s.root);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr).toContain(`Auth profile "${KEY}" is for openai, not ${s.provider}.`);

        // Chat's plan, made from the set as read, then confirmed through the CLI pipeline.
        const [first, ...rest] = codex;
        const set = await loadProfileSet({ env: s.root.env });
        const { plan, basis, agentId } = planFromSet({ kind: "retire", id: first! }, set, {
          version: parseOpenclawVersion(version),
          now: Date.now(),
        });
        expect(plan.targetOrder).toEqual(rest);
        expect(plan.summary).toContain(`OpenClaw then stops trying ${KEY} (`);
        const cli = new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 });
        const retire = await runAuthOperation(
          { kind: "retire", id: first! },
          { env: s.root.env, agentId, confirm: true, cli, expectOrder: basis },
        );
        expect({ outcome: retire.outcome, error: retire.error }).toEqual({ outcome: "ok", error: null });
        expect(retire.preflight?.effectiveOrder).toEqual(codex);
        expect(retire.preflight?.unstorableIds).toEqual([KEY]);
        expect(retire.verify).toMatchObject({ matches: true, observed: { storedOrder: rest } });
        expect(retire.notes.join(" ")).toContain(`OpenClaw no longer tries ${KEY} (`);
        // What the note says, by the release's own order resolution.
        expect(await oracleOrder(version, s.root, s.provider)).toEqual(rest);

        const clear = await runAuthOperation({ kind: "order-clear" }, { env: s.root.env, agentId, confirm: true, cli });
        expect({ outcome: clear.outcome, error: clear.error }).toEqual({ outcome: "ok", error: null });
        expect(await oracleOrder(version, s.root, s.provider)).toEqual(tried);
      },
      SLOW,
    );

    it(
      "rotation: the job leaves the change that ends the key to the user; apply --yes stores the Codex ids",
      async () => {
        const { s, tried } = await stateWithKey();
        const first = FIXTURE_ACCOUNTS.find((a) => tried[0] === `${s.provider}:${a.name}`)!;
        const sim = await startUsageSimulator({ defaultScenario: { kind: "ok", fiveHourUsed: 20 } });
        cleanups.push(() => void sim.close());
        sim.setScenario(first.userId, { kind: "ok", fiveHourUsed: 100 });
        const env = { ...s.root.env, CODEX_PROFILER_USAGE_URL: sim.url };

        const job = captureRuntime();
        await rotateCommand(["job", "run"], job, { env });
        expect(job.out.join("\n")).toContain(`but storing an order ends OpenClaw's use of its API-key backup ${KEY};`);
        expect(await oracleOrder(version, s.root, s.provider)).toEqual(tried);

        // A config last written by 2026.4.x (5.28 runs on it without restamping): the store read alone misses the
        // key, and the pipeline's preflight, which asks the release, refuses the job's change instead.
        const configPath = join(s.root.stateDir, "openclaw.json");
        const config = readFileSync(configPath, "utf8");
        const stale = JSON.parse(config) as { meta?: Record<string, unknown> };
        writeFileSync(
          configPath,
          JSON.stringify({ ...stale, meta: { ...stale.meta, lastTouchedVersion: "2026.4.12" } }),
        );
        const staleJob = captureRuntime();
        await rotateCommand(["job", "run"], staleJob, { env });
        expect(staleJob.out.join("\n")).toContain(
          "Codex rotation could not change the order (backup_would_end): " +
            `Storing an order would end OpenClaw's use of ${KEY} (`,
        );
        expect(await oracleOrder(version, s.root, s.provider)).toEqual(tried);
        writeFileSync(configPath, config);

        const apply = captureRuntime();
        await rotateCommand(["apply", "--yes", "--format", "json"], apply, { env });
        expect(apply.code).toBe(0);
        const result = apply.json[0] as { applied: boolean; proposed: string[]; ends_backups: string[] };
        expect(result).toMatchObject({ applied: true, ends_backups: [KEY] });
        expect(result.proposed).not.toContain(KEY);
        expect(result.proposed.at(-1)).toBe(tried[0]);
        expect(await oracleOrder(version, s.root, s.provider)).toEqual(result.proposed);
      },
      SLOW,
    );
  });
}
