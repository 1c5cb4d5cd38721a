import { join } from "node:path";
import { dict } from "../lib/dict.ts";
import { readJsonChecked, resolveCacheDir, writeJsonAtomic } from "../lib/files.ts";
import { errorMessage } from "../secrets/redact.ts";
import { forecastFor, poolParts, poolRunway } from "./forecast.ts";
import {
  DEFAULT_HISTORY_BOUNDS,
  emptyHistory,
  type HistoryBounds,
  type HistoryPoint,
  hasNewReadings,
  type LimitPoint,
  pruneHistory,
  recordReport,
  type UsageHistory,
} from "./history.ts";
import { isHistoryFile } from "./history-checks.ts";
import type { HistoryV1 } from "./history-schema.ts";
import type { UsageCheck } from "./types.ts";

const HISTORY_FILE = "usage-history.json";

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveCacheDir(env), HISTORY_FILE);
}

function fromV1(old: HistoryV1): UsageHistory {
  const profiles = dict<HistoryPoint[]>();
  for (const [id, points] of Object.entries(old.profiles)) {
    profiles[id] = points.map((p) => {
      const limits: Record<string, LimitPoint> = {};
      for (const kind of ["five_hour", "weekly"] as const) {
        const w = p[kind];
        if (w) {
          const point = { used_percent: w.used_percent, reset_at_ms: w.reset_at_ms, kind };
          limits[`main:${kind}`] = { ...point, window_seconds: w.limit_window_seconds };
        }
      }
      return { t: p.t, limits };
    });
  }
  return { version: 2, profiles };
}

/** The usage history in the cache dir; an absent or invalid file reads as empty. */
export function loadHistory(path: string, now: number, bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS): UsageHistory {
  const stored = readJsonChecked(path, isHistoryFile);
  if (!stored) return emptyHistory();
  const history = stored.version === 1 ? fromV1(stored) : stored;
  return pruneHistory(history, now, bounds);
}

/** Adds a check's new readings to the history file (atomically; no write when none is new) and returns it. */
export function appendReport(
  path: string,
  check: UsageCheck,
  now: number,
  bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS,
): UsageHistory {
  const loaded = loadHistory(path, now, bounds);
  if (!hasNewReadings(loaded, check)) return loaded;
  const next = recordReport(loaded, check, now, bounds);
  writeJsonAtomic(path, next);
  return next;
}

/**
 * What the caller of a check (CLI command, chat service, rotation tick) does once with its result: record the
 * readings in the usage history at `path` (`record: false` only reads it: the same tick recorded them already),
 * give each profile its forecast from that history and the check the pool's runway. The history is a
 * convenience: one that cannot be written costs the forecasts and the runway (left undefined) and is said in the
 * check's warnings, never the caller's work.
 */
export function recordUsageHistory(
  check: UsageCheck,
  path: string,
  now: number,
  options: { record?: boolean } = {},
): void {
  let history: UsageHistory;
  try {
    history = options.record === false ? loadHistory(path, now) : appendReport(path, check, now);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? errorMessage(err);
    const warning = `the usage history ${path} could not be written (${why}); no forecast this time`;
    check.warnings = [...(check.warnings ?? []), warning];
    return;
  }
  for (const p of check.profiles) p.forecast = forecastFor(p, history, now);
  check.pool = poolRunway(check.profiles, now);
  check.poolParts = poolParts(check.profiles);
}
