import { inlineName } from "../lib/display-text.ts";
import { sameOrder } from "../lib/same-order.ts";
import { ROOM_MARGIN_PERCENT } from "./rank.ts";
import { DEFAULT_RANK_POLICY, type RankedProfile, type Ranking, type RankPolicy } from "./types.ts";

export interface HysteresisOptions {
  /** Headroom points by which the best candidate must beat the current first profile. */
  marginPoints: number;
  /** When every profile is limited: how much sooner the best one must come back to take the first place. */
  limitedMarginMs: number;
  /**
   * A first profile forecast to run dry within this time is replaced early by a best candidate that is
   * not running dry. Only imminent exhaustion counts: "runs dry some time before its reset" alone would
   * swap two accounts back and forth as each one burns while it is first.
   */
  imminentMs: number;
  /** expiry-first: how much sooner the best candidate's long limit must reset to take the first place. */
  resetMarginMs: number;
  /** expiry-first: a first profile whose limit comes back within this gap keeps its place (failover covers it). */
  failoverGapMs: number;
}

export const DEFAULT_HYSTERESIS: HysteresisOptions = {
  marginPoints: 15,
  limitedMarginMs: 30 * 60_000,
  imminentMs: 20 * 60_000,
  resetMarginMs: 6 * 3_600_000,
  failoverGapMs: 30 * 60_000,
};

export type DecisionAction = "keep" | "switch-first" | "reorder";

export interface OrderDecision {
  action: DecisionAction;
  proposed: string[];
  /** One sentence on why the order stays or changes. */
  why: string;
}

/**
 * The order ranking alone would give: ranked Codex profiles, then ids in the current order that were not
 * ranked at all (e.g. an API-key backup), in their current relative order. Unusable ones are left out.
 */
export function idealOrder(current: string[], ranking: Ranking): string[] {
  const ranked = ranking.ranked.map((p) => p.id);
  const known = new Set([...ranked, ...ranking.dropped.map((p) => p.id)]);
  return [...ranked, ...current.filter((id) => !known.has(id))];
}

/** A tail is fine as it is when it holds the same ids as the ideal one and no limited profile precedes a usable one. */
function tailIsHealthy(tail: string[], idealTail: string[], info: Map<string, RankedProfile>): boolean {
  if (tail.length !== idealTail.length || !idealTail.every((id) => tail.includes(id))) return false;
  let seenLimited = false;
  for (const id of tail) {
    const standing = info.get(id)?.standing;
    if (standing === "limited") seenLimited = true;
    else if (standing === "usable" && seenLimited) return false;
  }
  return true;
}

/**
 * Decides whether to change the order, so that it does not flap between near-equal accounts: the first
 * profile changes only when it is limited or unusable, is about to run dry (forecast) while the best is
 * not, or the best candidate has clearly more headroom. The rest of the order is only rewritten when it is
 * unhealthy (a limited profile ahead of a usable one, an unusable one still listed, one missing).
 */
export function decideOrder(
  current: string[],
  ranking: Ranking,
  options: HysteresisOptions = DEFAULT_HYSTERESIS,
  policy: RankPolicy = DEFAULT_RANK_POLICY,
): OrderDecision {
  const ideal = idealOrder(current, ranking);
  if (sameOrder(ideal, current))
    return { action: "keep", proposed: current, why: "the order already matches the ranking" };
  const info = new Map([...ranking.ranked, ...ranking.dropped].map((p) => [p.id, p]));
  const firstId = current[0];
  const best = ranking.ranked[0];
  if (firstId === undefined) return { action: "switch-first", proposed: ideal, why: "there is no current order" };
  // Never write an order without a single working Codex profile: an authored empty order selects none.
  if (best === undefined)
    return {
      action: "keep",
      proposed: current,
      why: "no Codex profile is usable or limited; the order is left as it is",
    };
  const first = info.get(firstId);

  const switchTo = (why: string): OrderDecision => ({ action: "switch-first", proposed: ideal, why });
  if (first && best.id !== first.id) {
    if (first.standing === "unusable") return switchTo(`${inlineName(first.id)} is unusable`);
    if (first.standing === "limited" && best.standing === "usable" && !backSoon(first, policy, options))
      return switchTo(`${inlineName(first.id)} is limited and ${inlineName(best.id)} is usable`);
    if (first.standing === "limited" && best.standing === "limited") {
      if (best.on_credits && !first.on_credits && (first.binding_reset_in_ms ?? Infinity) > options.limitedMarginMs)
        return switchTo(`every profile is out of its included limits and ${inlineName(best.id)} goes on with credits`);
      const firstBack = first.back_at_ms ?? Number.POSITIVE_INFINITY;
      const bestBack = best.back_at_ms ?? Number.POSITIVE_INFINITY;
      if (bestBack + options.limitedMarginMs < firstBack)
        return switchTo(`every profile is limited and ${inlineName(best.id)} comes back sooner`);
    }
    // A usage read that failed (a timeout, a 429) says nothing against the first: moving it would move it back.
    if (first.unread)
      return keepFirst(
        current,
        ideal,
        info,
        `${inlineName(first.id)} stays first: its usage could not be read this time`,
      );
    // Nor does an idle first's lapsed token: as the first, its next use (which renews it) is the next request.
    if (first.renewal_pending)
      return keepFirst(
        current,
        ideal,
        info,
        `${inlineName(first.id)} stays first: OpenClaw renews its token on its next use, then its usage is read`,
      );
    if (first.standing === "usable" && best.standing === "usable") {
      if (
        first.dry_in_ms !== null &&
        first.dry_in_ms <= options.imminentMs &&
        !best.runs_dry &&
        !backSoon(first, policy, options)
      ) {
        return switchTo(
          `${inlineName(first.id)} runs dry in about ${Math.round(first.dry_in_ms / 60_000)} minutes at this pace ` +
            `and ${inlineName(best.id)} does not`,
        );
      }
      // A first profile whose answer reported no limit yields to one with a known headroom.
      if (first.headroom === null && best.headroom !== null) {
        return switchTo(`${inlineName(best.id)} has a known headroom and ${inlineName(first.id)} has none`);
      }
      const better = policy === "expiry-first" ? expiresSooner(first, ranking.ranked, ideal, options) : null;
      if (better) return better;
      const gain = (best.headroom ?? 0) - (first.headroom ?? 0);
      if (policy === "headroom" && !best.runs_dry && gain >= options.marginPoints) {
        return switchTo(
          `${inlineName(best.id)} has ${gain} points more headroom than ${inlineName(first.id)} ` +
            `(margin ${options.marginPoints})`,
        );
      }
    }
  }

  // The first profile stays (it is best, not ranked, or not clearly beaten).
  return keepFirst(current, ideal, info, `${inlineName(firstId)} stays first: no candidate is clearly better`);
}

/** The first profile stays; the rest of the order is rewritten only when it is unhealthy. */
function keepFirst(current: string[], ideal: string[], info: Map<string, RankedProfile>, why: string): OrderDecision {
  const [firstId = "", ...tail] = current;
  const idealTail = ideal.filter((id) => id !== firstId);
  if (tailIsHealthy(tail, idealTail, info)) return { action: "keep", proposed: current, why };
  return {
    action: "reorder",
    proposed: [firstId, ...idealTail],
    why: `${inlineName(firstId)} stays first; the rest of the order is repaired`,
  };
}

/**
 * expiry-first's reason to take the first place: the first has no room left (the best-ranked candidate with the
 * room to take over does), or the best's quota lapses clearly sooner.
 */
function expiresSooner(
  first: RankedProfile,
  ranked: RankedProfile[],
  ideal: string[],
  options: HysteresisOptions,
): OrderDecision | null {
  // A band, not a line: the first leaves under the room margin, a candidate takes over only with the margin points
  // more; and never one about to run dry. Either would hand the first place straight back: A→B→A.
  const entry = ROOM_MARGIN_PERCENT + options.marginPoints;
  const canTake = (p: RankedProfile): boolean =>
    p.id !== first.id &&
    p.standing === "usable" &&
    (p.headroom ?? 0) >= entry &&
    !(p.dry_in_ms !== null && p.dry_in_ms <= options.imminentMs);
  if ((first.headroom ?? 0) < ROOM_MARGIN_PERCENT && !backSoon(first, "expiry-first", options)) {
    const taker = ranked.find(canTake);
    if (taker === undefined) return null;
    return {
      action: "switch-first",
      proposed: [taker.id, ...ideal.filter((id) => id !== taker.id)],
      why:
        `${inlineName(first.id)} is under ${ROOM_MARGIN_PERCENT}% and ` +
        `${inlineName(taker.id)} has ${taker.headroom}%`,
    };
  }
  const best = ranked[0];
  if (best === undefined || !canTake(best)) return null;
  const firstReset = first.long_reset_at_ms ?? Number.POSITIVE_INFINITY;
  const bestReset = best.long_reset_at_ms ?? Number.POSITIVE_INFINITY;
  if (bestReset + options.resetMarginMs < firstReset)
    return {
      action: "switch-first",
      proposed: ideal,
      why:
        `${inlineName(best.id)}'s quota resets sooner and would lapse unused ` +
        `(margin ${options.resetMarginMs / 3_600_000} h)`,
    };
  return null;
}

/**
 * expiry-first keeps a first profile that is used up, runs low or runs dry when its limit comes back within the
 * failover gap after: it stays the soonest to lapse, OpenClaw's failover covers the gap, and moving away would
 * only move back (A→B→A).
 */
function backSoon(first: RankedProfile, policy: RankPolicy, options: HysteresisOptions): boolean {
  if (policy !== "expiry-first" || first.binding_reset_in_ms === null) return false;
  // A limited first has run out already: the gap starts now, whatever its pace said it had left.
  const dryIn = first.standing === "limited" ? 0 : (first.dry_in_ms ?? 0);
  return first.binding_reset_in_ms <= dryIn + options.failoverGapMs;
}
