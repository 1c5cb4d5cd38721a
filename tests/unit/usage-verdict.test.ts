import { describe, expect, it } from "vitest";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import { headroomPercent, profileStatus, secondsUntilBack } from "../../src/usage/profile-status.ts";
import type { UsageSnapshot, UsageWindow } from "../../src/usage/types.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const win = (used: number, resetIn: number, limit = 18000): UsageWindow => ({
  used_percent: used,
  left_percent: 100 - used,
  reset_at: new Date(NOW + resetIn * 1000).toISOString(),
  reset_in_seconds: Math.max(0, resetIn),
  limit_window_seconds: limit,
});
const snap = (
  over: Partial<UsageSnapshot> & { h5?: UsageWindow | null; wk?: UsageWindow | null } = {},
): UsageSnapshot => ({
  plan: "plus",
  allowed: over.allowed ?? true,
  limit_reached: over.limit_reached ?? false,
  windows: {
    five_hour: over.h5 === undefined ? win(20, 3600) : over.h5,
    weekly: over.wk === undefined ? win(40, 86400, 604800) : over.wk,
  },
  fetched_at_ms: NOW,
});
const status = (s: UsageSnapshot) => profileStatus({ ok: true, snapshot: s }, NOW);

describe("profileStatus", () => {
  it.each([
    ["headroom in both windows", snap(), "ok"],
    ["limit_reached", snap({ limit_reached: true }), "limited"],
    ["allowed false", snap({ allowed: false }), "limited"],
    ["5h window at 100 %", snap({ h5: win(100, 600) }), "limited"],
    ["weekly window at 100 % without flags", snap({ wk: win(100, 9000, 604800) }), "limited"],
    ["weekly-only account with room", snap({ h5: null }), "ok"],
    [
      "weekly-only account exhausted",
      snap({ h5: null, wk: win(100, 456647, 604800), limit_reached: true, allowed: false }),
      "limited",
    ],
    ["no windows at all (credits only)", snap({ h5: null, wk: null }), "ok"],
    ["99 % used is still ok", snap({ h5: win(99, 600) }), "ok"],
    // The flags came with a window that has reset since: they no longer hold.
    ["flags from a window that has reset since", snap({ limit_reached: true, allowed: false, h5: win(0, -5) }), "ok"],
  ])("%s → %s", (_what, s, expected) => expect(status(s)).toBe(expected));

  it("any error is unusable", () => {
    expect(profileStatus({ ok: false, error: makeUsageError("timeout") }, NOW)).toBe("unusable");
    expect(profileStatus({ ok: false, error: makeUsageError("token_expired_locally") }, NOW)).toBe("unusable");
  });
});

describe("headroomPercent / secondsUntilBack", () => {
  it("headroom is the smaller share left; null without windows", () => {
    expect(headroomPercent(snap())).toBe(60);
    expect(headroomPercent(snap({ h5: null }))).toBe(60);
    expect(headroomPercent(snap({ h5: win(90, 60) }))).toBe(10);
    expect(headroomPercent(snap({ h5: null, wk: null }))).toBeNull();
  });

  it("a limited profile is back when its last full window resets; flags only → the nearest reset", () => {
    expect(secondsUntilBack(snap({ h5: win(100, 600), wk: win(100, 9000, 604800) }))).toBe(9000);
    expect(secondsUntilBack(snap({ h5: win(100, 600) }))).toBe(600);
    expect(secondsUntilBack(snap({ limit_reached: true }))).toBe(3600);
    expect(secondsUntilBack(snap({ h5: null, wk: null }))).toBeNull();
  });
});
