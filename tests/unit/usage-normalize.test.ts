import { describe, expect, it } from "vitest";
import type { WindowSnapshot } from "../../src/usage/usage-response.ts";
import { buildSnapshot, classifyWindowSeconds, classifyWindows, snapshotAt } from "../../src/usage/windows.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const nowSec = NOW / 1000;
const w = (used: number, limit: number, resetAfter: number, extra: Partial<WindowSnapshot> = {}): WindowSnapshot => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetAfter,
  reset_at: nowSec + resetAfter,
  ...extra,
});

describe("classifyWindowSeconds (±5 %)", () => {
  it.each([
    [18000, "five_hour"],
    [17100, "five_hour"], // −5 %
    [18900, "five_hour"], // +5 %
    [17099, null],
    [18901, null],
    [604800, "weekly"],
    [574560, "weekly"], // −5 %
    [635040, "weekly"], // +5 %
    [574559, null],
    [635041, null],
    [86400, null], // daily: not a window this report shows
    [3600, null],
    [2592000, null],
  ])("%i s → %s", (seconds, kind) => expect(classifyWindowSeconds(seconds)).toBe(kind));
});

describe("classifyWindows", () => {
  it("never goes by position: swapped windows land in their own slots", () => {
    const out = classifyWindows([w(55, 604800, 277200), w(30, 18000, 7800)], NOW);
    expect(out.five_hour?.used_percent).toBe(30);
    expect(out.weekly?.used_percent).toBe(55);
  });

  it("a weekly-only account has no 5h window, and that is normal", () => {
    const out = classifyWindows([w(100, 604800, 456647), null], NOW);
    expect(out.five_hour).toBeNull();
    expect(out.weekly).toMatchObject({ used_percent: 100, left_percent: 0, reset_in_seconds: 456647 });
  });

  it("ignores windows of other durations and keeps the fuller of two of one kind", () => {
    const out = classifyWindows([w(10, 86400, 100), w(20, 18000, 100), w(40, 18100, 200)], NOW);
    expect(out.five_hour?.used_percent).toBe(40);
    expect(out.weekly).toBeNull();
  });

  it("rounds and clamps percentages to integers 0–100, left = 100 − used", () => {
    const out = classifyWindows([w(7.6, 18000, 10), w(140, 604800, 10)], NOW);
    expect(out.five_hour).toMatchObject({ used_percent: 8, left_percent: 92 });
    expect(out.weekly).toMatchObject({ used_percent: 100, left_percent: 0 });
    expect(classifyWindows([w(-3, 18000, 10)], NOW).five_hour).toMatchObject({ used_percent: 0, left_percent: 100 });
  });

  it("a window whose reset has passed counts as 0 % used, keeps its reset_at, resets in 0 s", () => {
    const past = w(100, 18000, -60);
    const out = classifyWindows([past], NOW);
    expect(out.five_hour).toEqual({
      used_percent: 0,
      left_percent: 100,
      reset_at: new Date((nowSec - 60) * 1000).toISOString(),
      reset_in_seconds: 0,
      limit_window_seconds: 18000,
    });
  });

  it("uses reset_after_seconds from the answer's time when reset_at is missing", () => {
    const out = classifyWindows([{ used_percent: 5, limit_window_seconds: 18000, reset_after_seconds: 3600 }], NOW);
    expect(out.five_hour?.reset_at).toBe(new Date(NOW + 3600_000).toISOString());
    expect(out.five_hour?.reset_in_seconds).toBe(3600);
  });
});

describe("buildSnapshot / snapshotAt", () => {
  const parsed = {
    plan: "plus",
    rateLimit: {
      allowed: false,
      limit_reached: true,
      primary_window: w(100, 18000, 600),
      secondary_window: w(77, 604800, 90000),
    },
    codeReviewRateLimit: null,
    additionalRateLimits: [],
    credits: null,
    rateLimitReachedType: "rate_limit_reached",
    droppedParts: [],
  };

  it("carries plan, flags and fetch time", () => {
    const s = buildSnapshot(parsed, NOW);
    expect(s).toMatchObject({ plan: "plus", allowed: false, limit_reached: true, fetched_at_ms: NOW });
    expect(s.windows.five_hour?.reset_in_seconds).toBe(600);
  });

  it("defaults to allowed and not reached when the account has no main limit", () => {
    const s = buildSnapshot({ ...parsed, rateLimit: null }, NOW);
    expect(s).toMatchObject({ allowed: true, limit_reached: false, windows: { five_hour: null, weekly: null } });
  });

  it("seen later, resets are recounted and a passed window drops to 0 % used", () => {
    const later = snapshotAt(buildSnapshot(parsed, NOW), NOW + 601_000);
    expect(later.windows.five_hour).toMatchObject({ used_percent: 0, left_percent: 100, reset_in_seconds: 0 });
    expect(later.windows.weekly).toMatchObject({ used_percent: 77, reset_in_seconds: 90000 - 601 });
    expect(later.fetched_at_ms).toBe(NOW);
  });
});
