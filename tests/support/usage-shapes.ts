/**
 * wham/usage bodies for every account shape beyond the 5-hour + weekly one (codex-usage-and-oauth.md §1, and the
 * shapes CodexBar's fixtures show for spend_control, additional_rate_limits and credits), with resets counted
 * from a given clock. Dependency-free, like the simulator that serves them.
 */
const sec = (nowMs: number): number => Math.floor(nowMs / 1000);
const HOUR_S = 3600;
const DAY_S = 86_400;

const w = (nowMs: number, used: number, limit: number, resetAfter: number) => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetAfter,
  reset_at: sec(nowMs) + resetAfter,
});

const rateLimit = (allowed: boolean, reached: boolean, primary: unknown, secondary: unknown = null) => ({
  allowed,
  limit_reached: reached,
  primary_window: primary,
  secondary_window: secondary,
});

const base = (plan: string) => ({
  user_id: "user-sim",
  account_id: "acc-sim",
  email: "sim@example.com",
  plan_type: plan,
  code_review_rate_limit: null,
  additional_rate_limits: null,
  credits: { has_credits: false, unlimited: false, balance: "0", approx_local_messages: null },
  spend_control: { reached: false, individual_limit: null },
  rate_limit_reached_type: null,
  promo: null,
});

/** Plus during the months without a 5-hour limit: a weekly primary_window, no secondary (40 % used, 3 days). */
const plusWeeklyOnly = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(true, false, w(nowMs, 40, 604_800, 3 * DAY_S)),
});

/** Team with a ~30-day primary window at 97 % used (resets in 12d 3h). */
const teamMonthly = (nowMs: number) => ({
  ...base("team"),
  rate_limit: rateLimit(true, false, w(nowMs, 97, 2_592_000, 12 * DAY_S + 3 * HOUR_S)),
});

/** Business usage-based: rate_limit null, the real limit in spend_control.individual_limit, amounts as strings. */
const businessSpend = (nowMs: number, used: number) => ({
  ...base("self_serve_business_usage_based"),
  rate_limit: null,
  credits: { has_credits: false, unlimited: false, balance: null },
  spend_control: {
    reached: used >= 100,
    individual_limit: {
      source: "workspace",
      limit: "100.00",
      used: used.toFixed(2),
      remaining: (100 - used).toFixed(2),
      used_percent: used,
      remaining_percent: 100 - used,
      reset_after_seconds: 12 * DAY_S + 3 * HOUR_S,
      reset_at: sec(nowMs) + 12 * DAY_S + 3 * HOUR_S,
    },
  },
});
const businessSpendOk = (nowMs: number) => businessSpend(nowMs, 25);
const businessSpendSpent = (nowMs: number) => businessSpend(nowMs, 100);

/** Pro with room in its main pool and its GPT-5.3-Codex-Spark limit spent (5h at 100 %, resets in 2h). */
const sparkSpent = (nowMs: number) => ({
  ...base("pro"),
  rate_limit: rateLimit(true, false, w(nowMs, 20, 18_000, 3 * HOUR_S), w(nowMs, 30, 604_800, 4 * DAY_S)),
  additional_rate_limits: [
    {
      limit_name: "GPT-5.3-Codex-Spark",
      metered_feature: "gpt_5_3_codex_spark",
      rate_limit: rateLimit(false, true, w(nowMs, 100, 18_000, 2 * HOUR_S), w(nowMs, 60, 604_800, 4 * DAY_S)),
    },
  ],
});

/** Plus out of its 5-hour limit (resets in 2h 10m) with a balance of 12.50 credits it can go on with. */
const creditsContinue = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(false, true, w(nowMs, 100, 18_000, 2 * HOUR_S + 600), w(nowMs, 40, 604_800, 4 * DAY_S)),
  credits: { has_credits: true, unlimited: false, overage_limit_reached: false, balance: "12.50" },
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
});

/** A Team seat blocked because its workspace ran out of credits: its windows have room, the reason is elsewhere. */
const workspaceCreditsDepleted = (nowMs: number) => ({
  ...base("team"),
  rate_limit: rateLimit(false, false, w(nowMs, 30, 18_000, HOUR_S + 23 * 60), w(nowMs, 20, 604_800, 5 * DAY_S)),
  rate_limit_reached_type: { type: "workspace_member_credits_depleted", details: null },
});

/** Plus out of its 5-hour limit (resets in 3h) with two rate-limit reset credits available. */
const resetCreditsAvailable = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(false, true, w(nowMs, 100, 18_000, 3 * HOUR_S), w(nowMs, 50, 604_800, 4 * DAY_S)),
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
  rate_limit_reset_credits: { available_count: 2, applicable_available_count: 2 },
});

/** Team with room, its weekly code-review budget used up (resets in 2 days). */
const codeReviewSpent = (nowMs: number) => ({
  ...base("team"),
  rate_limit: rateLimit(true, false, w(nowMs, 10, 18_000, 4 * HOUR_S), w(nowMs, 20, 604_800, 6 * DAY_S)),
  code_review_rate_limit: rateLimit(false, true, w(nowMs, 100, 604_800, 2 * DAY_S)),
});

/** A daily window (45 % used, resets in 6h) beside the weekly one. */
const dailyWindow = (nowMs: number) => ({
  ...base("go"),
  rate_limit: rateLimit(true, false, w(nowMs, 45, DAY_S, 6 * HOUR_S), w(nowMs, 20, 604_800, 4 * DAY_S)),
});

/** A window of a length no plan had yet (36 hours) beside the weekly one. */
const unknownWindow = (nowMs: number) => ({
  ...base("pro"),
  rate_limit: rateLimit(true, false, w(nowMs, 10, 36 * HOUR_S, 20 * HOUR_S), w(nowMs, 50, 604_800, 4 * DAY_S)),
});

/** Plus during the weekly-only months, blocked at 80 % used: its one window's own limit_reached says it is spent. */
const weeklyReachedUnder100 = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(false, true, w(nowMs, 80, 604_800, 3 * DAY_S)),
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
});

/** Business with spend_control.reached while its individual pool shows 90 % used (resets in 12d 3h). */
const spendReachedUnder100 = (nowMs: number) => {
  const body = businessSpend(nowMs, 90);
  return { ...body, spend_control: { ...body.spend_control, reached: true } };
};

/** Plus out of its 5-hour limit whose reset is not believable (a negative reset_after_seconds, no reset_at). */
const fiveHourResetUnbelievable = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(
    false,
    true,
    { used_percent: 100, limit_window_seconds: 18_000, reset_after_seconds: -120, reset_at: null },
    w(nowMs, 40, 604_800, 4 * DAY_S),
  ),
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
});

/** A 90-minute window (what Codex's own tests send: lengths are not fixed) beside the weekly one. */
const ninetyMinuteWindow = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(true, false, w(nowMs, 30, 5400, HOUR_S), w(nowMs, 20, 604_800, 4 * DAY_S)),
});

/** A Business seat out of its 5-hour limit (back in 2h) whose spend control is reached too (no pool: back unknown). */
const fiveHourSpentSpendReached = (nowMs: number) => ({
  ...base("business"),
  rate_limit: rateLimit(false, true, w(nowMs, 100, 18_000, 2 * HOUR_S), w(nowMs, 40, 604_800, 4 * DAY_S)),
  spend_control: { reached: true, individual_limit: null },
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
});

/** An Enterprise seat whose spend pool came inside rate_limit (as CodexBar also reads it): 45 of 50 used. */
const poolInRateLimit = (nowMs: number) => ({
  ...base("enterprise"),
  rate_limit: {
    allowed: true,
    limit_reached: false,
    individual_limit: {
      limit: "50.00",
      used: "45.00",
      remaining: "5.00",
      reset_after_seconds: 12 * DAY_S,
      reset_at: sec(nowMs) + 12 * DAY_S,
    },
  },
  spend_control: null,
});

/** A spent window sent without a length (limit_window_seconds 0) beside the weekly one: back in 1h. */
const windowOfUnknownLength = (nowMs: number) => ({
  ...base("plus"),
  rate_limit: rateLimit(false, true, w(nowMs, 100, 0, HOUR_S), w(nowMs, 40, 604_800, 3 * DAY_S)),
  rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
});

export const SHAPE_BODIES = {
  plus_weekly_only: plusWeeklyOnly,
  team_monthly: teamMonthly,
  business_spend_ok: businessSpendOk,
  business_spend_spent: businessSpendSpent,
  spark_spent: sparkSpent,
  credits_continue: creditsContinue,
  workspace_credits_depleted: workspaceCreditsDepleted,
  reset_credits: resetCreditsAvailable,
  code_review_spent: codeReviewSpent,
  daily_window: dailyWindow,
  unknown_window: unknownWindow,
  weekly_reached_under_100: weeklyReachedUnder100,
  spend_reached_under_100: spendReachedUnder100,
  five_hour_reset_unbelievable: fiveHourResetUnbelievable,
  ninety_minute_window: ninetyMinuteWindow,
  five_hour_spent_spend_reached: fiveHourSpentSpendReached,
  pool_in_rate_limit: poolInRateLimit,
  window_of_unknown_length: windowOfUnknownLength,
} as const;
export type ShapeName = keyof typeof SHAPE_BODIES;
