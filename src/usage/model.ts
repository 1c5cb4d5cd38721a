/*
 * The usage model: plain data (ms epoch, numbers, camelCase), no text for people. src/format/ alone turns it
 * into lines, details and the JSON contract.
 */

/** A rate-limit window by its length (limit_window_seconds ±5 %), never by its primary/secondary slot. */
export const WINDOW_KINDS = ["five_hour", "daily", "weekly", "monthly", "annual", "other"] as const;
export type WindowKind = (typeof WINDOW_KINDS)[number];

/** main: the account's own pool (rate_limit and the spend pool); model: additional_rate_limits[]. */
export type LimitScope = "main" | "model" | "code_review";

interface LimitAmounts {
  limit: number | null;
  used: number | null;
  remaining: number | null;
}

export interface UsageLimit {
  /**
   * Stable per profile: "main:five_hour", "main:spend", "model:<feature>:weekly", "main:other_129600" (an unusual
   * length, in seconds), "main:other" (a window of unknown length); a repeated kind gets ":2".
   */
  key: string;
  scope: LimitScope;
  /** A rate-limit window, or a spend pool (spend_control's individual_limit, or rate_limit's). */
  type: "window" | "spend";
  /** Windows only; null for a spend pool. */
  kind: WindowKind | null;
  /** null for a spend pool, and for a window of unknown length (kind "other"). */
  windowSeconds: number | null;
  /** additional_rate_limits[].limit_name, kept only when it is a short printable name. */
  name: string | null;
  /** metered_feature, kept only when it is an identifier. */
  feature: string | null;
  /** 0..100, finite. */
  usedPercent: number;
  leftPercent: number;
  /** Absolute; null when the answer gave none. */
  resetAtMs: number | null;
  /** Used up: ≥ 100 %, or its own part's limit_reached (single-window part) / spend_control.reached. */
  reached: boolean;
  /** Spend pools: the amounts as the endpoint gave them (its unit); null for windows. */
  amounts: LimitAmounts | null;
}

export interface UsageCredits {
  hasCredits: boolean;
  unlimited: boolean;
  balance: number | null;
  overageLimitReached: boolean;
}

/** One answer of wham/usage, normalized. */
export interface UsageReading {
  /** plan_type, kept only when it is a short identifier. */
  plan: string | null;
  fetchedAtMs: number;
  /** The main rate limit's flags (true/false when the account has none). */
  allowed: boolean;
  limitReached: boolean;
  /** spend_control.reached (also when there is no individual pool to show). */
  spendReached: boolean;
  limits: UsageLimit[];
  credits: UsageCredits | null;
  /** rate_limit_reset_credits.available_count. */
  resetCredits: number | null;
  /** rate_limit_reset_credits.applicable_available_count: how many apply to the limits now (null: not said). */
  resetCreditsApplicable: number | null;
  /** rate_limit_reached_type.type, kept only when it is an identifier. */
  reachedType: string | null;
  /** model_usage: models the account cannot use now. Like per-model limits, never the account's status. */
  unavailableModels: UnavailableModel[];
}

interface UnavailableModel {
  /** The model's slug (a model_usage key), kept only when it is an identifier. */
  model: string;
  /** When it is available again; null when unknown (not given, or not believable). */
  availableAtMs: number | null;
  /** credits_would_enable: buying credits would let the account use it now. */
  creditsWouldEnable: boolean;
}

export type BlockedReason =
  | "rate_limit"
  | "spend_limit"
  | "workspace_owner_credits_depleted"
  | "workspace_member_credits_depleted"
  | "workspace_owner_usage_limit_reached"
  | "workspace_member_usage_limit_reached"
  | "unknown";

export type ProfileStatus = "ok" | "limited" | "unusable";

/** What a reading means for using the account now. */
export interface Verdict {
  status: Exclude<ProfileStatus, "unusable">;
  /** The main-pool limit with the least left (ties: the later reset); null when the answer had none. */
  binding: UsageLimit | null;
  blockedReason: BlockedReason | null;
  /** When a limited account is usable again; null when unknown (or not limited). */
  backAtMs: number | null;
  /** Blocked on its included limits, and credits let it go on. It stays limited. */
  continuesOnCredits: boolean;
}
