import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ALERTS_OFF } from "../../src/rotation/alert-settings.ts";
import { NO_REPLY, runJobTick } from "../../src/rotation/job.ts";
import type { RotationDeps } from "../../src/rotation/rotate.ts";
import { runUsageCheck } from "../../src/usage/check.ts";
import { copyTemplateState, type OpenclawRoot, removeRoot } from "../support/openclaw.ts";
import { type RecordingOrderPort, recordingOrderPort } from "../support/rotation-fakes.ts";
import { type Scenario, startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * The auto-switch job over accounts of every limit shape: the real usage engine reads a real OpenClaw state's
 * four accounts over HTTP from the loopback simulator, the job ticks every 10 minutes, a recording port holds
 * the order.
 */
const START = Date.UTC(2026, 9, 5, 0, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const ID = {
  alice: "openai:alice@example.com",
  bob: "openai:bob@example.com",
  carol: "openai:carol@example.com",
  dave: "openai:dave@example.com",
} as const;
type Who = keyof typeof ID;

const win = (now: number, left: number, seconds: number, resetInMs: number) => ({
  used_percent: 100 - left,
  limit_window_seconds: seconds,
  reset_after_seconds: Math.round(resetInMs / 1000),
  reset_at: Math.floor((now + resetInMs) / 1000),
});
/** A 5-hour + weekly account with `five` and `week` percent left; its week resets `weekResetH` hours after START. */
const plus =
  (five: number, week: number, weekResetH: number): Scenario =>
  ({ nowMs }) => ({
    status: 200,
    headers: { "content-type": "application/json" },
    body: {
      plan_type: "plus",
      rate_limit: {
        allowed: five > 0 && week > 0,
        limit_reached: five <= 0 || week <= 0,
        primary_window: win(nowMs, five, 18_000, 3 * HOUR),
        secondary_window: win(nowMs, week, 604_800, START + weekResetH * HOUR - nowMs),
      },
    },
  });

describe("the auto-switch job over every limit shape", () => {
  let sim: UsageSimulator;
  let root: OpenclawRoot;
  let dir: string;
  let clock: number;
  let port: RecordingOrderPort;
  let deps: RotationDeps;

  const serve = (scenarios: Partial<Record<Who, Scenario>>) => {
    for (const [who, s] of Object.entries(scenarios)) sim.setScenario(`user-${who}`, s);
  };
  const alerts = { ...ALERTS_OFF, enabled: true };
  const tick = async () => {
    clock += 10 * MIN;
    sim.setNow(clock);
    return runJobTick("main", deps, {}, alerts);
  };

  beforeAll(async () => {
    root = await copyTemplateState("cxp-rot-shapes-");
    sim = await startUsageSimulator({ nowMs: START });
  });
  afterAll(async () => {
    await sim?.close();
    if (root) removeRoot(root);
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cxp-rot-shapes-cache-"));
    clock = START;
    port = recordingOrderPort([ID.alice, ID.bob, ID.carol, ID.dave]);
    const env = { ...root.env, CODEX_PROFILER_USAGE_URL: sim.url, CODEX_PROFILER_CACHE_DIR: dir };
    deps = {
      readUsage: () => runUsageCheck({ selection: "all", agentId: "main", env, useCache: false, now: () => clock }),
      order: port,
      historyPath: join(dir, "usage-history.json"),
      statePath: join(dir, "rotation-state.json"),
      now: () => clock,
    };
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the first account in place while its usage cannot be read (429, 502), and does not flap", async () => {
    // alice's week lapses first: expiry-first keeps her first; the others have more left but reset later.
    serve({ alice: plus(60, 50, 24), bob: plus(90, 90, 120), carol: plus(80, 80, 130), dave: plus(70, 70, 140) });
    expect((await tick()).output).toBe(NO_REPLY);
    const badGateway: Scenario = () => ({
      status: 502,
      headers: { "content-type": "text/plain" },
      body: "bad gateway",
    });
    for (const failure of [{ kind: "rate_limited_429", retryAfterSec: null } as const, badGateway]) {
      serve({ alice: failure });
      const t = await tick();
      expect(t.rotation?.why).toBe(`${ID.alice} stays first: its usage could not be read this time`);
      expect(t.output).toBe(NO_REPLY);
      serve({ alice: plus(60, 50, 24) });
      expect((await tick()).output).toBe(NO_REPLY);
    }
    expect(port.sets).toEqual([]);
    expect(port.order[0]).toBe(ID.alice);
  });

  it("puts the account that goes on with credits first when all are out of their included limits, once", async () => {
    serve({ alice: plus(0, 50, 100), bob: "credits_continue", carol: plus(0, 60, 110), dave: plus(0, 70, 120) });
    const t1 = await tick();
    expect(t1.output.split("\n")).toEqual([
      "Codex order changed: bob@example.com is first now, was alice@example.com (alice@example.com 5h used up, back " +
        "in 3h). No Codex profile has included usage left; bob@example.com goes on with credits meanwhile.",
      "⚠️ Codex: bob@example.com (first in the order) has used up its 5h limit and goes on with credits; it resets " +
        "in 2h 10m.",
    ]);
    expect(t1.rotation?.reasons.find((r) => r.profile === ID.bob)).toMatchObject({
      on_credits: true,
      reason: "limited: 5h used up, back in 2h 10m; goes on with credits meanwhile",
    });
    for (let i = 0; i < 3; i++) expect((await tick()).output).toBe(NO_REPLY);
    expect(port.sets.map((s) => s.ids[0])).toEqual([ID.bob]);
    // A plain account back with room takes over from the credits: they are spent only while nothing else serves.
    serve({ carol: plus(90, 60, 110) });
    expect((await tick()).output).toMatch(
      /^Codex order changed: carol@example\.com is first now, was bob@example\.com/,
    );
  });

  it("mixed shapes: a blocked workspace leaves first; a Spark limit or 90-minute window decides nothing", async () => {
    serve({
      alice: "workspace_credits_depleted",
      bob: "spark_spent",
      carol: "ninety_minute_window",
      dave: "team_monthly",
    });
    const t1 = await tick();
    expect(t1.output).toBe(
      "Codex order changed: bob@example.com is first now, was alice@example.com (alice@example.com workspace out " +
        "of credits, back time unknown).",
    );
    expect(t1.rotation?.proposed).toEqual([ID.bob, ID.carol, ID.dave, ID.alice]);
    for (let i = 0; i < 3; i++) expect((await tick()).output).toBe(NO_REPLY);
    expect(port.sets).toHaveLength(1);
  });
});
