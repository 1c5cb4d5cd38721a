import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/index.ts";
import { parseAlertSettings } from "../../src/rotation/alert-settings.ts";
import { runAlertTick } from "../../src/rotation/alert-tick.ts";
import { decideAlerts, unjudged } from "../../src/rotation/alerts.ts";
import { runJobTick } from "../../src/rotation/job.ts";
import type { RotationDeps } from "../../src/rotation/rotate.ts";
import { HOUR, MIN, type ReportProfileSpec, T0, usageCheck } from "../support/rotation-builders.ts";
import { recordingOrderPort } from "../support/rotation-fakes.ts";

const ON = parseAlertSettings({ enabled: true, leadMinutes: 60 });
const NEEDS_LOGIN: ReportProfileSpec = { id: "openai:home", errorCode: "auth_not_accepted_by_usage_endpoint" };
const TIMED_OUT: ReportProfileSpec = { id: "openai:home", errorCode: "timeout" };
const RELOGIN_LINE = /^🔴 Codex: home needs a new login \(auth_not_accepted_by_usage_endpoint\)/;

let dir: string;
let clock: number;
/** What each read answers, one entry per tick; an Error entry makes the whole read fail. */
let reads: Array<ReportProfileSpec[] | Error>;

const deps = (): RotationDeps => ({
  readUsage: async () => {
    const next = reads.shift();
    if (next === undefined) throw new Error("no more reads in this test");
    if (next instanceof Error) throw next;
    return usageCheck(next, clock);
  },
  order: recordingOrderPort(["openai:work", "openai:home"]),
  historyPath: join(dir, "usage-history.json"),
  statePath: join(dir, "rotation-state.json"),
  now: () => clock,
});

/** The lines of one alert tick per read left, stepMs apart. */
async function alertTicks(stepMs = 10 * MIN): Promise<string[][]> {
  const out: string[][] = [];
  const d = deps();
  while (reads.length > 0) {
    clock += stepMs;
    out.push((await runAlertTick({ agentId: "main", settings: ON, record: true }, d)).lines);
  }
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-alert-memory-"));
  clock = T0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the first account running dry of two limits by turns", () => {
  it("is told once per limit that brings news, not each time the sooner one changes", async () => {
    // work's 5h (reset at T0 + 3h) and week (T0 + 3d) both run out within the hour; which is first swaps.
    const at = (i: number, five: number, week: number): ReportProfileSpec[] => {
      const now = T0 + (i + 1) * 10 * MIN;
      return [
        { id: "openai:work", five: [five, T0 + 3 * HOUR - now], weekly: [week, T0 + 72 * HOUR - now] },
        { id: "openai:home", five: [90, 4 * HOUR] },
      ];
    };
    reads = [at(0, 70, 20), at(1, 55, 17), at(2, 45, 12), at(3, 30, 9), at(4, 22, 5)];
    const lines = (await alertTicks()).map((tick) => tick.filter((l) => l.includes("(first in the order)")));
    expect(lines.map((l) => l.length)).toEqual([0, 1, 1, 0, 0]);
    expect(lines[1]?.[0]).toMatch(/^⚠️ Codex: work \(first in the order\) runs out of its 5h limit in ~36m/);
    expect(lines[2]?.[0]).toMatch(/^⚠️ Codex: work \(first in the order\) runs out of its weekly limit in ~30m/);
  });
});

describe("a tick without the data keeps what was said", () => {
  const work: ReportProfileSpec = { id: "openai:work", five: [80, 2 * HOUR] };

  it("an account needing a new login whose request timed out once is not asked about again", async () => {
    reads = [
      [work, NEEDS_LOGIN],
      [work, NEEDS_LOGIN],
      [work, TIMED_OUT],
      [work, NEEDS_LOGIN],
      [work, NEEDS_LOGIN],
    ];
    const lines = await alertTicks();
    expect(lines.map((l) => l.length)).toEqual([1, 0, 0, 0, 0]);
    expect(lines[0]).toEqual([expect.stringMatching(RELOGIN_LINE)]);
  });

  it("a read that tells the account is fine clears it: asked again when it comes back", async () => {
    reads = [
      [work, NEEDS_LOGIN],
      [work, { id: "openai:home", five: [90, 4 * HOUR] }],
      [work, NEEDS_LOGIN],
    ];
    expect((await alertTicks()).map((l) => l.length)).toEqual([1, 0, 1]);
  });

  it("a whole failed read says so and keeps every earlier alert", async () => {
    const locked = new StoreError("store_unreadable", "database is locked");
    reads = [[work, NEEDS_LOGIN], locked, [work, NEEDS_LOGIN], [work, NEEDS_LOGIN]];
    expect(await alertTicks()).toEqual([
      [expect.stringMatching(RELOGIN_LINE)],
      ["⚠️ Codex alerts cannot read usage (store_unreadable): database is locked"],
      [],
      [],
    ]);
  });

  it("the first account's runway is not announced again after one unread tick", async () => {
    const home: ReportProfileSpec = { id: "openai:home", five: [95, 4 * HOUR] };
    // work, first in the order, burns its 5-hour window at 75 %/h, one step every 20 minutes, the same reset.
    const burning = (step: number): ReportProfileSpec => ({
      id: "openai:work",
      five: [90 - step * 25, 2 * HOUR - step * 20 * MIN],
    });
    reads = [
      [burning(0), home],
      [burning(1), home],
      [{ id: "openai:work", errorCode: "timeout" }, home],
    ];
    reads.push([burning(3), home]);
    clock = T0 - 20 * MIN;
    const lines = await alertTicks(20 * MIN);
    expect(lines.map((l) => l.length)).toEqual([0, 1, 0, 0]);
    expect(lines[1]?.[0]).toMatch(/^⚠️ Codex: work \(first in the order\) runs out of its 5h limit/);
  });

  it("the auto-switch job's alerts keep their memory the same way", async () => {
    reads = [[work, NEEDS_LOGIN], [work, TIMED_OUT], [work, NEEDS_LOGIN], new Error("locked"), [work, NEEDS_LOGIN]];
    const alerts: string[][] = [];
    const d = deps();
    while (reads.length > 0) {
      clock += 10 * MIN;
      alerts.push((await runJobTick("main", d, {}, ON)).alerts);
    }
    expect(alerts).toEqual([[expect.stringMatching(RELOGIN_LINE)], [], [], [], []]);
  });
});

describe("unjudged", () => {
  it("an account read in passing only, a runway without forecast or first account, a pool with a gap", () => {
    const check = usageCheck([{ id: "openai:work" }, TIMED_OUT, { id: "openai:gone", errorCode: "refresh_failed" }]);
    for (const p of check.profiles) p.forecast = p.profileId === "openai:work" ? null : undefined;
    const input = { profiles: check.profiles, first: "openai:work", pool: null, leadMs: HOUR, now: T0 };
    const keys = ["relogin:openai:work", "runs-dry:openai:work", "relogin:openai:home", "runs-dry:openai:home"];
    const more = ["relogin:openai:gone", "runs-dry:openai:gone", "pool-short", "unavailable:failed"];
    const open = unjudged(input);
    expect([...keys, ...more].filter(open)).toEqual([
      "relogin:openai:home",
      "runs-dry:openai:home",
      "runs-dry:openai:gone",
      "pool-short",
    ]);
    const allRead = unjudged({ ...input, profiles: check.profiles.slice(0, 1), first: undefined });
    expect(["runs-dry:openai:work", "pool-short"].filter(allRead)).toEqual(["runs-dry:openai:work"]);
  });

  it("decideAlerts keeps a remembered condition it cannot judge, as it was", () => {
    const memory = { "relogin:openai:home": { since: T0, sent: true, resetAtMs: null } };
    const kept = decideAlerts([], memory, { quiet: false, now: T0 + HOUR, unjudged: (k) => k.startsWith("relogin") });
    expect(kept.memory).toEqual(memory);
    expect(decideAlerts([], memory, { quiet: false, now: T0 + HOUR, unjudged: () => false }).memory).toEqual({});
  });
});
