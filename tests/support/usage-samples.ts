/**
 * Sample wham/usage bodies (codex-usage-and-oauth.md §1.3), with reset times counted from a given
 * clock, for the usage simulator and tests. Dependency-free, like the simulator.
 */
const sec = (nowMs: number): number => Math.floor(nowMs / 1000);
const window = (nowMs: number, used: number, limit: number, resetAfter: number) => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetAfter,
  reset_at: sec(nowMs) + resetAfter,
});

/**
 * A body built at one time as the endpoint answers it later: every reset_at stays, every reset_after_seconds
 * counts down to it (how the real endpoint answers within one window period).
 */
export function answeredAt(body: unknown, nowMs: number): unknown {
  if (Array.isArray(body)) return body.map((x) => answeredAt(x, nowMs));
  if (body === null || typeof body !== "object") return body;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) out[k] = answeredAt(v, nowMs);
  if (typeof out.reset_at === "number" && typeof out.reset_after_seconds === "number")
    out.reset_after_seconds = Math.max(0, out.reset_at - sec(nowMs));
  return out;
}

/** (a) Team plan, normal usage: 5h 7 % used (resets in 1h 20m 51s), weekly 2 % used. */
export function sampleTeamOk(nowMs: number, fiveHourUsed = 7, weeklyUsed = 2, plan = "team"): Record<string, unknown> {
  return {
    user_id: "user-sim",
    account_id: "a3cc6d1b-2a1b-475b-9b94-54191484abb8",
    email: "sim@example.com",
    plan_type: plan,
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, fiveHourUsed, 18000, 4851),
      secondary_window: window(nowMs, weeklyUsed, 604800, 592029),
    },
    code_review_rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, 0, 604800, 604800),
      secondary_window: null,
    },
    additional_rate_limits: null,
    credits: {
      has_credits: false,
      unlimited: false,
      balance: null,
      approx_local_messages: null,
      approx_cloud_messages: null,
    },
    promo: null,
  };
}

/** (b) Plus plan with the 5-hour limit hit: 5h 100 % (resets in 3h 58m 54s), weekly 77 %. */
function sampleLimited5h(nowMs: number): Record<string, unknown> {
  return {
    user_id: "user-sim",
    account_id: "user-sim",
    email: "sim@example.com",
    plan_type: "plus",
    rate_limit: {
      allowed: false,
      limit_reached: true,
      primary_window: window(nowMs, 100, 18000, 14334),
      secondary_window: window(nowMs, 77, 604800, 18596),
    },
    code_review_rate_limit: null,
    additional_rate_limits: null,
    credits: null,
    spend_control: null,
    rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
    promo: null,
    referral_beacon: null,
  };
}

/** (c) Pro plan, weekly-only, exhausted: the weekly window sits in primary_window, secondary is null. */
function sampleWeeklyOnlyExhausted(nowMs: number): Record<string, unknown> {
  const resetAt = sec(nowMs) + 456647;
  return {
    user_id: "user-sim",
    account_id: "bf7340",
    email: "sim@example.com",
    plan_type: "pro",
    rate_limit: {
      allowed: false,
      limit_reached: true,
      primary_window: window(nowMs, 100, 604800, 456647),
      secondary_window: null,
    },
    code_review_rate_limit: null,
    additional_rate_limits: null,
    model_usage: {
      "gpt-6-astra": {
        available: false,
        available_at: new Date(resetAt * 1000).toISOString(),
        credits_would_enable: true,
      },
    },
    credits: {
      has_credits: false,
      unlimited: false,
      overage_limit_reached: false,
      balance: "0",
      approx_local_messages: [0, 0],
      approx_cloud_messages: [0, 0],
    },
    spend_control: { reached: false, individual_limit: null },
    rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
    rate_limit_upsell: {
      banner_type: "pro_rate_limit_reached",
      title: "You're out of Codex messages",
      description: "Your rate limit resets on {time}. Add credits to continue using Codex now.",
      ctas: [{ action: "add_credits", label: "Add Credits" }],
      reset_at: resetAt,
      referral: null,
      request_url: null,
    },
    promo: null,
    rate_limit_reset_credits: { available_count: 0, applicable_available_count: 0 },
  };
}

/** (d) A normal account with an additional (Spark) limit; the main windows come swapped (weekly first). */
export function sampleWithAdditional(nowMs: number): Record<string, unknown> {
  const spark = {
    allowed: true,
    limit_reached: false,
    primary_window: window(nowMs, 40, 18000, 9000),
    secondary_window: window(nowMs, 10, 604800, 300000),
  };
  return {
    ...sampleTeamOk(nowMs, 30, 55, "plus"),
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, 55, 604800, 277200),
      secondary_window: window(nowMs, 30, 18000, 7800),
    },
    additional_rate_limits: [
      { limit_name: "GPT-5.3-Codex-Spark", metered_feature: "gpt_5_3_codex_spark", rate_limit: spark },
    ],
  };
}

/** Valid main windows (5h 18 %, weekly 64 %), with every optional part malformed. */
export function sampleMalformedOptionalParts(nowMs: number): Record<string, unknown> {
  return {
    ...sampleTeamOk(nowMs, 18, 64, "prolite_future_plan"),
    code_review_rate_limit: "weekly",
    additional_rate_limits: { not: "an array" },
    credits: { has_credits: "yes", balance: 12 },
    rate_limit_reached_type: 42,
    unknown_new_field: { nested: [1, 2, 3] },
  };
}

export const SAMPLE_BODIES = {
  ok: sampleTeamOk,
  limited_5h: sampleLimited5h,
  weekly_only_exhausted: sampleWeeklyOnlyExhausted,
  with_additional: sampleWithAdditional,
  malformed_optional_parts: sampleMalformedOptionalParts,
} as const;

export const CLOUDFLARE_HTML =
  '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>' +
  "<body><noscript>Enable JavaScript and cookies to continue</noscript>" +
  "<script>window._cf_chl_opt={cvId:'3'}</script></body></html>";
