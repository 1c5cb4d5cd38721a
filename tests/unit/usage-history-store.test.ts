import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveCacheDir } from "../../src/lib/files.ts";
import { emptyHistory, pruneHistory, recordReport } from "../../src/usage/history.ts";
import { appendReport, historyPath, loadHistory, recordUsageHistory } from "../../src/usage/history-store.ts";
import { HOUR, MIN, T0, usageCheck } from "../support/rotation-builders.ts";
import { expectNoSecrets } from "../support/secrets.ts";

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cxp-hist-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("cache dir rules", () => {
  it.each([
    [{ CODEX_PROFILER_CACHE_DIR: "/x/c", XDG_CACHE_HOME: "/x/xdg", HOME: "/h" }, "/x/c"],
    [{ XDG_CACHE_HOME: "/x/xdg", HOME: "/h" }, "/x/xdg/codex-profiler"],
    [{ HOME: "/h" }, "/h/.cache/codex-profiler"],
  ])("%j → %s", (env, dir) => {
    expect(resolveCacheDir(env)).toBe(dir);
    expect(historyPath(env)).toBe(join(dir, "usage-history.json"));
  });
});

describe("usage history", () => {
  it("records each reading once, skips profiles without readings", () => {
    const r1 = usageCheck([
      { id: "openai:a" },
      { id: "openai:b", status: "unusable", five: null, weekly: null, fetchedAt: null },
    ]);
    let h = recordReport(emptyHistory(), r1, T0);
    h = recordReport(h, r1, T0 + MIN); // the same (cached) reading again
    expect(Object.keys(h.profiles)).toEqual(["openai:a##"]);
    expect(h.profiles["openai:a##"]).toHaveLength(1);
    h = recordReport(h, usageCheck([{ id: "openai:a", five: [70, 2 * HOUR] }], T0 + 10 * MIN), T0 + 10 * MIN);
    expect(h.profiles["openai:a##"]?.map((p) => p.limits["main:five_hour"]?.used_percent)).toEqual([20, 30]);
  });

  it("is bounded in age, points per profile and profiles", () => {
    const bounds = { maxAgeMs: 2 * HOUR, maxPointsPerProfile: 3, maxProfiles: 2 };
    let h = emptyHistory();
    for (let i = 0; i < 20; i++) {
      const t = T0 + i * 10 * MIN;
      h = recordReport(h, usageCheck([{ id: "openai:a" }, { id: `openai:x${i}` }], t), t, bounds);
    }
    expect(Object.keys(h.profiles).length).toBeLessThanOrEqual(2);
    expect(h.profiles["openai:a##"]).toHaveLength(3);
    const later = T0 + 30 * HOUR;
    h = recordReport(h, usageCheck([], later), later, bounds);
    expect(h.profiles).toEqual({});
  });

  it("keeps a profile's points in time order when an older reading comes in late", () => {
    let h = recordReport(
      emptyHistory(),
      usageCheck([{ id: "openai:a", fetchedAt: T0 + 20 * MIN }], T0 + 20 * MIN),
      T0 + 20 * MIN,
    );
    h = recordReport(h, usageCheck([{ id: "openai:a", fetchedAt: T0 + 10 * MIN }], T0 + 20 * MIN), T0 + 20 * MIN);
    expect(h.profiles["openai:a##"]?.map((p) => p.t)).toEqual([T0 + 10 * MIN, T0 + 20 * MIN]);
  });

  it("keeps a point exactly as old as the age bound, drops one a millisecond older", () => {
    const bounds = { maxAgeMs: 2 * HOUR, maxPointsPerProfile: 10, maxProfiles: 10 };
    const at = (t: number) => usageCheck([{ id: "openai:a", fetchedAt: t }], t);
    let h = recordReport(emptyHistory(), at(T0 - 1), T0 - 1, bounds);
    h = recordReport(h, at(T0), T0, bounds);
    expect(recordReport(h, usageCheck([], T0 + 2 * HOUR), T0 + 2 * HOUR, bounds).profiles["openai:a##"]).toEqual([
      expect.objectContaining({ t: T0 }),
    ]);
  });

  it("over the profile bound, keeps the profiles read most recently", () => {
    const point = (t: number) => ({ t, limits: {} });
    const history = { version: 2 as const, profiles: { stale: [point(T0 - HOUR)], fresh: [point(T0 - MIN)] } };
    const bounds = { maxAgeMs: 2 * HOUR, maxPointsPerProfile: 10, maxProfiles: 1 };
    expect(Object.keys(pruneHistory(history, T0, bounds).profiles)).toEqual(["fresh"]);
  });

  it("drops a point from more than a minute ahead (a clock set back since), keeps one within it", () => {
    const point = (t: number) => ({ t, limits: {} });
    const h = pruneHistory(
      { version: 2, profiles: { a: [point(T0 - MIN), point(T0 + MIN), point(T0 + MIN + 1)] } },
      T0,
    );
    expect(h.profiles.a?.map((p) => p.t)).toEqual([T0 - MIN, T0 + MIN]);
  });

  it("writes atomically with private permissions and holds no secrets", () => {
    const dir = join(tempDir(), "cache");
    const path = join(dir, "usage-history.json");
    const report = usageCheck([{ id: "openai:a" }, { id: "openai:b" }]);
    appendReport(path, report, T0);
    appendReport(path, usageCheck([{ id: "openai:a", five: [50, HOUR] }], T0 + 15 * MIN), T0 + 15 * MIN);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, "utf8");
    expectNoSecrets(text, []);
    expect(text).not.toMatch(/access|refresh|token|eyJ/i);
    expect(loadHistory(path, T0 + 15 * MIN).profiles["openai:a##"]).toHaveLength(2);
  });

  it("leaves the file alone when every reading is already there (a cached run)", () => {
    const path = join(tempDir(), "usage-history.json");
    const report = usageCheck([{ id: "openai:a" }]);
    appendReport(path, report, T0);
    const before = statSync(path).ino;
    expect(appendReport(path, report, T0 + MIN).profiles["openai:a##"]).toHaveLength(1);
    expect(statSync(path).ino).toBe(before);
    appendReport(path, usageCheck([{ id: "openai:a", five: [50, HOUR] }], T0 + 15 * MIN), T0 + 15 * MIN);
    expect(statSync(path).ino).not.toBe(before);
  });

  it("carries the first version's 5-hour and weekly points over under their limit keys", () => {
    const path = join(tempDir(), "usage-history.json");
    const w = (used: number) => ({ used_percent: used, reset_at_ms: T0 + HOUR, limit_window_seconds: 18_000 });
    writeFileSync(
      path,
      JSON.stringify({ version: 1, profiles: { "openai:a": [{ t: T0, five_hour: w(20), weekly: null }] } }),
    );
    expect(loadHistory(path, T0).profiles["openai:a"]).toEqual([
      {
        t: T0,
        limits: {
          "main:five_hour": { used_percent: 20, reset_at_ms: T0 + HOUR, kind: "five_hour", window_seconds: 18_000 },
        },
      },
    ]);
  });

  it("records every main-pool limit (monthly, spend pool) and none of the per-model ones", async () => {
    const { SHAPE_BODIES } = await import("../support/usage-shapes.ts");
    const check = usageCheck([
      { id: "openai:pool", body: SHAPE_BODIES.business_spend_ok(T0) },
      { id: "openai:month", body: SHAPE_BODIES.team_monthly(T0) },
      { id: "openai:spark", body: SHAPE_BODIES.spark_spent(T0) },
      { id: "openai:none", body: { plan_type: "business", rate_limit: null } },
    ]);
    const h = recordReport(emptyHistory(), check, T0);
    expect(h.profiles["openai:pool##"]?.[0]?.limits).toEqual({
      "main:spend": { used_percent: 25, reset_at_ms: expect.any(Number), kind: "spend", window_seconds: null },
    });
    expect(Object.keys(h.profiles["openai:month##"]?.[0]?.limits ?? {})).toEqual(["main:monthly"]);
    expect(Object.keys(h.profiles["openai:spark##"]?.[0]?.limits ?? {})).toEqual(["main:five_hour", "main:weekly"]);
    // A reading without a main-pool limit has nothing to record: no empty point.
    expect(Object.keys(h.profiles)).not.toContain("openai:none##");
  });

  it("reads a corrupt or foreign file as empty and replaces it on the next write", () => {
    const path = join(tempDir(), "usage-history.json");
    writeFileSync(path, "{not json");
    expect(loadHistory(path, T0)).toEqual(emptyHistory());
    writeFileSync(path, JSON.stringify({ version: 3, profiles: {} }));
    expect(loadHistory(path, T0)).toEqual(emptyHistory());
    appendReport(path, usageCheck([{ id: "openai:a" }]), T0);
    expect(loadHistory(path, T0).profiles["openai:a##"]).toHaveLength(1);
  });

  it("reads a file holding a percent out of 0..100 as empty: no pace of thousands of %/h from it", () => {
    const path = join(tempDir(), "usage-history.json");
    const point = (t: number, used: number) => ({
      t,
      limits: {
        "main:five_hour": { used_percent: used, reset_at_ms: T0 + HOUR, kind: "five_hour", window_seconds: 18_000 },
      },
    });
    const file = (used: number) => ({ version: 2, profiles: { a: [point(T0 - 30 * MIN, used), point(T0, 10)] } });
    writeFileSync(path, JSON.stringify(file(-5000)));
    expect(loadHistory(path, T0)).toEqual(emptyHistory());
    writeFileSync(path, JSON.stringify(file(5)));
    expect(loadHistory(path, T0).profiles.a).toHaveLength(2);
  });
});

describe("recordUsageHistory (codex_usage --forecast)", () => {
  it("records the readings and gives each profile its forecast, with a pace once two readings exist", async () => {
    const { usageReport } = await import("../../src/format/usage-report.ts");
    const env = { CODEX_PROFILER_CACHE_DIR: tempDir() };
    const first = usageCheck([{ id: "openai:work", five: [60, 2 * HOUR] }]);
    recordUsageHistory(first, historyPath(env), T0);
    expect(first.profiles[0]?.forecast?.limits.map((l) => l.basis)).toEqual([
      "insufficient-history",
      "insufficient-history",
    ]);
    expect(first.pool).toBeNull(); // recorded, but no pace yet
    expect(usageReport(first).forecast_lines).toEqual([
      "work: 5h no pace yet, resets in 2h; weekly no pace yet, resets in 3d",
    ]);
    const t = T0 + 30 * MIN;
    const second = usageCheck([{ id: "openai:work", five: [40, 90 * MIN], weekly: [80, 3 * 24 * HOUR - 30 * MIN] }], t);
    recordUsageHistory(second, historyPath(env), t);
    // 20 points in 30 min = 40 %/h: the remaining 40 % last 1 h, before the reset in 1h 30m.
    expect(usageReport(second).forecast_lines?.[0]).toBe(
      "work: 5h runs out in ~1h at this pace, resets in 1h 30m; weekly idle, resets in 2d 23h",
    );
    expect(second.profiles[0]?.forecast?.runsDryBeforeReset).toBe(true);
    // The weekly limit is the long one: 80 % left and idle, so the pool does not run out before its reset.
    expect(second.pool).toMatchObject({ accounts: 1, leftPercent: 80, runsOutAtMs: null, shortByMs: 0 });
    expect(second.poolParts).toEqual([{ label: "work", leftPercent: 80 }]);
    expect(usageReport(second).summary.pool).toMatchObject({ accounts: 1, short_by_hours: 0 });
  });

  it("keeps the pace of each account apart when one profile id is logged into two (two agents, a re-login)", () => {
    const path = historyPath({ CODEX_PROFILER_CACHE_DIR: tempDir() });
    const work = (account: string, used: number, t: number) =>
      usageCheck([{ id: "openai:work", account, five: [100 - used, T0 + 3 * HOUR - t] }], t);
    recordUsageHistory(work("acc-a", 20, T0), path, T0);
    recordUsageHistory(work("acc-b", 90, T0 + 30 * MIN), path, T0 + 30 * MIN);
    const a = work("acc-a", 25, T0 + HOUR);
    recordUsageHistory(a, path, T0 + HOUR);
    // acc-a alone: 20 → 25 % in one hour. Read together with acc-b's 90 %, the pace would be another account's.
    expect(a.profiles[0]?.forecast?.limits[0]).toMatchObject({ key: "main:five_hour", burnPercentPerHour: 5 });
    expect(Object.keys(loadHistory(path, T0 + HOUR).profiles)).toHaveLength(2);
  });

  it("a history that cannot be written costs the forecast, never the report, and the report says so", async () => {
    const { usageReport } = await import("../../src/format/usage-report.ts");
    const notADir = join(tempDir(), "file");
    writeFileSync(notADir, "");
    const check = usageCheck([{ id: "openai:work", five: [60, 2 * HOUR] }]);
    const path = historyPath({ CODEX_PROFILER_CACHE_DIR: notADir });
    recordUsageHistory(check, path, T0);
    expect(check.profiles[0]?.forecast).toBeUndefined();
    expect(check.pool).toBeUndefined();
    const report = usageReport(check);
    expect(report.warnings).toEqual([`the usage history ${path} could not be written (EEXIST); no forecast this time`]);
    expect(report.forecast_lines).toBeUndefined();
    expect(report.summary.pool).toBeNull();
    expect(report.formatted_profiles).toHaveLength(1);
  });
});
