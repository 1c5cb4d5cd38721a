import type { HistoryPoint, UsageHistory, WindowPoint } from "./history.ts";
import type { ProfileForecast, WindowForecast, WindowKind } from "./types.ts";

export interface ForecastOptions {
  /** How far back the burn rate looks, per window. */
  lookbackMs: Record<WindowKind, number>;
  /** The two readings a rate is taken from must be at least this far apart. */
  minSpanMs: number;
  /** Below this many percent per hour a window counts as idle. */
  idleBelowPerHour: number;
  /** Readings whose reset times differ by more than this belong to different window periods. */
  resetToleranceMs: number;
}

const DEFAULT_FORECAST: ForecastOptions = {
  lookbackMs: { five_hour: 90 * 60_000, weekly: 24 * 3_600_000 },
  minSpanMs: 10 * 60_000,
  idleBelowPerHour: 0.05,
  resetToleranceMs: 5 * 60_000,
};

const HOUR = 3_600_000;

/**
 * The readings of the window period the latest reading belongs to, oldest first. A reset between two
 * readings (the reset time moved on, or usage went down) starts a new period, so a rate is never taken
 * across a reset.
 */
function currentPeriod(
  points: HistoryPoint[],
  kind: WindowKind,
  opts: ForecastOptions,
): Array<{ t: number; w: WindowPoint }> {
  const out: Array<{ t: number; w: WindowPoint }> = [];
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i];
    const w = p?.[kind];
    if (!p || !w) break;
    const newer = out[0];
    if (newer) {
      if (Math.abs(newer.w.reset_at_ms - w.reset_at_ms) > opts.resetToleranceMs) break;
      if (w.used_percent > newer.w.used_percent + 0.5) break;
    }
    out.unshift({ t: p.t, w });
  }
  return out;
}

function forecastWindow(
  points: HistoryPoint[],
  kind: WindowKind,
  now: number,
  opts: ForecastOptions,
): WindowForecast | null {
  const latestPoint = points.at(-1);
  const latest = latestPoint?.[kind];
  if (!latestPoint || !latest) return null;
  const left = Math.max(0, 100 - latest.used_percent);
  const base = { window: kind, reset_at_ms: latest.reset_at_ms };
  if (latest.reset_at_ms <= now) {
    return {
      ...base,
      left_percent: 100,
      burn_percent_per_hour: null,
      exhausts_at_ms: null,
      runs_dry_before_reset: false,
      basis: "reset-passed",
    };
  }
  if (left <= 0) {
    return {
      ...base,
      left_percent: 0,
      burn_percent_per_hour: null,
      exhausts_at_ms: latestPoint.t,
      runs_dry_before_reset: true,
      basis: "exhausted",
    };
  }
  const period = currentPeriod(points, kind, opts).filter((q) => q.t >= latestPoint.t - opts.lookbackMs[kind]);
  const oldest = period[0];
  if (!oldest || latestPoint.t - oldest.t < opts.minSpanMs) {
    return {
      ...base,
      left_percent: left,
      burn_percent_per_hour: null,
      exhausts_at_ms: null,
      runs_dry_before_reset: false,
      basis: "insufficient-history",
    };
  }
  const rate = ((latest.used_percent - oldest.w.used_percent) / (latestPoint.t - oldest.t)) * HOUR;
  if (rate < opts.idleBelowPerHour) {
    return {
      ...base,
      left_percent: left,
      burn_percent_per_hour: Math.max(0, rate),
      exhausts_at_ms: null,
      runs_dry_before_reset: false,
      basis: "idle",
    };
  }
  const exhaustsAt = latestPoint.t + (left / rate) * HOUR;
  return {
    ...base,
    left_percent: left,
    burn_percent_per_hour: Math.round(rate * 100) / 100,
    exhausts_at_ms: Math.round(exhaustsAt),
    runs_dry_before_reset: exhaustsAt < latest.reset_at_ms,
    basis: "burn-rate",
  };
}

/** Projects each window's time to exhaustion from the recent burn rate; null without any reading. */
export function forecastFor(
  profileId: string,
  history: UsageHistory,
  now: number,
  opts: ForecastOptions = DEFAULT_FORECAST,
): ProfileForecast | null {
  const points = (history.profiles[profileId] ?? []).filter((p) => p.t <= now);
  if (points.length === 0) return null;
  const windows = {
    five_hour: forecastWindow(points, "five_hour", now, opts),
    weekly: forecastWindow(points, "weekly", now, opts),
  };
  return {
    profile: profileId,
    windows,
    runs_dry_before_reset: Boolean(windows.five_hour?.runs_dry_before_reset || windows.weekly?.runs_dry_before_reset),
  };
}
