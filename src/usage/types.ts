import type { UsageErrorCode } from "../errors/index.ts";
import type { ProfileLocalState } from "../profiles/index.ts";
import type { ProfileStatus, UsageReading, Verdict, WindowKind } from "./model.ts";

export type { ProfileStatus, UsageErrorCode };

export interface UsageError {
  code: UsageErrorCode;
  /** HTTP status, when there was a response. */
  status?: number;
  /** The endpoint's own error code, e.g. token_expired or token_invalidated (never a body or HTML). */
  detail?: string;
  /** One short sentence telling the user what to do. */
  hint: string;
}

/**
 * What one request to wham/usage gave: a reading, or an error that is data. clockOffsetMs: how far the server's
 * clock is ahead of this host's as the answer showed it (normalizeUsage), null when it did not show it.
 */
export type UsageOutcome =
  | { ok: true; reading: UsageReading; clockOffsetMs: number | null }
  | { ok: false; error: UsageError };

/**
 * What OpenClaw's own store says about a profile (read-only), as of the check: its cooldown and disabled state
 * as the store holds them (a cooldown already over reads as none), and its token and place in the order.
 */
export interface ProfileLocal extends Omit<ProfileLocalState, "lastUsedMs"> {
  /** The earlier of the stored `expires` and the JWT `exp`. */
  tokenExpiresAtMs: number | null;
  tokenExpired: boolean;
  accountId: string | null;
  email: string | null;
  orderIndex: number | null;
  /** Other profiles sharing this account id (Team seats): informational, not a defect. */
  sharesAccountWith: string[];
}

/** One profile's result of a usage check: a reading (fresh or cached), an error, or a renewal pending. */
export interface ProfileUsage {
  profileId: string;
  /** The profile as logged in to one account by one user: what its cached reading and usage history are kept under. */
  accountKey: string;
  label: string;
  status: ProfileStatus;
  plan: string | null;
  /**
   * The reading as seen at the check's time (limits whose reset passed at 0 % used), its limits in the order
   * they are shown (inReportOrder); null without one.
   */
  reading: UsageReading | null;
  verdict: Verdict | null;
  error: UsageError | null;
  /**
   * The access token lapsed while the profile sat idle, its refresh token is fine and OpenClaw has not recorded
   * a failed renewal: OpenClaw renews it on its next use. Status ok, no reading, no request was sent.
   */
  renewalPending: boolean;
  /** Unusable, and only a new login helps (its error's code says so). */
  needsLogin: boolean;
  local: ProfileLocal;
  source: "fresh" | "cache" | "none";
  fetchedAtMs: number | null;
  /**
   * Time to exhaustion at the recent pace (null: no reading of it recorded yet), set when the caller recorded
   * the check in the usage history (recordUsageHistory); undefined when it did not or could not.
   */
  forecast?: ProfileForecast | null;
}

/** What one usage check read for each selected profile, before any presentation. */
export interface UsageCheck {
  /** The time the readings are seen at (resets counted from it). */
  checkedAtMs: number;
  agent: string;
  storeLayout: string;
  /** "all", "default" or the checked profile's full id. */
  selection: string;
  profiles: ProfileUsage[];
  /**
   * The ok profiles' ids, most headroom on the binding limit first (ties in the profiles' order); never one
   * whose binding limit is spent. What every presentation offers as "use this one".
   */
  ranking: string[];
  /**
   * The pool's runway at the recent pace (null: too little history yet), set with the profiles' forecasts when
   * the caller recorded the check in the usage history (recordUsageHistory); undefined when it did not or could not.
   */
  pool?: PoolRunway | null;
  /** What each usable account has left of its long limit, in report order; set with the pool's runway. */
  poolParts?: PoolPart[];
  /** What the store read could not read without costing the profiles (ProfileSet.warnings); absent when none. */
  warnings?: string[];
  /**
   * How far the usage server's clock is ahead of this host's (negative: behind), where this check's fresh answers
   * showed it more than 90 s off (their median); absent otherwise. Resets are already counted from the answers.
   */
  clockOffsetMs?: number;
}

/** One account's share of the pool: the left percent of its long limit (the least left of them). */
export interface PoolPart {
  label: string;
  leftPercent: number;
}

type ForecastBasis = "burn-rate" | "idle" | "insufficient-history" | "exhausted" | "reset-passed";

/** How one main-pool limit is expected to end at the recent pace. */
export interface LimitForecast {
  key: string;
  /** The window's kind; null for the spend pool. */
  kind: WindowKind | null;
  windowSeconds: number | null;
  leftPercent: number;
  /** Percent of the limit used per hour over the recent history; null without enough history. */
  burnPercentPerHour: number | null;
  /** When the limit would reach 100 % used at that pace; null when it is not burning or unknown. */
  exhaustsAtMs: number | null;
  resetAtMs: number | null;
  /** True when, at this pace, the limit runs out before it resets. */
  runsDryBeforeReset: boolean;
  basis: ForecastBasis;
}

export interface ProfileForecast {
  profileId: string;
  /** Main-pool limits, in the order of the profile's line. */
  limits: LimitForecast[];
  runsDryBeforeReset: boolean;
}

/**
 * The whole pool at its recent pace: the left of every account's long limit (the week's, the month's, the spend
 * pool's; never the 5-hour one), spent at the sum of their burn rates, against the soonest reset that brings
 * quota back. Percent of one account's limit is the unit, so accounts of different sizes count alike.
 */
export interface PoolRunway {
  /** Accounts whose long limit has a reading. */
  accounts: number;
  /** Labels of usable accounts with no reading to count (an idle backup never read: OpenClaw renews it on use). */
  notCounted: string[];
  /** Labels of usable accounts read with no long limit to count (a 5-hour window only, or one of unknown length). */
  withoutLongLimit: string[];
  leftPercent: number;
  burnPercentPerHour: number;
  /** When every long limit is spent at this pace; null when nothing burns. */
  runsOutAtMs: number | null;
  /** The soonest long-limit reset: when quota comes back. */
  nextResetAtMs: number | null;
  /** How long the pool is dry before that reset (0: it lasts, or nothing burns); null when no reset is known. */
  shortByMs: number | null;
}
