import type { UsageReading } from "../usage/model.ts";
import type { ProfileForecast, ProfileStatus } from "../usage/types.ts";

/** What ranking needs to know about one profile; built from a ProfileUsage. */
export interface RotationCandidate {
  id: string;
  status: ProfileStatus;
  /** The usage reading (null when there is none: unusable, renewal pending). Ranking sees it at its own time. */
  reading: UsageReading | null;
  /** Its access token lapsed while idle; OpenClaw renews it on its next use. Never a reason to drop it. */
  renewal_pending: boolean;
  /** The later of OpenClaw's cooldownUntil (unless scoped to one model) and disabledUntil, ms epoch, when set. */
  blocked_until_ms: number | null;
  /** A short code for why the profile is unusable (the usage error code), when it is. */
  problem: string | null;
  /**
   * Its usage could not be read this time (a timeout, a 5xx, a rate limit…), which says nothing of the account:
   * kept in the order. Only a login OpenClaw cannot use or a deactivated account leaves it.
   */
  usage_unread?: boolean;
  forecast: ProfileForecast | null;
}

/**
 * How usable profiles are ordered. headroom: the most left first. expiry-first: among profiles with room, the
 * one whose long limit (the week's, the month's) resets soonest, so that quota is spent before it lapses.
 */
export type RankPolicy = "headroom" | "expiry-first";
export const RANK_POLICIES: readonly RankPolicy[] = ["headroom", "expiry-first"];
/** Chosen by the week simulation (npm run bench): it lets the least quota lapse at no more flapping. */
export const DEFAULT_RANK_POLICY: RankPolicy = "expiry-first";

export type Standing = "usable" | "limited" | "unusable";

export interface RankedProfile {
  id: string;
  standing: Standing;
  /** The binding main-pool limit's left % (a passed reset counts as 100); null when unknown. */
  headroom: number | null;
  /** The reset of the longest main-pool limit (the week's, the month's, the spend pool's): a sooner one breaks ties. */
  long_reset_at_ms: number | null;
  /** Limited profiles: when they can serve again; null when unknown. */
  back_at_ms: number | null;
  runs_dry: boolean;
  /** When the forecast says it runs dry before its reset: in how many ms (0 when already dry). */
  dry_in_ms: number | null;
  /** In how many ms the binding limit resets (a limited profile: it can serve again); null when unknown. */
  binding_reset_in_ms: number | null;
  /** Limited on its included limits but goes on with credits: it serves now, so it leads the limited ones. */
  on_credits: boolean;
  /** Its usage could not be read this time: nothing is known against it, so a first one keeps its place. */
  unread: boolean;
  /**
   * Its token lapsed while it sat idle and OpenClaw renews it on its next use: nothing is known against it either,
   * and a first one keeps its place (its next use is the next request; moved back, it would never be renewed).
   */
  renewal_pending: boolean;
  /** Limited only by OpenClaw's own cooldown (after errors), not by its usage: `back_at_ms` is when it ends. */
  cooldown_only: boolean;
  reason: string;
}

export interface Ranking {
  /** Usable profiles first (known headroom, then unknown), then limited ones. */
  ranked: RankedProfile[];
  /** Unusable profiles: left out of the proposed order, never deleted. */
  dropped: RankedProfile[];
}
