import type { HistoryPoint, LimitPoint, UsageHistory } from "./history.ts";
import type { WindowKind } from "./model.ts";
import { usageUnread } from "./profile-usage.ts";
import type { LimitForecast, PoolPart, PoolRunway, ProfileForecast, ProfileUsage } from "./types.ts";
import { byLineOrder, longLimits } from "./verdict.ts";

export interface ForecastOptions {
  /** How far back the burn rate looks, per kind (spend: the spend pool); "other" windows scale with length. */
  lookbackMs: Record<WindowKind | "spend", number>;
  /** The two readings a rate is taken from must be at least this far apart. */
  minSpanMs: number;
  /** Below this many percent per hour a limit counts as idle. */
  idleBelowPerHour: number;
  /** Readings whose reset times differ by more than this belong to different periods. */
  resetToleranceMs: number;
}

const HOUR = 3_600_000;

const DEFAULT_FORECAST: ForecastOptions = {
  lookbackMs: {
    five_hour: 90 * 60_000,
    daily: 6 * HOUR,
    weekly: 24 * HOUR,
    monthly: 48 * HOUR,
    annual: 48 * HOUR,
    spend: 48 * HOUR,
    other: 90 * 60_000,
  },
  minSpanMs: 10 * 60_000,
  idleBelowPerHour: 0.05,
  resetToleranceMs: 5 * 60_000,
};

/** A limit without a reset (a spend pool) counts as running dry when its pace empties it within this. */
const NO_RESET_HORIZON_MS = 31 * 24 * HOUR;

/** A thirtieth of the window (a day for a spend pool): over that, a single whole-percent step is a pace. */
const settleSpanMs = (p: LimitPoint, opts: ForecastOptions): number =>
  Math.max(opts.minSpanMs, ((p.window_seconds ?? 30 * 86_400) * 1000) / 30);

function lookbackFor(p: LimitPoint, opts: ForecastOptions): number {
  if (p.kind !== "other" || p.window_seconds === null) return opts.lookbackMs[p.kind];
  // A fifth of the window, between the 5-hour and the monthly lookback.
  return Math.min(opts.lookbackMs.monthly, Math.max(opts.lookbackMs.other, (p.window_seconds * 1000) / 5));
}

/**
 * The readings of the period the latest reading belongs to, oldest first. A reset between two readings (the
 * reset time moved on, or usage went down) starts a new period, so a rate is never taken across a reset.
 */
function currentPeriod(
  points: HistoryPoint[],
  key: string,
  opts: ForecastOptions,
): Array<{ t: number; p: LimitPoint }> {
  const out: Array<{ t: number; p: LimitPoint }> = [];
  for (let i = points.length - 1; i >= 0; i--) {
    const point = points[i];
    const p = point?.limits[key];
    if (!point || !p) break;
    const newer = out[0];
    if (newer) {
      const a = newer.p.reset_at_ms;
      const b = p.reset_at_ms;
      if ((a === null) !== (b === null) || (a !== null && b !== null && Math.abs(a - b) > opts.resetToleranceMs)) break;
      if (p.used_percent > newer.p.used_percent + 0.5) break;
    }
    out.unshift({ t: point.t, p });
  }
  return out;
}

function forecastLimit(
  points: HistoryPoint[],
  key: string,
  now: number,
  opts: ForecastOptions,
  reached: boolean,
): LimitForecast | null {
  const latestPoint = points.at(-1);
  const latest = latestPoint?.limits[key];
  if (!latestPoint || !latest) return null;
  const left = Math.max(0, 100 - latest.used_percent);
  const reset = latest.reset_at_ms;
  const kind = latest.kind === "spend" ? null : latest.kind;
  const base = { key, kind, windowSeconds: latest.window_seconds, resetAtMs: reset };
  const none = { burnPercentPerHour: null, exhaustsAtMs: null, runsDryBeforeReset: false };
  if (reset !== null && reset <= now) return { ...base, ...none, leftPercent: 100, basis: "reset-passed" };
  // A limit the answer calls reached short of 100 % used (limit_reached, spend_control.reached) is used up now.
  if (left <= 0 || reached) {
    return {
      ...base,
      ...none,
      leftPercent: 0,
      exhaustsAtMs: latestPoint.t,
      runsDryBeforeReset: true,
      basis: "exhausted",
    };
  }
  const period = currentPeriod(points, key, opts);
  const since = latestPoint.t - lookbackFor(latest, opts);
  // The oldest reading of the lookback far enough back; for a sparse history (a check twice a day), the newest before.
  const oldest =
    period.find((q) => q.t >= since && latestPoint.t - q.t >= opts.minSpanMs) ??
    period.filter((q) => q.t < since).at(-1);
  const span = oldest ? latestPoint.t - oldest.t : 0;
  const steps = oldest ? latest.used_percent - oldest.p.used_percent : 0;
  // The endpoint's percents are whole: one step in a short span is any pace up to twice the one it shows.
  if (!oldest || (steps > 0 && steps < 2 && span < settleSpanMs(latest, opts))) {
    return { ...base, ...none, leftPercent: left, basis: "insufficient-history" };
  }
  const rate = (steps / span) * HOUR;
  const exhaustsAt = rate > 0 ? latestPoint.t + (left / rate) * HOUR : Number.POSITIVE_INFINITY;
  // A slow pace is idle only when it would not run the limit dry before its reset: a month at 1 % a day with 3 %
  // left is not idle.
  if (rate < opts.idleBelowPerHour && exhaustsAt >= (reset ?? latestPoint.t + NO_RESET_HORIZON_MS)) {
    return { ...base, ...none, leftPercent: left, burnPercentPerHour: Math.max(0, rate), basis: "idle" };
  }
  return {
    ...base,
    leftPercent: left,
    burnPercentPerHour: Math.round(rate * 100) / 100,
    exhaustsAtMs: Math.round(exhaustsAt),
    // Without a known reset, running out at all is running out before it.
    runsDryBeforeReset: reset === null || exhaustsAt < reset,
    basis: "burn-rate",
  };
}

/**
 * Projects each main-pool limit's time to exhaustion from the recent burn rate; null without any reading. The
 * profile's reading of this check, when it has one, says which limits are reached whatever their percent. A
 * profile whose renewal is pending has not been used since its token lapsed: whatever pace its last readings
 * showed is over, and it burns nothing.
 */
export function forecastFor(
  {
    profileId,
    accountKey,
    reading,
    renewalPending,
  }: Pick<ProfileUsage, "profileId" | "accountKey"> & Partial<Pick<ProfileUsage, "reading" | "renewalPending">>,
  history: UsageHistory,
  now: number,
  opts: ForecastOptions = DEFAULT_FORECAST,
): ProfileForecast | null {
  const points = (history.profiles[accountKey] ?? []).filter((p) => p.t <= now);
  const latest = points.at(-1);
  if (!latest) return null;
  const keys = Object.entries(latest.limits)
    .map(([key, p]) => ({ key, type: p.kind === "spend" ? ("spend" as const) : ("window" as const), p }))
    .sort((a, b) =>
      byLineOrder(
        { type: a.type, kind: a.p.kind === "spend" ? null : a.p.kind, windowSeconds: a.p.window_seconds },
        { type: b.type, kind: b.p.kind === "spend" ? null : b.p.kind, windowSeconds: b.p.window_seconds },
      ),
    )
    .map((k) => k.key);
  const reached = new Set((reading?.limits ?? []).filter((l) => l.reached).map((l) => l.key));
  const limits = keys.flatMap((key) => forecastLimit(points, key, now, opts, reached.has(key)) ?? []);
  if (renewalPending)
    for (const [i, l] of limits.entries())
      if (l.basis === "burn-rate")
        limits[i] = { ...l, burnPercentPerHour: 0, exhaustsAtMs: null, runsDryBeforeReset: false, basis: "idle" };
  return { profileId, limits, runsDryBeforeReset: limits.some((l) => l.runsDryBeforeReset) };
}

/** The long limit that binds: least left among the account's long limits (longLimits: never a short window). */
function longLimit(p: ProfileUsage): LimitForecast | null {
  const long = longLimits(p.forecast?.limits ?? []);
  return long.reduce<LimitForecast | null>(
    (min, l) => (min === null || l.leftPercent < min.leftPercent ? l : min),
    null,
  );
}

/**
 * Whether the account's quota can serve the pool: not unusable (one whose usage could not be read this time, a
 * timeout or a 5xx, still can: its last readings stand for it), and not blocked with no known return (a workspace
 * out of credits, a spend control reached without a pool): no window reset brings such an account back.
 */
const inPool = (p: ProfileUsage): boolean =>
  (p.status !== "unusable" || usageUnread(p)) && !(p.verdict?.status === "limited" && p.verdict.backAtMs === null);

/** What each usable account has left of its long limit: the pool's parts, in report order. */
export function poolParts(profiles: ProfileUsage[]): PoolPart[] {
  return profiles.flatMap((p) => {
    const long = inPool(p) ? longLimit(p) : null;
    return long ? [{ label: p.label, leftPercent: long.leftPercent }] : [];
  });
}

/** The pool's runway; null when no account has a long limit with a recent pace (too little history). PURE. */
export function poolRunway(profiles: ProfileUsage[], now: number): PoolRunway | null {
  const usable = profiles.filter(inPool);
  const limits = usable.flatMap((p) => longLimit(p) ?? []);
  if (!limits.some((l) => l.burnPercentPerHour !== null)) return null;
  const leftPercent = limits.reduce((sum, l) => sum + l.leftPercent, 0);
  const burnPercentPerHour = limits.reduce((sum, l) => sum + Math.max(0, l.burnPercentPerHour ?? 0), 0);
  const runsOutAtMs = burnPercentPerHour > 0 ? now + (leftPercent / burnPercentPerHour) * 3_600_000 : null;
  const resets = limits.flatMap((l) => (l.resetAtMs !== null && l.resetAtMs > now ? [l.resetAtMs] : []));
  const nextResetAtMs = resets.length > 0 ? Math.min(...resets) : null;
  const shortByMs = nextResetAtMs === null ? null : runsOutAtMs === null ? 0 : Math.max(0, nextResetAtMs - runsOutAtMs);
  return {
    accounts: limits.length,
    notCounted: usable.filter((p) => !p.forecast).map((p) => p.label),
    withoutLongLimit: usable.filter((p) => p.forecast && longLimit(p) === null).map((p) => p.label),
    leftPercent,
    burnPercentPerHour,
    runsOutAtMs: runsOutAtMs === null ? null : Math.round(runsOutAtMs),
    nextResetAtMs,
    shortByMs: shortByMs === null ? null : Math.round(shortByMs),
  };
}
