import type { UsageCheck, WindowKind } from "./types.ts";

/** One window as recorded in the history: no tokens, no identity beyond the profile id. */
export interface WindowPoint {
  used_percent: number;
  reset_at_ms: number;
  limit_window_seconds: number;
}

export interface HistoryPoint {
  /** ms epoch when the usage endpoint answered. */
  t: number;
  five_hour: WindowPoint | null;
  weekly: WindowPoint | null;
}

export interface UsageHistory {
  version: 1;
  profiles: Record<string, HistoryPoint[]>;
}

export interface HistoryBounds {
  maxAgeMs: number;
  maxPointsPerProfile: number;
  maxProfiles: number;
}

/** Two days at one reading every 10 minutes, for at most 64 profiles: well under 2 MB. */
export const DEFAULT_HISTORY_BOUNDS: HistoryBounds = {
  maxAgeMs: 48 * 3_600_000,
  maxPointsPerProfile: 300,
  maxProfiles: 64,
};

export const emptyHistory = (): UsageHistory => ({ version: 1, profiles: {} });

function toPoint(
  windows: Record<WindowKind, { used_percent: number; reset_at: string; limit_window_seconds: number } | null>,
  t: number,
): HistoryPoint {
  const conv = (
    w: { used_percent: number; reset_at: string; limit_window_seconds: number } | null,
  ): WindowPoint | null => {
    if (!w) return null;
    const reset = Date.parse(w.reset_at);
    return Number.isFinite(reset)
      ? { used_percent: w.used_percent, reset_at_ms: reset, limit_window_seconds: w.limit_window_seconds }
      : null;
  };
  return { t, five_hour: conv(windows.five_hour), weekly: conv(windows.weekly) };
}

/**
 * Adds every reading of a usage report that is not in the history yet (a cached reading is recognised by
 * its fetch time), then prunes to the bounds. Pure: returns a new history.
 */
export function recordReport(
  history: UsageHistory,
  report: UsageCheck,
  now: number,
  bounds = DEFAULT_HISTORY_BOUNDS,
): UsageHistory {
  const profiles: Record<string, HistoryPoint[]> = { ...history.profiles };
  for (const p of report.profiles) {
    if (p.fetched_at === null || (p.windows.five_hour === null && p.windows.weekly === null)) continue;
    const t = Date.parse(p.fetched_at);
    if (!Number.isFinite(t)) continue;
    const points = profiles[p.profile] ?? [];
    if (points.some((q) => q.t === t)) continue;
    profiles[p.profile] = [...points, toPoint(p.windows, t)].sort((a, b) => a.t - b.t);
  }
  return pruneHistory({ version: 1, profiles }, now, bounds);
}

export function pruneHistory(history: UsageHistory, now: number, bounds = DEFAULT_HISTORY_BOUNDS): UsageHistory {
  const kept = Object.entries(history.profiles)
    .map(
      ([id, points]) =>
        [
          id,
          points.filter((q) => q.t >= now - bounds.maxAgeMs && q.t <= now + 60_000).slice(-bounds.maxPointsPerProfile),
        ] as const,
    )
    .filter(([, points]) => points.length > 0)
    .sort((a, b) => (b[1].at(-1)?.t ?? 0) - (a[1].at(-1)?.t ?? 0))
    .slice(0, bounds.maxProfiles);
  return { version: 1, profiles: Object.fromEntries(kept) };
}
