import type { UsageErrorCode } from "../errors/index.ts";

export type { UsageErrorCode };

export interface UsageError {
  code: UsageErrorCode;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The endpoint's own error code, e.g. token_expired or token_invalidated (never a body or HTML). */
  detail?: string;
  /** One short sentence telling the user what to do. */
  hint: string;
}

export type WindowKind = "five_hour" | "weekly";

export interface UsageWindow {
  used_percent: number;
  left_percent: number;
  /** ISO 8601. */
  reset_at: string;
  reset_in_seconds: number;
  limit_window_seconds: number;
}

/** One successful reading of wham/usage, already normalized. */
export interface UsageSnapshot {
  plan: string | null;
  allowed: boolean;
  limit_reached: boolean;
  windows: Record<WindowKind, UsageWindow | null>;
  /** ms epoch when the endpoint answered. */
  fetched_at_ms: number;
}

export type ProfileStatus = "ok" | "limited" | "unusable";

export interface ProfileLocalReport {
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
  /** Other profiles sharing this account id (Team seats): informational, not a defect. */
  shares_account_with: string[];
}

export interface ProfileUsageReport {
  profile: string;
  label: string;
  status: ProfileStatus;
  plan: string | null;
  windows: Record<WindowKind, UsageWindow | null>;
  error: UsageError | null;
  local: ProfileLocalReport;
  source: "fresh" | "cache" | "none";
  fetched_at: string | null;
  /** Time to exhaustion at the recent pace, from the local usage history; null until there are readings. */
  forecast?: ProfileForecast | null;
}

export interface UsageSummary {
  total: number;
  ok: number;
  limited: number;
  unusable: number;
  /** "fresh" when every reading was fetched now, "cache" when all came from the cache, else "mixed". */
  data: "fresh" | "cache" | "mixed" | "none";
  fetched_at: string | null;
  agent: string;
  store_layout: string;
  selection: string;
}

/** What one usage check read for each selected profile, before any presentation. */
export interface UsageCheck {
  summary: UsageSummary;
  profiles: ProfileUsageReport[];
}

/** The usage JSON contract: the check plus its presentation (src/format/usage-report.ts builds it). */
export interface UsageReport extends UsageCheck {
  formatted_profiles: string[];
  suggested_user_message: string;
  /** One "label: 5h runs out in ~1h 20m at this pace, …" line per profile, in report order. */
  forecast_lines?: string[];
}

/** How a window is expected to end at the recent pace. */
export interface WindowForecast {
  window: WindowKind;
  left_percent: number;
  /** Percent of the window used per hour over the recent history; null without enough history. */
  burn_percent_per_hour: number | null;
  /** ms epoch when the window would reach 100 % used at that pace; null when it is not burning or unknown. */
  exhausts_at_ms: number | null;
  reset_at_ms: number;
  /** True when, at this pace, the window runs out before it resets. */
  runs_dry_before_reset: boolean;
  basis: "burn-rate" | "idle" | "insufficient-history" | "exhausted" | "reset-passed";
}

export interface ProfileForecast {
  profile: string;
  windows: Record<WindowKind, WindowForecast | null>;
  runs_dry_before_reset: boolean;
}
