import type { LimitForecast, ProfileUsage } from "./types.ts";

/**
 * The whole pool at its recent pace: the left of every account's long limit (the week's, the month's, the spend
 * pool's; never the 5-hour one), spent at the sum of their burn rates, against the soonest reset that brings
 * quota back. Percent of one account's limit is the unit, so accounts of different sizes count alike. PURE.
 */
export interface PoolRunway {
  /** Accounts whose long limit has a reading. */
  accounts: number;
  leftPercent: number;
  burnPercentPerHour: number;
  /** When every long limit is spent at this pace; null when nothing burns. */
  runsOutAtMs: number | null;
  /** The soonest long-limit reset: when quota comes back. */
  nextResetAtMs: number | null;
  /** How long the pool is dry before that reset (0: it lasts); null when either time is unknown. */
  shortByMs: number | null;
}

/** The long limit that binds: least left among the main limits that are not the 5-hour window. */
function longLimit(p: ProfileUsage): LimitForecast | null {
  const long = (p.forecast?.limits ?? []).filter((l) => l.kind !== "five_hour");
  return long.reduce<LimitForecast | null>(
    (min, l) => (min === null || l.leftPercent < min.leftPercent ? l : min),
    null,
  );
}

/** What each usable account has left of its long limit: the pool's parts, in report order. */
export function poolParts(profiles: ProfileUsage[]): Array<{ profile: ProfileUsage; leftPercent: number }> {
  return profiles.flatMap((p) => {
    const long = p.status === "unusable" ? null : longLimit(p);
    return long ? [{ profile: p, leftPercent: long.leftPercent }] : [];
  });
}

/** Null when no account has a long limit with a recent pace (too little history). */
export function poolRunway(profiles: ProfileUsage[], now: number): PoolRunway | null {
  const limits = profiles.filter((p) => p.status !== "unusable").flatMap((p) => longLimit(p) ?? []);
  if (!limits.some((l) => l.burnPercentPerHour !== null)) return null;
  const leftPercent = limits.reduce((sum, l) => sum + l.leftPercent, 0);
  const burnPercentPerHour = limits.reduce((sum, l) => sum + Math.max(0, l.burnPercentPerHour ?? 0), 0);
  const runsOutAtMs = burnPercentPerHour > 0 ? now + (leftPercent / burnPercentPerHour) * 3_600_000 : null;
  const resets = limits.flatMap((l) => (l.resetAtMs !== null && l.resetAtMs > now ? [l.resetAtMs] : []));
  const nextResetAtMs = resets.length > 0 ? Math.min(...resets) : null;
  const shortByMs = nextResetAtMs === null ? null : runsOutAtMs === null ? 0 : Math.max(0, nextResetAtMs - runsOutAtMs);
  return {
    accounts: limits.length,
    leftPercent,
    burnPercentPerHour,
    runsOutAtMs: runsOutAtMs === null ? null : Math.round(runsOutAtMs),
    nextResetAtMs,
    shortByMs: shortByMs === null ? null : Math.round(shortByMs),
  };
}
