import { describe, expect, it } from "vitest";
import { classifyWindowSeconds, normalizeUsage, readingAt } from "../../src/usage/normalize.ts";
import { parseUsageBody, parseUsageJson } from "../../src/usage/usage-response.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const nowSec = NOW / 1000;
const w = (used: number, limit: number, resetAfter: number, extra: Record<string, unknown> = {}) => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetAfter,
  reset_at: nowSec + resetAfter,
  ...extra,
});
const normalize = (body: Record<string, unknown>) => {
  const parsed = parseUsageJson(body);
  if (!parsed.ok) throw new Error(parsed.reason);
  return normalizeUsage(parsed.value, NOW);
};
const reading = (body: Record<string, unknown>) => {
  const r = normalize(body);
  if (!r.ok) throw new Error(`invalid: ${r.dropped.join(",")}`);
  return r.reading;
};
const main = (...windows: unknown[]) => ({
  plan_type: "plus",
  rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: windows[0] ?? null,
    secondary_window: windows[1] ?? null,
  },
});

describe("classifyWindowSeconds (±5 %, by length only)", () => {
  it.each([
    [18000, "five_hour"],
    [17100, "five_hour"], // −5 %
    [18900, "five_hour"], // +5 %
    [17099, "other"],
    [86400, "daily"],
    [604800, "weekly"],
    [574560, "weekly"], // −5 %
    [635040, "weekly"], // +5 %
    [574559, "other"],
    [28 * 86400, "monthly"],
    [2592000, "monthly"], // 30 days
    [31 * 86400, "monthly"],
    [27 * 86400, "other"],
    [365 * 86400, "annual"],
    [366 * 86400, "annual"],
    [3600, "other"],
    [129600, "other"], // 36 hours
  ])("%i s → %s", (seconds, kind) => expect(classifyWindowSeconds(seconds)).toBe(kind));
});

describe("normalizeUsage: limits", () => {
  it("never goes by slot: swapped windows get their own kinds and keys", () => {
    const r = reading(main(w(55, 604800, 277200), w(30, 18000, 7800)));
    expect(r.limits.map((l) => [l.key, l.usedPercent])).toEqual([
      ["main:weekly", 55],
      ["main:five_hour", 30],
    ]);
  });

  it("a weekly-only account has one weekly limit; a second window of one kind gets :2", () => {
    expect(reading(main(w(100, 604800, 456647))).limits).toMatchObject([
      {
        key: "main:weekly",
        kind: "weekly",
        usedPercent: 100,
        leftPercent: 0,
        reached: true,
        resetAtMs: NOW + 456647_000,
      },
    ]);
    expect(reading(main(w(10, 604800, 100), w(20, 604800, 200))).limits.map((l) => l.key)).toEqual([
      "main:weekly",
      "main:weekly:2",
    ]);
  });

  it("windows of two unusual lengths are two kinds, keyed by their length, not one kind repeated", () => {
    const limits = reading(main(w(20, 129600, 100), w(40, 43200, 200))).limits;
    expect(limits.map((l) => [l.key, l.windowSeconds])).toEqual([
      ["main:other_129600", 129600],
      ["main:other_43200", 43200],
    ]);
    // Their keys do not follow the slot they came in.
    expect(
      reading(main(w(40, 43200, 200), w(20, 129600, 100)))
        .limits.map((l) => l.key)
        .sort(),
    ).toEqual(limits.map((l) => l.key).sort());
  });

  it("a window's reset of another type reads as not sent: the window and its percent stay", () => {
    const r = normalize(main({ used_percent: 100, limit_window_seconds: 18000, reset_at: "2026-10-01T13:00:00Z" }));
    expect(r.ok && r.reading.limits).toEqual([
      expect.objectContaining({ key: "main:five_hour", usedPercent: 100, reached: true, resetAtMs: null }),
    ]);
    expect(r.dropped).toEqual(["rate_limit.primary_window.reset_at"]);
  });

  it("rounds and clamps percentages to integers 0–100, left = 100 − used", () => {
    const r = reading(main(w(7.6, 18000, 10), w(140, 604800, 10)));
    expect(r.limits.map((l) => [l.usedPercent, l.leftPercent])).toEqual([
      [8, 92],
      [100, 0],
    ]);
    expect(reading(main(w(-3, 18000, 10))).limits[0]).toMatchObject({ usedPercent: 0, leftPercent: 100 });
  });

  it("a percent too large for a double (1e309 in the text, Infinity once parsed) is spent, not dropped", () => {
    const text = JSON.stringify(main(w(1, 18000, 10), w(1, 604800, 10))).replace(
      '"used_percent":1,',
      '"used_percent":1e309,',
    );
    const parsed = parseUsageBody(text);
    if (!parsed.ok) throw new Error(parsed.reason);
    const r = normalizeUsage(parsed.value, NOW);
    if (!r.ok) throw new Error("invalid");
    expect(r.reading.limits.map((l) => [l.kind, l.usedPercent, l.reached])).toEqual([
      ["five_hour", 100, true],
      ["weekly", 1, false],
    ]);
  });

  it("a limit is reached by what was sent, not by its rounding: 99.6 % used shows 1 % left and is not reached", () => {
    const window = reading(main(w(99.6, 18000, 10))).limits[0];
    expect(window).toMatchObject({ usedPercent: 99, leftPercent: 1, reached: false });
    const pool = reading({
      plan_type: "business",
      rate_limit: null,
      spend_control: { reached: false, individual_limit: { limit: "200", used: "199.2", reset_after_seconds: 600 } },
    }).limits[0];
    expect(pool).toMatchObject({ type: "spend", usedPercent: 99, leftPercent: 1, reached: false });
    expect(reading(main(w(100, 18000, 10))).limits[0]).toMatchObject({ usedPercent: 100, reached: true });
  });

  it("a single-window part's own limit_reached marks that window reached", () => {
    const body = {
      plan_type: "pro",
      rate_limit: { allowed: false, limit_reached: true, primary_window: w(98, 604800, 60) },
    };
    expect(reading(body).limits[0]).toMatchObject({ usedPercent: 98, reached: true });
  });

  it("a part sent with two windows speaks for neither, even when one of them is dropped", () => {
    const body = {
      plan_type: "plus",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: { used_percent: "full", limit_window_seconds: 18000, reset_after_seconds: 60 },
        secondary_window: w(40, 604800, 3 * 86400),
      },
    };
    const r = normalize(body);
    expect(r.dropped).toEqual(["rate_limit.primary_window"]);
    expect(r.ok && r.reading.limits).toEqual([expect.objectContaining({ key: "main:weekly", reached: false })]);
  });

  it("uses reset_after_seconds from the answer's time without reset_at; none at all is an unknown reset", () => {
    const after = reading(main({ used_percent: 5, limit_window_seconds: 18000, reset_after_seconds: 3600 }));
    expect(after.limits[0]?.resetAtMs).toBe(NOW + 3600_000);
    expect(reading(main({ used_percent: 5, limit_window_seconds: 18000 })).limits[0]?.resetAtMs).toBeNull();
  });

  it("a null or unbelievable reset_at (0, milliseconds) falls back to reset_after_seconds; the window is kept", () => {
    for (const resetAt of [null, 0, (NOW + 3600_000) * 1000]) {
      const window = { used_percent: 100, limit_window_seconds: 18000, reset_after_seconds: 3600, reset_at: resetAt };
      const r = normalize(main(window, w(40, 604800, 3 * 86400)));
      expect(r.dropped).toEqual([]);
      expect(r.ok && r.reading.limits[0]).toMatchObject({ key: "main:five_hour", resetAtMs: NOW + 3600_000 });
    }
    // A negative time until the reset is no fallback: with an unbelievable reset_at the reset is unknown.
    const window = { used_percent: 20, limit_window_seconds: 604800, reset_after_seconds: -5, reset_at: -1e15 };
    const r = normalize(main(w(10, 18000, 60), window));
    expect(r.dropped).toEqual(["rate_limit.window[1].reset"]);
    expect(r.ok && r.reading.limits[1]).toMatchObject({ key: "main:weekly", usedPercent: 20, resetAtMs: null });
  });

  it("a reset_at more than 90 s off now + reset_after_seconds means this host's clock is off: the latter wins", () => {
    const at = (offSec: number) => ({
      used_percent: 30,
      limit_window_seconds: 18000,
      reset_after_seconds: 3600,
      reset_at: nowSec + 3600 + offSec,
    });
    for (const off of [-90, 0, 90]) {
      const r = normalize(main(at(off)));
      expect(r.dropped, `${off}`).toEqual([]);
      expect(r.ok && r.reading.limits[0]?.resetAtMs).toBe(NOW + (3600 + off) * 1000);
    }
    for (const off of [-91, 91, -3540, 7200]) {
      const r = normalize(main(at(off)));
      expect(r.dropped, `${off}`).toEqual(["rate_limit.window[0].reset_at"]);
      expect(r.ok && r.reading.limits[0]?.resetAtMs).toBe(NOW + 3600_000);
    }
    // A reset_at already past (the clock two hours fast) was never believed: reset_after_seconds, as before.
    const past = normalize(main(at(-7200)));
    expect(past.dropped).toEqual([]);
    expect(past.ok && past.reading.limits[0]?.resetAtMs).toBe(NOW + 3600_000);
    const spend = normalize({
      plan_type: "business",
      rate_limit: null,
      spend_control: {
        reached: false,
        individual_limit: { limit: "100", used: "5", reset_after_seconds: 600, reset_at: nowSec + 4200 },
      },
    });
    expect(spend.dropped).toEqual(["spend_control.individual_limit.reset_at"]);
    expect(spend.ok && spend.reading.limits[0]?.resetAtMs).toBe(NOW + 600_000);
  });

  it.each([
    ["a reset beyond two years", { reset_after_seconds: 3 * 366 * 86400, reset_at: nowSec + 3 * 366 * 86400 }],
    ["a negative time until the reset", { reset_after_seconds: -120, reset_at: null }],
    ["a reset_at an hour before the answer", { reset_after_seconds: null, reset_at: nowSec - 3600 }],
  ])("keeps a window with %s, its reset unknown: a spent window never vanishes", (_what, reset) => {
    const r = normalize(main({ used_percent: 100, limit_window_seconds: 18000, ...reset }, w(40, 604800, 60)));
    expect(r.dropped).toEqual(["rate_limit.window[0].reset"]);
    expect(r.ok && r.reading.limits[0]).toMatchObject({ key: "main:five_hour", reached: true, resetAtMs: null });
    const pool = { limit: "100", used: "100", ...reset };
    const spend = normalize({
      plan_type: "business",
      rate_limit: null,
      spend_control: { reached: true, individual_limit: pool },
    });
    expect(spend.dropped).toEqual(["spend_control.individual_limit.reset"]);
    expect(spend.ok && spend.reading.limits[0]).toMatchObject({ key: "main:spend", reached: true, resetAtMs: null });
  });

  it.each([
    [
      "a reset_at 30 s before the answer (clock skew)",
      { reset_after_seconds: null, reset_at: nowSec - 30 },
      NOW - 30_000,
    ],
    [
      "a two-year window's reset 600 days ahead",
      { limit_window_seconds: 700 * 86400, reset_after_seconds: 600 * 86400, reset_at: null },
      NOW + 600 * 86400_000,
    ],
  ])("believes %s", (_what, reset, resetAtMs) => {
    const r = normalize(main({ used_percent: 50, limit_window_seconds: 18000, ...reset }));
    expect(r.dropped).toEqual([]);
    expect(r.ok && r.reading.limits[0]?.resetAtMs).toBe(resetAtMs);
  });

  it("reads every part: spend pool (string amounts), per-model limits, code review, credits, reset credits", () => {
    const r = reading({
      plan_type: "enterprise_cbp_usage_based",
      rate_limit: null,
      spend_control: {
        reached: false,
        individual_limit: { limit: "100.00", used: "30.00", remaining: "70.00", reset_at: nowSec + 86400 },
      },
      additional_rate_limits: [
        {
          limit_name: "GPT-5.3-Codex-Spark",
          metered_feature: "gpt_5_3_codex_spark",
          rate_limit: main(w(40, 18000, 90)).rate_limit,
        },
      ],
      code_review_rate_limit: { allowed: true, limit_reached: false, primary_window: w(0, 604800, 604800) },
      credits: { has_credits: true, unlimited: false, balance: "12.50", overage_limit_reached: false },
      rate_limit_reset_credits: { available_count: 2 },
      rate_limit_reached_type: null,
    });
    expect(r.limits.map((l) => [l.key, l.scope, l.type, l.kind, l.leftPercent])).toEqual([
      ["main:spend", "main", "spend", null, 70],
      ["model:gpt_5_3_codex_spark:five_hour", "model", "window", "five_hour", 60],
      ["code_review:weekly", "code_review", "window", "weekly", 100],
    ]);
    expect(r.limits[0]?.amounts).toEqual({ limit: 100, used: 30, remaining: 70 });
    expect(r.limits[1]).toMatchObject({ name: "GPT-5.3-Codex-Spark", feature: "gpt_5_3_codex_spark" });
    expect(r.credits).toEqual({ hasCredits: true, unlimited: false, balance: 12.5, overageLimitReached: false });
    expect(r.resetCredits).toBe(2);
    expect(r).toMatchObject({ allowed: true, limitReached: false, spendReached: false });
  });

  it("a per-model limit_reached marks its fullest window; a main window's does unless a spent pool explains it", () => {
    const spark = (part: Record<string, unknown>) =>
      reading({
        ...main(w(20, 18000, 600), w(30, 604800, 86400)),
        additional_rate_limits: [{ limit_name: "Spark", metered_feature: "spark", rate_limit: part }],
      }).limits.filter((l) => l.scope === "model");
    const blocked = { allowed: false, limit_reached: true };
    expect(spark({ ...blocked, primary_window: w(70, 604800, 86400) }).map((l) => l.reached)).toEqual([true]);
    const two = spark({ ...blocked, primary_window: w(90, 18000, 600), secondary_window: w(97, 604800, 86400) });
    expect(two.map((l) => [l.kind, l.reached])).toEqual([
      ["five_hour", false],
      ["weekly", true],
    ]);
    const seat = (spend: Record<string, unknown>) =>
      reading({
        plan_type: "business",
        rate_limit: { ...blocked, primary_window: w(40, 604800, 86400) },
        spend_control: spend,
      }).limits.find((l) => l.key === "main:weekly")?.reached;
    expect(seat({ reached: true, individual_limit: { limit: 100, used: 100 } })).toBe(false);
    expect(seat({ reached: false, individual_limit: { limit: 100, used: 10 } })).toBe(true);
  });

  it("the spend pool's used share comes from its percents, else amounts; reached from spend_control.reached", () => {
    const pool = (p: Record<string, unknown>, reached = false) =>
      reading({ plan_type: "business", rate_limit: null, spend_control: { reached, individual_limit: p } }).limits[0];
    expect(pool({ used_percent: 42.5 })?.usedPercent).toBe(43);
    expect(pool({ remaining_percent: 48 })?.usedPercent).toBe(52);
    // Both sent: the used share is used_percent as sent, whatever remaining_percent says.
    expect(pool({ used_percent: 30, remaining_percent: 40 })?.usedPercent).toBe(30);
    expect(pool({ limit: "2000", used: "500.0" })?.usedPercent).toBe(25);
    expect(pool({ limit: 200, remaining: 50 })?.usedPercent).toBe(75);
    expect(pool({ used_percent: 60 }, true)).toMatchObject({ reached: true, resetAtMs: null });
    // A seat whose admin set its limit to 0 can spend nothing: used up, not an answer to distrust.
    expect(pool({ limit: "0", used: "0", remaining: "0" })).toMatchObject({ usedPercent: 100, reached: true });
  });

  it("reads a spend pool sent inside rate_limit when spend_control has none; spend_control's own comes first", () => {
    const seat = (extra: Record<string, unknown>) =>
      normalize({
        plan_type: "enterprise",
        rate_limit: {
          allowed: true,
          limit_reached: false,
          individual_limit: { limit: "50.00", used: "45.00", remaining: "5.00", reset_after_seconds: 1036800 },
        },
        ...extra,
      });
    const inRateLimit = seat({});
    expect(inRateLimit.ok && inRateLimit.reading.limits).toEqual([
      expect.objectContaining({ key: "main:spend", type: "spend", usedPercent: 90, resetAtMs: NOW + 1036800_000 }),
    ]);
    const both = seat({ spend_control: { reached: false, individual_limit: { used_percent: 20 } } });
    expect(both.ok && both.reading.limits.map((l) => [l.key, l.usedPercent])).toEqual([["main:spend", 20]]);
    const bad = normalize({ plan_type: "enterprise", rate_limit: { individual_limit: { used: "x" } } });
    expect(bad).toEqual({ ok: false, dropped: ["rate_limit.individual_limit"] });
  });

  it("an amount beyond a billion is not shown, but the share still comes from it: the seat is not made invalid", () => {
    const seat = (p: Record<string, unknown>) =>
      normalize({ plan_type: "business", rate_limit: null, spend_control: { reached: false, individual_limit: p } });
    const roomy = seat({ limit: 1e12, used: 5 });
    expect(roomy.ok && roomy.reading.limits[0]).toMatchObject({
      usedPercent: 0,
      reached: false,
      amounts: { limit: null, used: 5, remaining: null },
    });
    expect(roomy.dropped).toEqual(["spend_control.individual_limit.limit"]);
    const spent = seat({ limit: 2e9, remaining: "0" });
    expect(spent.ok && spent.reading.limits[0]).toMatchObject({ usedPercent: 100, reached: true });
    expect(spent.dropped).toEqual(["spend_control.individual_limit.limit"]);
  });

  it("a credit balance over a billion is dropped and named, never shown as 1e+308; one of a billion is shown", () => {
    const credits = (balance: unknown) =>
      normalize({ plan_type: "plus", credits: { has_credits: true, unlimited: false, balance } });
    const rich = credits(1e308);
    expect(rich.ok && rich.reading.credits?.balance).toBeNull();
    expect(rich.dropped).toEqual(["credits.balance"]);
    const fine = credits("1000000000");
    expect(fine.ok && fine.reading.credits?.balance).toBe(1e9);
    expect(fine.dropped).toEqual([]);
  });
});

describe("normalizeUsage: range checks and leniency", () => {
  it.each([
    ["a negative window", w(10, -18000, 60)],
    ["a zero window", w(10, 0, 60)],
    ["a window longer than two years", w(10, 3 * 366 * 86400, 60)],
  ])("keeps %s as a window of unknown length, names its length, keeps the other window", (_what, bad) => {
    const r = normalize(main(bad, w(20, 604800, 60)));
    expect(r.ok && r.reading.limits.map((l) => [l.key, l.kind, l.windowSeconds, l.usedPercent])).toEqual([
      ["main:other", "other", null, 10],
      ["main:weekly", "weekly", 604800, 20],
    ]);
    expect(r.dropped).toEqual(["rate_limit.window[0].limit_window_seconds"]);
  });

  it('a window whose percent is no number ("7%") is dropped by the parser, the other kept', () => {
    const r = normalize(main({ ...w(10, 18000, 60), used_percent: "7%" }, w(20, 604800, 60)));
    expect(r.ok && r.reading.limits.map((l) => l.key)).toEqual(["main:weekly"]);
    expect(r.dropped).toEqual(["rate_limit.primary_window"]);
  });

  it("a number sent as a decimal string is read as that number", () => {
    const r = normalize(main({ used_percent: "100", limit_window_seconds: "18000", reset_after_seconds: "60" }));
    expect(r.ok && r.reading.limits[0]).toMatchObject({ key: "main:five_hour", leftPercent: 0, reached: true });
  });

  it("invalid only when nothing usable is left and there was a main limit to read", () => {
    expect(normalize(main({ ...w(10, 18000, 60), used_percent: "7%" })).ok).toBe(false);
    expect(normalize({ plan_type: "plus", rate_limit: "plenty" }).ok).toBe(false);
    expect(normalize({ usage: [1] }).ok).toBe(false);
    // A usage-based workspace without any limit is a reading: "no limit reported".
    const none = normalize({ plan_type: "self_serve_business_usage_based", rate_limit: null });
    expect(none.ok && none.reading.limits).toEqual([]);
  });

  it("a main limit that cannot be read is invalid even when code-review or per-model limits came with it", () => {
    const codeReview = { allowed: true, limit_reached: false, primary_window: w(0, 604800, 60) };
    const broken = { ...w(97, 18000, 60), used_percent: "97%" };
    expect(normalize({ ...main(broken), code_review_rate_limit: codeReview }).ok).toBe(false);
    const pool = { plan_type: "business", rate_limit: null, spend_control: { individual_limit: { limit: "x" } } };
    expect(normalize({ ...pool, code_review_rate_limit: codeReview }).ok).toBe(false);
  });

  it("one malformed part never hides the others", () => {
    const r = normalize({
      ...main(w(18, 18000, 60), w(64, 604800, 60)),
      plan_type: "prolite_future_plan",
      spend_control: { reached: false, individual_limit: "lots" },
      additional_rate_limits: [
        { limit_name: "x" },
        7,
        { limit_name: "ok", metered_feature: "ok", rate_limit: main(w(1, 18000, 60)).rate_limit },
      ],
      credits: { has_credits: "yes" },
    });
    expect(r.ok && r.reading.limits.map((l) => l.key)).toEqual(["main:five_hour", "main:weekly", "model:ok:five_hour"]);
    expect(r.dropped.sort()).toEqual(["additional_rate_limits[1]", "credits", "spend_control.individual_limit"]);
  });

  it("keeps strings only in their shape: a token or a long string is never copied through", () => {
    const token = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"x"}').toString("base64url")}.sig`;
    const r = reading({
      ...main(w(10, 18000, 60)),
      plan_type: token,
      rate_limit_reached_type: { type: `Bearer ${token}` },
      additional_rate_limits: [
        { limit_name: token, metered_feature: "has spaces", rate_limit: main(w(1, 18000, 60)).rate_limit },
        { limit_name: "`rm -rf`", metered_feature: token, rate_limit: main(w(1, 18000, 60)).rate_limit },
      ],
    });
    expect(r.plan).toBeNull();
    expect(r.reachedType).toBeNull();
    expect(r.limits.filter((l) => l.scope === "model").map((l) => [l.key, l.name, l.feature])).toEqual([
      ["model:additional_1:five_hour", null, null],
      ["model:additional_2:five_hour", null, null],
    ]);
    expect(JSON.stringify(r)).not.toContain("eyJ");
  });
});

describe("readingAt", () => {
  it("seen later, a limit whose reset passed counts as 0 % used and not reached; the reset time is kept", () => {
    const r = reading({
      plan_type: "plus",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: w(100, 18000, 600),
        secondary_window: w(77, 604800, 90000),
      },
    });
    const later = readingAt(r, NOW + 601_000);
    expect(later.limits[0]).toMatchObject({
      usedPercent: 0,
      leftPercent: 100,
      reached: false,
      resetAtMs: NOW + 600_000,
    });
    expect(later.limits[1]).toMatchObject({ usedPercent: 77 });
    expect(later.fetchedAtMs).toBe(NOW);
    // The fullest limit has reset: the answer's flags no longer hold.
    expect(later).toMatchObject({ allowed: true, limitReached: false });
    // At the reset time itself the limit has reset.
    expect(readingAt(r, NOW + 600_000)).toMatchObject({
      allowed: true,
      limitReached: false,
      limits: [{ usedPercent: 0, reached: false }, { usedPercent: 77 }],
    });
  });

  it("another limit's reset lifts no flag: not the weekly block, not spend_control.reached", () => {
    const weekly = reading({
      plan_type: "plus",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: w(3, 18000, 600),
        secondary_window: w(99, 604800, 90000),
      },
    });
    expect(readingAt(weekly, NOW + 601_000)).toMatchObject({ allowed: false, limitReached: true });
    const seat = reading({
      plan_type: "business",
      rate_limit: { allowed: true, limit_reached: false, primary_window: w(3, 18000, 600) },
      spend_control: { reached: true, individual_limit: null },
    });
    expect(readingAt(seat, NOW + 601_000).spendReached).toBe(true);
    const pool = reading({
      plan_type: "business",
      rate_limit: null,
      spend_control: { reached: true, individual_limit: { limit: 200, used: 200, reset_after_seconds: 600 } },
    });
    expect(readingAt(pool, NOW + 601_000)).toMatchObject({ spendReached: false, limits: [{ usedPercent: 0 }] });
  });

  it("limit_reached is lifted by its fullest window's reset, even beside a spend pool with less left", () => {
    const seat = reading({
      plan_type: "business",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: w(97, 18000, 30),
        secondary_window: w(40, 604800, 3 * 86400),
      },
      spend_control: { reached: false, individual_limit: { limit: 100, used: 98, reset_after_seconds: 12 * 86400 } },
    });
    expect(readingAt(seat, NOW + 20_000)).toMatchObject({ allowed: false, limitReached: true });
    expect(readingAt(seat, NOW + 45_000)).toMatchObject({ allowed: true, limitReached: false });
    // Without a window, the flags speak of the pool.
    const windowless = reading({
      plan_type: "business",
      rate_limit: { allowed: false, limit_reached: true },
      spend_control: { reached: false, individual_limit: { limit: 100, used: 100, reset_after_seconds: 600 } },
    });
    expect(readingAt(windowless, NOW + 601_000)).toMatchObject({ allowed: true, limitReached: false });
  });
});

describe("normalizeUsage: model_usage (models the account cannot use now)", () => {
  const iso = (ms: number) => new Date(ms).toISOString();
  const token = `eyJhbGciOiJub25lIn0.${Buffer.from('{"sub":"x"}').toString("base64url")}.sig`;

  it("keeps the unavailable models with when they come back; the available ones say nothing", () => {
    const r = normalize({
      ...main(w(10, 18000, 60)),
      model_usage: {
        "gpt-6-astra": { available: false, available_at: iso(NOW + 3_600_000), credits_would_enable: true },
        "gpt-5.5": { available: true },
        "gpt-6-nova": { available: false },
      },
    });
    expect(r.ok && r.reading.unavailableModels).toEqual([
      { model: "gpt-6-astra", availableAtMs: NOW + 3_600_000, creditsWouldEnable: true },
      { model: "gpt-6-nova", availableAtMs: null, creditsWouldEnable: false },
    ]);
    expect(r.dropped).toEqual([]);
  });

  it("tells how far the server's clock is ahead of this host's: 0 within 90 s, null unknown or over a day", () => {
    const at = (offSec: number, resetAfter: number | null = 3600) =>
      w(30, 18000, resetAfter as number, { reset_at: nowSec + 3600 + offSec });
    const offsetOf = (...windows: unknown[]) => {
      const r = normalize(main(...windows));
      return r.ok ? r.clockOffsetMs : "invalid";
    };
    for (const off of [-90, 0, 90]) expect(offsetOf(at(off)), `${off}`).toBe(0);
    for (const off of [-91, 91, -7200, 3600, 86_400, -86_400]) expect(offsetOf(at(off)), `${off}`).toBe(off * 1000);
    expect(offsetOf(at(86_401))).toBeNull();
    expect(offsetOf(at(0, null))).toBeNull();
    // The first window given both ways tells it; a later one does not overwrite it.
    expect(offsetOf(at(0, null), at(3600), at(0))).toBe(3_600_000);
  });

  it("moves a time given only as a moment by its windows' clock offset (more than 90 s, at most a day)", () => {
    // The server's clock two hours ahead of this host's: every moment it names is two hours late here.
    const ahead = (offMs: number, windows: unknown[]) =>
      normalize({
        ...main(...windows),
        model_usage: { "gpt-6-astra": { available: false, available_at: iso(NOW + offMs + 3_600_000) } },
      });
    const skewed = (offMs: number, after: number) => w(10, 18000, after, { reset_at: nowSec + offMs / 1000 + after });
    const lone = { used_percent: 20, limit_window_seconds: 604800, reset_after_seconds: null, reset_at: 0 };
    for (const offMs of [2 * 3_600_000, -20 * 60_000]) {
      const r = ahead(offMs, [skewed(offMs, 600), { ...lone, reset_at: nowSec + offMs / 1000 + 86_400 }]);
      expect(r.ok && r.reading.unavailableModels[0]?.availableAtMs, `${offMs}`).toBe(NOW + 3_600_000);
      expect(r.ok && r.reading.limits[1]?.resetAtMs, `${offMs}`).toBe(NOW + 86_400_000);
      // Wherever the lone reset_at stands: before the window that shows the offset too.
      const first = ahead(offMs, [{ ...lone, reset_at: nowSec + offMs / 1000 + 86_400 }, skewed(offMs, 600)]);
      expect(first.ok && first.reading.limits[0]?.resetAtMs, `${offMs} first`).toBe(NOW + 86_400_000);
    }
    // Within 90 s, or more than a day apart (a wrong answer, not a clock), nothing else moves.
    for (const offMs of [80_000, 2 * 86_400_000]) {
      const r = ahead(offMs, [skewed(offMs, 600)]);
      expect(r.ok && r.reading.unavailableModels[0]?.availableAtMs, `${offMs}`).toBe(NOW + offMs + 3_600_000);
    }
  });

  it("drops what is out of shape, by position, and never copies a token through", () => {
    const models: Record<string, unknown> = {
      [token]: { available: false },
      "has spaces": { available: false },
      "gpt-a": { available: "no" },
      "gpt-b": { available: false, available_at: `tomorrow ${token}` },
      "gpt-c": { available: false, available_at: iso(NOW + 3 * 366 * 86_400_000) },
    };
    for (let i = 0; i < 40; i++) models[`m${i}`] = { available: false };
    const r = normalize({ ...main(w(10, 18000, 60)), model_usage: models });
    if (!r.ok) throw new Error("invalid");
    expect(r.reading.unavailableModels.slice(0, 2)).toEqual([
      { model: "gpt-b", availableAtMs: null, creditsWouldEnable: false },
      { model: "gpt-c", availableAtMs: null, creditsWouldEnable: false },
    ]);
    expect(r.reading.unavailableModels).toHaveLength(2 + 27);
    expect(r.dropped).toEqual(
      expect.arrayContaining([
        "model_usage[0]",
        "model_usage[1]",
        "model_usage[2]",
        "model_usage[3].available_at",
        "model_usage.gpt-c.reset",
        "model_usage[32+]",
      ]),
    );
    expect(r.dropped.filter((d) => d.startsWith("model_usage[3") && d !== "model_usage[3].available_at")).toEqual([
      "model_usage[32+]",
    ]);
    expect(JSON.stringify(r)).not.toContain("eyJ");
    expect(normalize({ ...main(w(10, 18000, 60)), model_usage: [1] }).dropped).toEqual(["model_usage"]);
  });

  it("never changes the account's status, and a model whose time has come is available again", async () => {
    const { verdictOf } = await import("../../src/usage/verdict.ts");
    const r = reading({
      ...main(w(10, 18000, 60)),
      model_usage: { "gpt-6-astra": { available: false, available_at: iso(NOW + 600_000) } },
    });
    expect(verdictOf(r).status).toBe("ok");
    expect(readingAt(r, NOW + 599_000).unavailableModels).toHaveLength(1);
    expect(readingAt(r, NOW + 600_000).unavailableModels).toEqual([]);
  });
});

describe("normalizeUsage: model_usage of any size", () => {
  it("reads the first 32 entries only and names the rest once, however many there are", () => {
    const models = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`m${i}`, { available: false }]));
    const r = normalize({ ...main(w(10, 18000, 60)), model_usage: models });
    expect(r.ok && r.reading.unavailableModels).toHaveLength(32);
    expect(r.dropped).toEqual(["model_usage[32+]"]);
  });
});
