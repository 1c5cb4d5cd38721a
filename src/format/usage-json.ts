/*
 * The usage JSON contract (`codex_usage --format json`), field by field as the README documents it. Built only
 * by usage-report.ts, from the usage model; snake_case, ISO times, seconds from the check's time.
 */

export type WindowJson = {
  used_percent: number;
  left_percent: number;
  /** ISO 8601. */
  reset_at: string;
  reset_in_seconds: number;
  limit_window_seconds: number;
} | null;

export interface LimitJson {
  key: string;
  scope: "main" | "model" | "code_review";
  /** The window's kind, or "spend_pool". */
  kind: string;
  name: string | null;
  feature: string | null;
  limit_window_seconds: number | null;
  used_percent: number;
  left_percent: number;
  reset_at: string | null;
  reset_in_seconds: number | null;
  reached: boolean;
  amounts: { limit: number | null; used: number | null; remaining: number | null } | null;
}

interface BindingJson {
  key: string;
  kind: string;
  left_percent: number;
  reset_at: string | null;
  reset_in_seconds: number | null;
}

export interface LimitForecastJson {
  key: string;
  kind: string;
  left_percent: number;
  burn_percent_per_hour: number | null;
  exhausts_at_ms: number | null;
  reset_at_ms: number | null;
  runs_dry_before_reset: boolean;
  basis: string;
}

interface ForecastJson {
  profile: string;
  /** The 5-hour and weekly windows, as in the first version of the contract. */
  windows: {
    five_hour: (LimitForecastJson & { window: string }) | null;
    weekly: (LimitForecastJson & { window: string }) | null;
  };
  /** Every main-pool limit (monthly windows and the spend pool too), in the order of the line. */
  limits: LimitForecastJson[];
  runs_dry_before_reset: boolean;
}

export interface ProfileJson {
  profile: string;
  label: string;
  status: "ok" | "limited" | "unusable";
  plan: string | null;
  windows: { five_hour: WindowJson; weekly: WindowJson };
  limits: LimitJson[];
  binding: BindingJson | null;
  credits: { has_credits: boolean; unlimited: boolean; balance: number | null; overage_limit_reached: boolean } | null;
  reset_credits: number | null;
  /** How many of reset_credits apply to the limits now; null where the endpoint does not say. */
  reset_credits_applicable: number | null;
  /** model_usage: the models the account cannot use now; never the profile's status. */
  unavailable_models: Array<{
    model: string;
    available_at: string | null;
    available_in_seconds: number | null;
    credits_would_enable: boolean;
  }>;
  blocked_reason: string | null;
  back_at: string | null;
  continues_on_credits: boolean;
  renewal_pending: boolean;
  error: { code: string; status?: number; detail?: string; hint: string } | null;
  local: {
    token_expires_at: string | null;
    token_expired: boolean;
    account_id: string | null;
    email: string | null;
    cooldown_until: string | null;
    cooldown_reason: string | null;
    disabled_until: string | null;
    disabled_reason: string | null;
    error_count: number;
    in_order: boolean;
    order_index: number | null;
    shares_account_with: string[];
  };
  source: "fresh" | "cache" | "none";
  fetched_at: string | null;
  forecast?: ForecastJson | null;
}

export interface SummaryJson {
  total: number;
  ok: number;
  limited: number;
  unusable: number;
  renewal_pending: number;
  /** "fresh" when every reading was fetched now, "cache" when all came from the cache, else "mixed". */
  data: "fresh" | "cache" | "mixed" | "none";
  fetched_at: string | null;
  agent: string;
  store_layout: string;
  /** What was checked: "all", "default" or the profile's full id (`--profile 2` reads "openai:work"). */
  selection: string;
  /** The pool's runway at its recent pace; null without enough usage history. */
  pool: PoolJson | null;
}

export interface UsageReport {
  summary: SummaryJson;
  profiles: ProfileJson[];
  formatted_profiles: string[];
  suggested_user_message: string;
  /** One "label: 5h runs out in ~1h 20m at this pace, …" line per profile, in report order. */
  forecast_lines?: string[];
  /** What could not be read without costing the report (e.g. OpenClaw's damaged order state); absent when none. */
  warnings?: string[];
}

/** `summary.pool` of the usage JSON. */
export interface PoolJson {
  accounts: number;
  /** Labels of usable accounts with no reading to count (an idle backup never read). */
  not_counted: string[];
  left_percent: number;
  burn_percent_per_hour: number;
  runs_out_at: string | null;
  next_reset_at: string | null;
  short_by_hours: number | null;
}
