import { dict } from "../lib/dict.ts";
import { storedKey } from "../secrets/redact.ts";
import type { UsageReading, WindowKind } from "./model.ts";
import type { UsageCheck } from "./types.ts";
import { mainLimits } from "./verdict.ts";

/** One main-pool limit as recorded in the history: no tokens, no identity beyond the profile's account key. */
export interface LimitPoint {
  used_percent: number;
  reset_at_ms: number | null;
  /** The window's kind, or "spend" for the spend pool. */
  kind: WindowKind | "spend";
  window_seconds: number | null;
}

export interface HistoryPoint {
  /** ms epoch when the usage endpoint answered. */
  t: number;
  /** By limit key ("main:five_hour", "main:monthly", "main:spend"). */
  limits: Record<string, LimitPoint>;
}

export interface UsageHistory {
  version: 2;
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

export const emptyHistory = (): UsageHistory => ({ version: 2, profiles: {} });

/** A reading with main-pool limits that the history does not hold yet (a cached one has its fetch time there). */
const isNewReading = (history: UsageHistory, accountKey: string, reading: UsageReading): boolean =>
  mainLimits(reading).length > 0 && !(history.profiles[accountKey] ?? []).some((q) => q.t === reading.fetchedAtMs);

/** Whether recordReport would add anything: a run whose readings all came from the cache has nothing to write. */
export const hasNewReadings = (history: UsageHistory, check: UsageCheck): boolean =>
  check.profiles.some((p) => p.reading !== null && isNewReading(history, p.accountKey, p.reading));

/**
 * Adds every reading of a usage check that is not in the history yet (a cached reading is recognised by
 * its fetch time), then prunes to the bounds. Only main-pool limits are recorded. Pure: returns a new history.
 */
export function recordReport(
  history: UsageHistory,
  check: UsageCheck,
  now: number,
  bounds = DEFAULT_HISTORY_BOUNDS,
): UsageHistory {
  const profiles = dict(history.profiles);
  for (const p of check.profiles) {
    if (p.reading === null || !isNewReading(history, p.accountKey, p.reading)) continue;
    const main = mainLimits(p.reading);
    const t = p.reading.fetchedAtMs;
    const points = profiles[p.accountKey] ?? [];
    const limits: Record<string, LimitPoint> = {};
    for (const l of main) {
      limits[l.key] = {
        used_percent: l.usedPercent,
        reset_at_ms: l.resetAtMs,
        kind: l.kind ?? "spend",
        window_seconds: l.windowSeconds,
      };
    }
    profiles[p.accountKey] = [...points, { t, limits }].sort((a, b) => a.t - b.t);
  }
  return pruneHistory({ version: 2, profiles }, now, bounds);
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
    // A key an older version wrote with a token-shaped id in it (accountKeyOf keeps those by digest) goes.
    .filter(([id, points]) => points.length > 0 && storedKey(id) === id)
    .sort((a, b) => (b[1].at(-1)?.t ?? 0) - (a[1].at(-1)?.t ?? 0))
    .slice(0, bounds.maxProfiles);
  return { version: 2, profiles: dict(kept) };
}
