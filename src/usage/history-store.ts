import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { dict } from "../lib/dict.ts";
import { Nullable, readJsonChecked, writeJsonAtomic } from "../lib/json-file.ts";
import type { Logger } from "../lib/logger.ts";
import {
  DEFAULT_HISTORY_BOUNDS,
  emptyHistory,
  type HistoryBounds,
  type HistoryPoint,
  type LimitPoint,
  pruneHistory,
  recordReport,
  type UsageHistory,
} from "./history.ts";
import { WINDOW_KINDS } from "./model.ts";
import type { UsageCheck } from "./types.ts";
import { resolveUsageCacheDir } from "./usage-cache.ts";

const KIND = Type.Union([...WINDOW_KINDS, "spend"].map((k) => Type.Literal(k)));
const LimitPointSchema = Type.Object({
  used_percent: Type.Number(),
  reset_at_ms: Nullable(Type.Number()),
  kind: KIND,
  window_seconds: Nullable(Type.Number()),
});
const HistorySchema = Type.Object({
  version: Type.Literal(2),
  profiles: Type.Record(
    Type.String(),
    Type.Array(Type.Object({ t: Type.Number(), limits: Type.Record(Type.String(), LimitPointSchema) })),
  ),
});

/** The first version kept only the 5-hour and weekly windows; its points carry over under their new keys. */
const V1WindowSchema = Type.Object({
  used_percent: Type.Number(),
  reset_at_ms: Type.Number(),
  limit_window_seconds: Type.Number(),
});
const V1HistorySchema = Type.Object({
  version: Type.Literal(1),
  profiles: Type.Record(
    Type.String(),
    Type.Array(
      Type.Object({ t: Type.Number(), five_hour: Nullable(V1WindowSchema), weekly: Nullable(V1WindowSchema) }),
    ),
  ),
});

const HISTORY_FILE = "usage-history.json";

export function historyPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveUsageCacheDir(env), HISTORY_FILE);
}

function fromV1(old: (typeof V1HistorySchema)["static"]): UsageHistory {
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
  const stored = readJsonChecked(path, Type.Union([HistorySchema, V1HistorySchema]));
  if (!stored) return emptyHistory();
  const history = Value.Check(V1HistorySchema, stored) ? fromV1(stored) : (stored as UsageHistory);
  return pruneHistory(history, now, bounds);
}

/** Adds a check's readings to the history file (atomically) and returns the new history. */
export function appendReport(
  path: string,
  check: UsageCheck,
  now: number,
  bounds: HistoryBounds = DEFAULT_HISTORY_BOUNDS,
): UsageHistory {
  const next = recordReport(loadHistory(path, now, bounds), check, now, bounds);
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
