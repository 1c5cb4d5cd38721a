import { homedir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { readJsonChecked, writeJsonAtomic } from "../lib/json-file.ts";
import type { UsageSnapshot } from "./types.ts";
import { snapshotAt } from "./windows.ts";

/*
 * A short-lived cache of usage snapshots so repeated checks do not hit the endpoint. One JSON file,
 * dir 0700, file 0600, replaced atomically. It holds UsageSnapshot values only: the type has no
 * token field, and the schema below drops anything else before a write.
 */

const DEFAULT_CACHE_TTL_MS = 60_000;
export const CACHE_FILE = "usage-cache.json";
const CACHE_VERSION = 1;
/** Entries older than this are dropped on save, whatever the reader's TTL. */
const KEEP_MS = 24 * 3600 * 1000;

const WindowSchema = Type.Object({
  used_percent: Type.Number(),
  left_percent: Type.Number(),
  reset_at: Type.String(),
  reset_in_seconds: Type.Number(),
  limit_window_seconds: Type.Number(),
});
const SnapshotSchema = Type.Object({
  plan: Type.Union([Type.String(), Type.Null()]),
  allowed: Type.Boolean(),
  limit_reached: Type.Boolean(),
  windows: Type.Object({
    five_hour: Type.Union([WindowSchema, Type.Null()]),
    weekly: Type.Union([WindowSchema, Type.Null()]),
  }),
  fetched_at_ms: Type.Number(),
});
const CacheFileSchema = Type.Object({
  version: Type.Literal(CACHE_VERSION),
  entries: Type.Record(Type.String(), Type.Unknown()),
});

export interface UsageCache {
  readonly file: string;
  /** A snapshot younger than the TTL, seen at now (passed windows at 0 % used); else undefined. */
  get(key: string): UsageSnapshot | undefined;
  set(key: string, snapshot: UsageSnapshot): void;
  /**
   * Writes the entries set since opening, merged over what is on disk now (another run may have
   * written). Never throws: false when nothing could be written (e.g. a read-only folder).
   */
  save(): Promise<boolean>;
}

export interface UsageCacheOptions {
  /** The cache folder; else from env (see resolveUsageCacheDir). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  ttlMs?: number;
  now?: () => number;
}

/** $CODEX_PROFILER_CACHE_DIR, else $XDG_CACHE_HOME/codex-profiler, else ~/.cache/codex-profiler. */
export function resolveUsageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_PROFILER_CACHE_DIR) return env.CODEX_PROFILER_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "codex-profiler");
  return join(env.HOME || homedir(), ".cache", "codex-profiler");
}

/** The cache key: one profile on one account (Team seats share an account id, not a profile id). */
export const usageCacheKey = (profileId: string, accountId: string | null): string => `${profileId}#${accountId ?? ""}`;

export async function openUsageCache(options: UsageCacheOptions = {}): Promise<UsageCache> {
  const dir = options.dir ?? resolveUsageCacheDir(options.env);
  const file = join(dir, CACHE_FILE);
  const ttlMs = options.ttlMs ?? DEFAULT_CACHE_TTL_MS;
  const now = options.now ?? Date.now;
  const entries = readEntries(file);
  const written = new Map<string, UsageSnapshot>();

  return {
    file,
    get(key) {
      const snapshot = written.get(key) ?? entries.get(key);
      if (!snapshot) return undefined;
      const at = now();
      const age = at - snapshot.fetched_at_ms;
      // A snapshot from the future (clock moved back) is not trusted either.
      if (age < 0 || age >= ttlMs) return undefined;
      return snapshotAt(snapshot, at);
    },
    set(key, snapshot) {
      written.set(key, clean(snapshot));
    },
    async save() {
      if (written.size === 0) return true;
      try {
        await persist();
        return true;
      } catch {
        return false;
      }
    },
  };

  async function persist(): Promise<void> {
    const merged = readEntries(file);
    for (const [key, snapshot] of written) merged.set(key, snapshot);
    const at = now();
    const kept: Record<string, UsageSnapshot> = {};
    for (const [key, snapshot] of merged) if (at - snapshot.fetched_at_ms < KEEP_MS) kept[key] = snapshot;
    writeJsonAtomic(file, { version: CACHE_VERSION, entries: kept });
  }
}

/** Unreadable, corrupt or foreign content reads as empty: a cache is never worth failing for. */
function readEntries(file: string): Map<string, UsageSnapshot> {
  const out = new Map<string, UsageSnapshot>();
  const parsed = readJsonChecked(file, CacheFileSchema);
  if (!parsed) return out;
  for (const [key, value] of Object.entries(parsed.entries)) {
    if (Value.Check(SnapshotSchema, value)) out.set(key, clean(value));
  }
  return out;
}

/** Only the snapshot's own fields survive, so nothing else can reach the file. */
function clean(snapshot: UsageSnapshot): UsageSnapshot {
  return Value.Clean(SnapshotSchema, structuredClone(snapshot)) as UsageSnapshot;
}
