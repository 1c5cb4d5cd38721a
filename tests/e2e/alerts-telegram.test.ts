import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { readRotationState } from "../../src/rotation/rotation-state.ts";
import { type BotCall, type FakeTelegram, startFakeTelegram, TEST_USER } from "../support/fake-telegram.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { type Gateway, startGateway } from "../support/gateway.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
  runOpenclaw,
} from "../support/openclaw.ts";
import { captureRuntime } from "../support/rotation-fakes.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * Alerts end to end: the real OpenClaw 2026.9.6 gateway with the plugin (alerts on, announced to the owner's
 * Telegram chat), the alert job installed with `codex_rotate alerts install` through `openclaw cron`, each tick
 * run by OpenClaw's scheduler (`openclaw cron run --wait`) and delivered by OpenClaw's own cron delivery to the
 * fake Bot API. The condition is bob's account needing a new login, switched on and off in the usage simulator.
 */
const SECRETS = FIXTURE_ACCOUNTS.map((a) => `fake-refresh-${a.userId}-0123456789`);
const OWNER = String(TEST_USER.id);
// The owner's group: a negative chat id, which has to be written telegram:<id> (a bare "-…" reads as an option).
const GROUP = "-1001234567890";

describe("alerts through OpenClaw's scheduler and cron delivery", () => {
  let sim: UsageSimulator;
  let tg: FakeTelegram;
  let root: OpenclawRoot;
  let gw: Gateway;
  let cacheDir: string;
  let env: NodeJS.ProcessEnv;
  let jobId: string;
  const runs: string[] = [];

  beforeAll(async () => {
    sim = await startUsageSimulator({ defaultScenario: { kind: "ok", fiveHourUsed: 20, weeklyUsed: 30 } });
    tg = await startFakeTelegram();
    ensureOpenclawBin();
    root = await copyTemplateState("cxp-alerts-");
    cacheDir = mkdtempSync(join(tmpdir(), "cxp-alerts-cache-"));
    const extra = { CODEX_PROFILER_USAGE_URL: sim.url, CODEX_PROFILER_CACHE_DIR: cacheDir };
    env = { ...root.env, ...extra };
    gw = await startGateway({
      root,
      pluginDir: PROJECT_ROOT,
      pluginId: "codex-profiler",
      pluginConfig: { alerts: { enabled: true, channel: "telegram", to: `telegram:${GROUP}` } },
      telegram: { apiRoot: tg.apiRoot, botToken: tg.botToken, allowFrom: [OWNER] },
      env: extra,
      readyTimeoutMs: 600_000, // seconds when idle; minutes were seen under the full suite's load
    });
  }, 720_000);

  afterAll(async () => {
    await gw?.stop();
    await tg?.close();
    await sim?.close();
    if (root) {
      const log = join(root.root, "openclaw.log");
      expectNoSecrets(
        [
          JSON.stringify(tg?.calls ?? []),
          ...runs,
          gw?.output() ?? "",
          existsSync(log) ? readFileSync(log, "utf8") : "",
        ],
        SECRETS,
      );
      removeRoot(root);
    }
    if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  const toGroup = (c: BotCall) => c.method === "sendMessage" && String(c.params.chat_id) === GROUP;

  /** One tick by OpenClaw's scheduler; returns what reached the owner's group. */
  async function tick(): Promise<string[]> {
    // The usage cache would answer for 60 s; each tick here stands for one ten minutes apart.
    rmSync(join(cacheDir, "usage-cache.json"), { force: true });
    const since = tg.calls.length;
    const res = await runOpenclaw(["cron", "run", jobId, "--wait", "--wait-timeout", "150s", "--json"], root, 200_000);
    runs.push(res.stdout, res.stderr);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('"completionStatus": "succeeded"');
    // Delivery may trail the run's completion by a moment.
    await new Promise((r) => setTimeout(r, 3000));
    // Telegram gets HTML (the channel links an email address): the words are compared.
    return tg.calls
      .slice(since)
      .filter(toGroup)
      .map((c) => String(c.params.text).replace(/<[^>]+>/g, ""));
  }

  it("alerts install adds one command job announced to the owner's Telegram chat", async () => {
    const rt = captureRuntime();
    await rotateCommand(["alerts", "install", "--yes", "--format", "json"], rt, { env });
    expect(rt.code, JSON.stringify(rt.json) + rt.err.join("\n")).toBe(0);
    const job = (rt.json[0] as { job: { id: string; payload: { argv: string[] } } }).job;
    expect(job.payload.argv).toEqual([join(PROJECT_ROOT, "scripts/codex_rotate"), "alerts", "run", "--agent", "main"]);
    jobId = job.id;
  }, 300_000);

  it("nothing to say: the run prints NO_REPLY and nothing reaches the chat", async () => {
    expect(await tick()).toEqual([]);
  }, 300_000);

  it("bob needs a new login: exactly one alert reaches the chat; none on the next tick", async () => {
    sim.setScenario("user-bob", "token_invalidated");
    const first = await tick();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(/^🔴 Codex: bob@example\.com needs a new login \(auth_not_accepted_by_usage_endpoint\)\./);
    expect(await tick()).toEqual([]);
  }, 600_000);

  it("once it cleared nothing is sent; when it comes back, one alert again", async () => {
    sim.setScenario("user-bob", { kind: "ok", fiveHourUsed: 10, weeklyUsed: 10 });
    expect(await tick()).toEqual([]);
    expect(readRotationState(join(cacheDir, "rotation-state.json")).agents.main?.alerts).toEqual({});
    sim.setScenario("user-bob", "token_invalidated");
    expect(await tick()).toEqual([expect.stringMatching(/^🔴 Codex: bob@example\.com needs a new login/)]);
  }, 600_000);
});
