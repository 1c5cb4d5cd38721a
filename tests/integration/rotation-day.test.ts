import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runUsageCheck } from "../../src/usage/check.ts";
import { legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { copyTemplateState, type OpenclawRoot, removeRoot } from "../support/openclaw.ts";
import type { UsageDay } from "../support/rotation-day.ts";
import { type DayRunResult, runSimulatedDay } from "../support/rotation-day-run.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * A simulated day: the loopback simulator's clock moved through 24 h of usage on the four fixture
 * accounts (read from a real OpenClaw SQLite state by the real usage engine, over HTTP), the job
 * ticking every 10 minutes, the order held by a port that records every change.
 */
const START = Date.UTC(2026, 9, 5, 0, 0, 0);

describe("a simulated day of the auto-switch job", () => {
  let sim: UsageSimulator;
  let root: OpenclawRoot;
  let dir: string;
  let job: DayRunResult;
  let naive: DayRunResult;
  let expiry: DayRunResult;
  let current: UsageDay | null = null;

  beforeAll(async () => {
    root = await copyTemplateState("cxp-rot-day-");
    dir = mkdtempSync(join(tmpdir(), "cxp-rot-day-cache-"));
    sim = await startUsageSimulator({ nowMs: START });
    sim.setDefault((ctx) => {
      if (!current || !ctx.userId) return { status: 401, body: { error: { code: "invalid_token" } } };
      return { status: 200, body: current.body(ctx.userId, ctx.nowMs) };
    });
    const env = { ...root.env, CODEX_PROFILER_USAGE_URL: sim.url, CODEX_PROFILER_CACHE_DIR: dir };
    const readUsage = async (day: UsageDay) => {
      current = day;
      sim.setNow(day.now);
      return runUsageCheck({ selection: "all", agentId: "main", env, useCache: false, now: () => day.now });
    };
    job = await runSimulatedDay({ policy: "job", rankPolicy: "headroom", start: START, dir, readUsage });
    naive = await runSimulatedDay({ policy: "naive", rankPolicy: "headroom", start: START, dir, readUsage });
    expiry = await runSimulatedDay({ policy: "job", rankPolicy: "expiry-first", start: START, dir, readUsage });
  });

  afterAll(async () => {
    await sim?.close();
    if (root) removeRoot(root);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("reads every account over HTTP on every tick", () => {
    // 145 ticks × 4 accounts per run.
    expect(sim.requests.length).toBe(3 * 145 * 4);
    expect(new Set(sim.requests.map((r) => r.userId))).toEqual(
      new Set(["user-alice", "user-bob", "user-carol", "user-dave"]),
    );
  });

  it("expiry-first (the default) never flaps either, and a used-up first comes back within the failover gap", () => {
    expect(expiry.reversals).toEqual([]);
    expect(expiry.orderChanges).toBeGreaterThan(0);
    expect(expiry.orderChanges).toBeLessThanOrEqual(job.orderChanges);
    // A used-up first is kept only while it comes back within the 30-minute gap: at most 3 ticks in a row.
    let run = 0;
    let longest = 0;
    expiry.unusableFirstAfterTick.forEach((t, i, all) => {
      run = i > 0 && t - (all[i - 1] ?? 0) === 600_000 ? run + 1 : 1;
      longest = Math.max(longest, run);
    });
    expect(longest).toBeLessThanOrEqual(3);
  });

  it("headroom never flaps: no A→B→A within an hour, far fewer changes than switching on every ranking change", () => {
    expect(job.reversals).toEqual([]);
    expect(naive.reversals.length).toBeGreaterThan(0);
    expect(job.orderChanges).toBeGreaterThan(0);
    expect(job.orderChanges * 3).toBeLessThan(naive.orderChanges);
  });

  it("headroom keeps a usable profile first whenever one exists", () => {
    expect(job.unusableFirstAfterTick).toEqual([]);
    expect(job.exhaustedFirstMinutes).toBeLessThanOrEqual(naive.exhaustedFirstMinutes);
  });

  it("changes the order only through the order port, and says so once per change", () => {
    expect(job.setCalls).toBe(job.orderChanges);
    const lines = job.outputs.filter((o) => o !== "NO_REPLY");
    expect(lines.length).toBe(job.firstChanges.length);
    for (const line of lines) expect(line).toMatch(/^Codex order changed: \S+ is first now, was \S+/);
    expectNoSecrets(job.outputs, secretsOf(legacyAuthProfiles()));
  });
});
