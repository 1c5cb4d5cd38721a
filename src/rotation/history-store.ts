import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import type { UsageReport } from "../usage/types.ts";
import { resolveUsageCacheDir } from "../usage/usage-cache.ts";
import { DEFAULT_HISTORY_BOUNDS, emptyHistory, pruneHistory, recordReport, type HistoryBounds, type UsageHistory } from "./history.ts";
import { readJsonChecked, writeJsonAtomic } from "./json-file.ts";

const WindowPointSchema = Type.Object({
  used_percent: Type.Number(),
  reset_at_ms: Type.Number(),
  limit_window_seconds: Type.Number(),
});
const HistorySchema = Type.Object({
  version: Type.Literal(1),
  profiles: Type.Record(
    Type.String(),
    Type.Array(Type.Object({ t: Type.Number(), five_hour: Type.Union([WindowPointSchema, Type.Null()]), weekly: Type.Union([WindowPointSchema, Type.Null()]) })),
  ),
});

export const HISTORY_FILE = "usage-history.json";

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveUsageCacheDir(env), HISTORY_FILE);
}

/** The usage history in the cache dir; an absent or invalid file reads as empty. */
export function loadHistory(path: string, now: number, bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS): UsageHistory {
  const stored = readJsonChecked(path, HistorySchema);
  return stored ? pruneHistory(stored as UsageHistory, now, bounds) : emptyHistory();
}

/** Adds a report's readings to the history file (atomically) and returns the new history. */
export function appendReport(path: string, report: UsageReport, now: number, bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS): UsageHistory {
  const next = recordReport(loadHistory(path, now, bounds), report, now, bounds);
  writeJsonAtomic(path, next);
  return next;
}
