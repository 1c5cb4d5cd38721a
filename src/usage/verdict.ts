import {
  type BlockedReason,
  type ProfileStatus,
  type UsageLimit,
  type UsageReading,
  type Verdict,
  WINDOW_KINDS,
  type WindowKind,
} from "./model.ts";

/*
 * What a reading means for using an account now. Pure. Only main-pool limits (its windows and its spend pool)
 * decide; per-model and code-review limits are reported, never binding.
 */

const WORKSPACE_BLOCKS = new Set<BlockedReason>([
  "workspace_owner_credits_depleted",
  "workspace_member_credits_depleted",
  "workspace_owner_usage_limit_reached",
  "workspace_member_usage_limit_reached",
]);

export const mainLimits = (reading: UsageReading): UsageLimit[] => reading.limits.filter((l) => l.scope === "main");

const KIND_ORDER: readonly WindowKind[] = WINDOW_KINDS;
type Ordered = Pick<UsageLimit, "type" | "kind" | "windowSeconds">;
const rank = (l: Ordered): number =>
  l.type === "spend" || l.kind === null ? KIND_ORDER.length : KIND_ORDER.indexOf(l.kind);

/** The order of a profile's line: five_hour, daily, weekly, monthly, annual, other (by length), spend pool last. */
export const byLineOrder = (a: Ordered, b: Ordered): number =>
  rank(a) - rank(b) || (a.windowSeconds ?? 0) - (b.windowSeconds ?? 0);

const SCOPE_ORDER = { main: 0, model: 1, code_review: 2 } as const;

/** The order a profile's limits are shown in: the main pool, per-model limits, code review; each in line order. */
export const inReportOrder = (limits: readonly UsageLimit[]): UsageLimit[] =>
  [...limits].sort((a, b) => SCOPE_ORDER[a.scope] - SCOPE_ORDER[b.scope] || byLineOrder(a, b));

type Lengthed = Pick<UsageLimit, "kind" | "windowSeconds">;
/** A window shorter than this (the 5-hour one, a 90-minute one) is never an account's long limit. */
const LONG_MIN_SECONDS = 86_400 * 0.95;

/**
 * An account's long limits: its spend pool (kind null) and its longest window of a day or more; never a short
 * window, whatever its kind ("other" covers 90 minutes as well as 36 hours).
 */
export function longLimits<L extends Lengthed>(limits: readonly L[]): L[] {
  const windows = limits.filter((l) => l.kind !== null && (l.windowSeconds ?? 0) >= LONG_MIN_SECONDS);
  const longest = Math.max(0, ...windows.map((l) => l.windowSeconds ?? 0));
  return limits.filter((l) => l.kind === null || (windows.includes(l) && l.windowSeconds === longest));
}

const laterReset = (l: UsageLimit): number => l.resetAtMs ?? Number.POSITIVE_INFINITY;

/** The main-pool limit with the least left; ties: the later reset (an unknown reset counts as latest). */
export function bindingLimit(reading: UsageReading): UsageLimit | null {
  let best: UsageLimit | null = null;
  for (const l of mainLimits(reading)) {
    if (best === null || l.leftPercent < best.leftPercent) best = l;
    else if (l.leftPercent === best.leftPercent && laterReset(l) > laterReset(best)) best = l;
  }
  return best;
}

/** The main window with the least left (what a rate limit is), never a spend pool beside it; null without one. */
export const bindingWindow = (reading: UsageReading): UsageLimit | null =>
  bindingLimit({ ...reading, limits: reading.limits.filter((l) => l.type === "window") });

function flagReason(reading: UsageReading): BlockedReason {
  if (reading.spendReached && reading.allowed && !reading.limitReached) return "spend_limit";
  return reading.reachedType === null || reading.reachedType === "rate_limit_reached" ? "rate_limit" : "unknown";
}

/**
 * ok or limited, the binding limit, why and until when. `reading` is the one seen at nowMs (readingAt).
 * Limited: the binding limit is used up; or the answer's allowed=false / limit_reached / spend_control.reached
 * (readingAt lifts them once the limit they speak of has reset); or rate_limit_reached_type names a workspace
 * credits/usage block (which no window reset lifts). The reason and "back" are those of the block that holds
 * longest: a spent 5-hour window beside a reached spend control is back when the spend pool resets.
 */
export function verdictOf(reading: UsageReading): Verdict {
  const binding = bindingLimit(reading);
  const poolResetAtMs = mainLimits(reading).find((l) => l.type === "spend")?.resetAtMs ?? null;
  const flagged = !reading.allowed || reading.limitReached || reading.spendReached;
  const spent = binding !== null && (binding.reached || binding.leftPercent <= 0);
  const workspace = WORKSPACE_BLOCKS.has(reading.reachedType as BlockedReason)
    ? (reading.reachedType as BlockedReason)
    : null;
  if (!spent && !flagged && workspace === null) {
    return { status: "ok", binding, blockedReason: null, backAtMs: null, continuesOnCredits: false };
  }
  let reason: BlockedReason;
  let backAtMs: number | null;
  if (workspace !== null) {
    reason = workspace;
    backAtMs = null;
  } else if (spent) {
    reason = binding.type === "spend" ? "spend_limit" : "rate_limit";
    backAtMs = binding.resetAtMs;
  } else {
    reason = flagReason(reading);
    const windowBack = bindingWindow(reading)?.resetAtMs ?? null;
    backAtMs = reason === "rate_limit" ? windowBack : reason === "spend_limit" ? poolResetAtMs : null;
  }
  // A reached spend control holds until its pool resets (unknown without one), whatever window reset comes first.
  if (reading.spendReached && reason === "rate_limit") {
    if (poolResetAtMs === null || (backAtMs !== null && poolResetAtMs > backAtMs)) {
      reason = "spend_limit";
      backAtMs = poolResetAtMs;
    }
  }
  const credits = reading.credits;
  const continuesOnCredits =
    reason === "rate_limit" &&
    credits !== null &&
    (credits.hasCredits || credits.unlimited) &&
    !credits.overageLimitReached;
  return { status: "limited", binding, blockedReason: reason, backAtMs, continuesOnCredits };
}

/** What the ranking of "which account to use now" needs from a profile's result. */
interface Rankable {
  status: ProfileStatus;
  verdict: Verdict | null;
}

/** The binding limit's left percent; null when the answer carried no limit (or there was no answer). */
export const headroomOf = (p: Rankable): number | null => p.verdict?.binding?.leftPercent ?? null;

/**
 * The ok profiles, most headroom first; those without a known headroom (no limit reported, renewal pending)
 * after every one with one; ties in the given order. The one ranking of "which profile to use now": a check's
 * `ranking`, which the suggested message and the chat's next steps read (rotation ranks with more: forecast,
 * cooldowns, limited ones).
 */
export function rankByHeadroom<R extends Rankable>(profiles: readonly R[]): R[] {
  return profiles
    .map((r, index) => ({ r, index, room: headroomOf(r) ?? -1 }))
    .filter((x) => x.r.status === "ok")
    .sort((a, b) => b.room - a.room || a.index - b.index)
    .map((x) => x.r);
}
