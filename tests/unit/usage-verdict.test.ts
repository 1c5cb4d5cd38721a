import { describe, expect, it } from "vitest";
import { makeUsageError, NEEDS_LOGIN } from "../../src/usage/error-hints.ts";
import type { BlockedReason } from "../../src/usage/model.ts";
import { readingAt } from "../../src/usage/normalize.ts";
import {
  bindingLimit,
  byLineOrder,
  headroomOf,
  longLimits,
  mainLimits,
  rankByHeadroom,
  verdictOf,
} from "../../src/usage/verdict.ts";
import {
  checkOf,
  errorReport,
  NOW,
  readingOf,
  renewalPendingReport,
  sampleReport,
  usageFromBody,
  win,
} from "../support/usage-report-builders.ts";
import { SAMPLE_BODIES } from "../support/usage-samples.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

const H = 3_600_000;
const D = 24 * H;
const BODIES = { ...SAMPLE_BODIES, ...SHAPE_BODIES };

type Row = {
  shape: keyof typeof BODIES;
  main: string[];
  others: string[];
  binding: string | null;
  left: number | null;
  status: "ok" | "limited";
  reason: BlockedReason | null;
  backInMs: number | null;
  credits?: boolean;
};

// Each account shape: its main-pool limits by key, the binding one, and the verdict.
const rows: Row[] = [
  {
    shape: "ok",
    main: ["main:five_hour", "main:weekly"],
    others: ["code_review:weekly"],
    binding: "main:five_hour",
    left: 93,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "limited_5h",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 0,
    status: "limited",
    reason: "rate_limit",
    backInMs: 14334_000,
  },
  {
    shape: "weekly_only_exhausted",
    main: ["main:weekly"],
    others: [],
    binding: "main:weekly",
    left: 0,
    status: "limited",
    reason: "rate_limit",
    backInMs: 456647_000,
  },
  {
    shape: "plus_weekly_only",
    main: ["main:weekly"],
    others: [],
    binding: "main:weekly",
    left: 60,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "team_monthly",
    main: ["main:monthly"],
    others: [],
    binding: "main:monthly",
    left: 3,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "business_spend_ok",
    main: ["main:spend"],
    others: [],
    binding: "main:spend",
    left: 75,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "business_spend_spent",
    main: ["main:spend"],
    others: [],
    binding: "main:spend",
    left: 0,
    status: "limited",
    reason: "spend_limit",
    backInMs: 12 * D + 3 * H,
  },
  {
    shape: "spark_spent",
    main: ["main:five_hour", "main:weekly"],
    others: ["model:gpt_5_3_codex_spark:five_hour", "model:gpt_5_3_codex_spark:weekly"],
    binding: "main:weekly",
    left: 70,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "credits_continue",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 0,
    status: "limited",
    reason: "rate_limit",
    backInMs: 2 * H + 600_000,
    credits: true,
  },
  {
    shape: "workspace_credits_depleted",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 70,
    status: "limited",
    reason: "workspace_member_credits_depleted",
    backInMs: null,
  },
  {
    shape: "reset_credits",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 0,
    status: "limited",
    reason: "rate_limit",
    backInMs: 3 * H,
  },
  {
    shape: "code_review_spent",
    main: ["main:five_hour", "main:weekly"],
    others: ["code_review:weekly"],
    binding: "main:weekly",
    left: 80,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "daily_window",
    main: ["main:daily", "main:weekly"],
    others: [],
    binding: "main:daily",
    left: 55,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "unknown_window",
    main: ["main:other_129600", "main:weekly"],
    others: [],
    binding: "main:weekly",
    left: 50,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    shape: "weekly_reached_under_100",
    main: ["main:weekly"],
    others: [],
    binding: "main:weekly",
    left: 20,
    status: "limited",
    reason: "rate_limit",
    backInMs: 3 * D,
  },
  {
    shape: "spend_reached_under_100",
    main: ["main:spend"],
    others: [],
    binding: "main:spend",
    left: 10,
    status: "limited",
    reason: "spend_limit",
    backInMs: 12 * D + 3 * H,
  },
  {
    // The spent 5-hour window stays, its reset unknown: not hidden, and its return not taken from the week's.
    shape: "five_hour_reset_unbelievable",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 0,
    status: "limited",
    reason: "rate_limit",
    backInMs: null,
  },
  {
    shape: "ninety_minute_window",
    main: ["main:other_5400", "main:weekly"],
    others: [],
    binding: "main:other_5400",
    left: 70,
    status: "ok",
    reason: null,
    backInMs: null,
  },
  {
    // The 5-hour reset lifts the rate limit, not the spend control: back unknown, for the spend limit.
    shape: "five_hour_spent_spend_reached",
    main: ["main:five_hour", "main:weekly"],
    others: [],
    binding: "main:five_hour",
    left: 0,
    status: "limited",
    reason: "spend_limit",
    backInMs: null,
  },
];

describe("limits, binding limit and verdict per account shape", () => {
  it.each(rows)("$shape", (row) => {
    const reading = readingOf(BODIES[row.shape](NOW));
    expect(
      reading.limits
        .filter((l) => l.scope === "main")
        .map((l) => l.key)
        .sort(),
    ).toEqual([...row.main].sort());
    expect(reading.limits.filter((l) => l.scope !== "main").map((l) => l.key)).toEqual(row.others);
    const binding = bindingLimit(reading);
    expect(binding?.key ?? null).toBe(row.binding);
    expect(binding?.leftPercent ?? null).toBe(row.left);
    const v = verdictOf(reading);
    expect({ ...v, binding: v.binding?.key ?? null }).toEqual({
      status: row.status,
      binding: row.binding,
      blockedReason: row.reason,
      backAtMs: row.backInMs === null ? null : NOW + row.backInMs,
      continuesOnCredits: row.credits ?? false,
    });
  });
});

describe("verdictOf", () => {
  const flagged = (over: Record<string, unknown>, ...windows: unknown[]) =>
    readingOf({
      plan_type: "plus",
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: windows[0] ?? null,
        secondary_window: windows[1] ?? null,
        ...over,
      },
    });

  it("the answer's flags limit an account without a window at 0 %, back at the binding limit's reset", () => {
    const v = verdictOf(flagged({ allowed: false }, win(90, 600), win(40, 9000, 604800)));
    expect(v).toMatchObject({ status: "limited", blockedReason: "rate_limit", backAtMs: NOW + 600_000 });
  });

  it("flags from a window that has reset since the answer no longer hold", () => {
    const r = flagged({ allowed: false, limit_reached: true }, win(100, 600), win(40, 9000, 604800));
    expect(verdictOf(readingAt(r, NOW + 601_000)).status).toBe("ok");
  });

  it("a 5-hour reset does not lift a weekly block or a reached spend control", () => {
    const weekly = flagged({ allowed: false, limit_reached: true }, win(3, 600), win(99, 9000, 604800));
    expect(verdictOf(readingAt(weekly, NOW + 601_000))).toMatchObject({
      status: "limited",
      backAtMs: NOW + 9_000_000,
    });
    const seat = readingOf({
      plan_type: "business",
      rate_limit: { allowed: true, limit_reached: false, primary_window: win(3, 600) },
      spend_control: { reached: true, individual_limit: null },
    });
    expect(verdictOf(readingAt(seat, NOW + 601_000))).toMatchObject({
      status: "limited",
      blockedReason: "spend_limit",
    });
  });

  it("a reached spend control with no pool gives the reason beside a spent window whose reset is unknown", () => {
    const seat = readingOf({
      plan_type: "business",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: { used_percent: 100, limit_window_seconds: 18_000, reset_after_seconds: -5, reset_at: null },
      },
      spend_control: { reached: true, individual_limit: null },
    });
    expect(verdictOf(seat)).toMatchObject({ status: "limited", blockedReason: "spend_limit", backAtMs: null });
  });

  it("a rate limit is back when its window resets, not when a spend pool beside it with less left does", () => {
    const pool = SHAPE_BODIES.business_spend_ok(NOW).spend_control.individual_limit;
    const seat = readingOf({
      plan_type: "business",
      rate_limit: { allowed: false, limit_reached: true, primary_window: win(95, 2 * 3600) },
      spend_control: { reached: false, individual_limit: { ...pool, used_percent: 98, remaining_percent: 2 } },
      rate_limit_reached_type: { type: "rate_limit_reached", details: null },
    });
    expect(bindingLimit(seat)?.key).toBe("main:spend");
    expect(verdictOf(seat)).toMatchObject({ status: "limited", blockedReason: "rate_limit", backAtMs: NOW + 2 * H });
  });

  it("a workspace block holds whatever window resets (its return is unknown)", () => {
    const r = readingOf(SHAPE_BODIES.workspace_credits_depleted(NOW));
    expect(verdictOf(readingAt(r, NOW + 30 * D))).toMatchObject({ status: "limited", backAtMs: null });
  });

  it("an unknown reached type with flags is limited for an unknown reason, back unknown", () => {
    const r = flagged({ allowed: false }, win(50, 600));
    expect(verdictOf({ ...r, reachedType: "model_cap_reached" })).toMatchObject({
      blockedReason: "unknown",
      backAtMs: null,
    });
    // Without the flags it names nothing that blocks.
    expect(verdictOf({ ...readingOf(SAMPLE_BODIES.ok(NOW)), reachedType: "model_cap_reached" }).status).toBe("ok");
  });

  it("when two main limits are used up, the account is back when the later one resets", () => {
    const r = flagged({ allowed: false, limit_reached: true }, win(100, 600), win(100, 9000, 604800));
    expect(verdictOf(r)).toMatchObject({ binding: { key: "main:weekly" }, backAtMs: NOW + 9_000_000 });
  });

  it("when two main limits are used up, the later reset binds whichever slot it came in", () => {
    const r = flagged({ allowed: false, limit_reached: true }, win(100, 9000, 604800), win(100, 600));
    expect(verdictOf(r)).toMatchObject({ binding: { key: "main:weekly" }, backAtMs: NOW + 9_000_000 });
  });

  it("a limit at 0 % left is used up even when not marked reached (a cached reading)", () => {
    const r = flagged({}, win(100, 600), win(40, 9000, 604800));
    const unmarked = { ...r, limits: r.limits.map((l) => ({ ...l, reached: false })) };
    expect(verdictOf(unmarked)).toMatchObject({
      status: "limited",
      blockedReason: "rate_limit",
      backAtMs: NOW + 600_000,
    });
  });

  // A reached spend control beside a blocked rate limit: the block that holds longest gives the reason and the time.
  const spent5h = { primary_window: win(100, 2 * 3600) };
  const flagged5h = {
    allowed: false,
    limit_reached: true,
    primary_window: win(90, 2 * 3600),
    secondary_window: win(40, 3 * 86400, 604800),
  };
  it.each([
    ["a spent 5h window, the pool resets later", spent5h, 10 * D, "spend_limit", 10 * D],
    ["a spent 5h window, the pool resets sooner", spent5h, 600_000, "rate_limit", 2 * H],
    ["limit_reached short of 100 %, the pool resets sooner", flagged5h, 600_000, "rate_limit", 2 * H],
  ] as const)("%s", (_what, rateLimit, poolInMs, reason, backInMs) => {
    const r = readingOf({
      plan_type: "business",
      rate_limit: { allowed: true, limit_reached: false, ...rateLimit },
      spend_control: {
        reached: true,
        individual_limit: { limit: 100, used: 50, reset_after_seconds: poolInMs / 1000 },
      },
    });
    expect(verdictOf(r)).toMatchObject({ status: "limited", blockedReason: reason, backAtMs: NOW + backInMs });
  });

  it("credits continue a blocked account only with credits or unlimited, and not past the overage limit", () => {
    const base = readingOf(SHAPE_BODIES.credits_continue(NOW));
    const withCredits = (c: Partial<NonNullable<typeof base.credits>>) =>
      verdictOf({
        ...base,
        credits: { hasCredits: false, unlimited: false, balance: null, overageLimitReached: false, ...c },
      }).continuesOnCredits;
    expect(withCredits({ hasCredits: true })).toBe(true);
    expect(withCredits({ unlimited: true })).toBe(true);
    expect(withCredits({})).toBe(false);
    expect(withCredits({ hasCredits: true, overageLimitReached: true })).toBe(false);
    // A spent spend pool is not an included limit credits can continue.
    const pool = readingOf(SHAPE_BODIES.business_spend_spent(NOW));
    const credits = { hasCredits: true, unlimited: false, balance: 5, overageLimitReached: false };
    expect(verdictOf({ ...pool, credits }).continuesOnCredits).toBe(false);
  });
});

describe("line order and long limits", () => {
  const limitsOf = (...windows: unknown[]) =>
    mainLimits(
      readingOf({
        plan_type: "plus",
        rate_limit: { allowed: true, limit_reached: false, primary_window: windows[0], secondary_window: windows[1] },
      }),
    );

  it("two windows of one kind go shorter first, whatever slot they came in", () => {
    const sorted = [...limitsOf(win(10, 600, 129_600), win(20, 600, 5_400))].sort(byLineOrder);
    expect(sorted.map((l) => [l.kind, l.windowSeconds])).toEqual([
      ["other", 5_400],
      ["other", 129_600],
    ]);
  });

  it("a daily window at the short edge of its kind (−5 %) is a long limit; a 5-hour one never is", () => {
    const long = longLimits(limitsOf(win(10, 600), win(20, 600, 82_080)));
    expect(long.map((l) => [l.kind, l.windowSeconds])).toEqual([["daily", 82_080]]);
  });
});

describe("headroomOf / rankByHeadroom", () => {
  it("headroom is the binding limit's left %; null without a limit or a reading", () => {
    expect(headroomOf(sampleReport("a", {}))).toBe(60);
    expect(headroomOf(usageFromBody("m", SHAPE_BODIES.team_monthly(NOW)))).toBe(3);
    expect(headroomOf(usageFromBody("n", { plan_type: "business", rate_limit: null }))).toBeNull();
    expect(headroomOf(renewalPendingReport("r"))).toBeNull();
  });

  it("ranks ok profiles by headroom, unknown ones after every known one, never a limited one", () => {
    const ranked = rankByHeadroom([
      renewalPendingReport("idle"),
      usageFromBody("none", { plan_type: "business", rate_limit: null }),
      usageFromBody("month", SHAPE_BODIES.team_monthly(NOW)),
      usageFromBody("spent", SHAPE_BODIES.business_spend_spent(NOW)),
      usageFromBody("pool", SHAPE_BODIES.business_spend_ok(NOW)),
    ]);
    expect(ranked.map((p) => p.label)).toEqual(["pool", "month", "idle", "none"]);
  });

  it("a check carries that ranking as profile ids, so what is printed reads it and ranks nothing", () => {
    const check = checkOf([
      usageFromBody("spent", SHAPE_BODIES.business_spend_spent(NOW)),
      sampleReport("low", { h5: win(90, 3600) }),
      errorReport("gone", makeUsageError("timeout")),
      sampleReport("high", { h5: win(5, 3600), wk: win(10, 86400, 604800) }),
    ]);
    expect(check.ranking).toEqual(["openai:high", "openai:low"]);
    expect(checkOf([]).ranking).toEqual([]);
  });
});

describe("needsLogin", () => {
  it("is true for an unusable profile whose error only a new login mends, false for every other", () => {
    for (const code of NEEDS_LOGIN) expect(errorReport("a", makeUsageError(code)).needsLogin).toBe(true);
    for (const code of ["timeout", "rate_limited", "account_deactivated", "internal_error"] as const)
      expect(errorReport("a", makeUsageError(code)).needsLogin).toBe(false);
    expect(renewalPendingReport("idle").needsLogin).toBe(false);
    expect(sampleReport("ok", {}).needsLogin).toBe(false);
  });
});
