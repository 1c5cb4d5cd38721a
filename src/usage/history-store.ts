import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { readJsonChecked, writeJsonAtomic } from "../lib/json-file.ts";
import type { Logger } from "../lib/logger.ts";
import {
  DEFAULT_HISTORY_BOUNDS,
  emptyHistory,
  type HistoryBounds,
  pruneHistory,
  recordReport,
  type UsageHistory,
} from "./history.ts";
import type { UsageCheck } from "./types.ts";
import { resolveUsageCacheDir } from "./usage-cache.ts";

const WindowPointSchema = Type.Object({
  used_percent: Type.Number(),
  reset_at_ms: Type.Number(),
  limit_window_seconds: Type.Number(),
});
const HistorySchema = Type.Object({
  version: Type.Literal(1),
  profiles: Type.Record(
    Type.String(),
    Type.Array(
      Type.Object({
        t: Type.Number(),
        five_hour: Type.Union([WindowPointSchema, Type.Null()]),
        weekly: Type.Union([WindowPointSchema, Type.Null()]),
      }),
    ),
  ),
});

const HISTORY_FILE = "usage-history.json";

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveUsageCacheDir(env), HISTORY_FILE);
}

/** The usage history in the cache dir; an absent or invalid file reads as empty. */
export function loadHistory(path: string, now: number, bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS): UsageHistory {
  const stored = readJsonChecked(path, HistorySchema);
  return stored ? pruneHistory(stored as UsageHistory, now, bounds) : emptyHistory();
}

/** Adds a report's readings to the history file (atomically) and returns the new history. */
export function appendReport(
  path: string,
  report: UsageCheck,
  now: number,
  bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS,
): UsageHistory {
  const next = recordReport(loadHistory(path, now, bounds), report, now, bounds);
  writeJsonAtomic(path, next);
  return next;
}

/**
 * What the caller of a check (CLI command, chat service, rotation tick) does once with its result: record
 * the readings in the usage history of the cache dir. The history is a convenience: a cache dir that cannot
 * be written costs the forecast (null), never the report.
 */
export function recordUsageHistory(
  check: UsageCheck,
  env: NodeJS.ProcessEnv,
  now: number,
  logger?: Logger,
): UsageHistory | null {
  try {
    return appendReport(historyPath(env), check, now);
  } catch (err) {
    logger?.warn({ err }, "usage history not updated; no forecast this time");
    return null;
  }
}
