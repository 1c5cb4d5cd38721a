import { homedir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Nullable, readJsonChecked, writeJsonAtomic } from "../lib/json-file.ts";
import { type UsageReading, WINDOW_KINDS } from "./model.ts";
import { readingAt } from "./normalize.ts";

/*
 * A short-lived cache of usage readings so repeated checks do not hit the endpoint. One JSON file,
 * dir 0700, file 0600, replaced atomically. It holds normalized UsageReading values only: the type has no
 * token field, the schema below drops anything else before a write, and every entry is validated on read
 * (a file of an older version reads as empty).
 */

const DEFAULT_CACHE_TTL_MS = 60_000;
export const CACHE_FILE = "usage-cache.json";
const CACHE_VERSION = 2;
/** Entries older than this are dropped on save, whatever the reader's TTL. */
const KEEP_MS = 24 * 3600 * 1000;

const Percent = Type.Number({ minimum: 0, maximum: 100 });
const Short = (pattern: string) => Type.String({ maxLength: 64, pattern });
const LimitSchema = Type.Object({
  key: Type.String({ maxLength: 160, pattern: "^[A-Za-z0-9_.:-]+$" }),
  scope: Type.Union([Type.Literal("main"), Type.Literal("model"), Type.Literal("code_review")]),
  type: Type.Union([Type.Literal("window"), Type.Literal("spend")]),
  kind: Nullable(Type.Union(WINDOW_KINDS.map((k) => Type.Literal(k)))),
  windowSeconds: Nullable(Type.Number({ exclusiveMinimum: 0 })),
  name: Nullable(Short("^[A-Za-z0-9][\\x20-\\x7e]*$")),
  feature: Nullable(Short("^[A-Za-z][A-Za-z0-9_.-]*$")),
  usedPercent: Percent,
  leftPercent: Percent,
  resetAtMs: Nullable(Type.Number()),
  reached: Type.Boolean(),
  amounts: Nullable(
    Type.Object({ limit: Nullable(Type.Number()), used: Nullable(Type.Number()), remaining: Nullable(Type.Number()) }),
  ),
});
const ReadingSchema = Type.Object({
  plan: Nullable(Type.String({ maxLength: 48, pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" })),
  fetchedAtMs: Type.Number(),
  allowed: Type.Boolean(),
  limitReached: Type.Boolean(),
  spendReached: Type.Boolean(),
  limits: Type.Array(LimitSchema, { maxItems: 64 }),
  credits: Nullable(
    Type.Object({
      hasCredits: Type.Boolean(),
      unlimited: Type.Boolean(),
      balance: Nullable(Type.Number()),
      overageLimitReached: Type.Boolean(),
    }),
  ),
  resetCredits: Nullable(Type.Integer({ minimum: 0 })),
  reachedType: Nullable(Short("^[A-Za-z][A-Za-z0-9_.-]*$")),
});
const CacheFileSchema = Type.Object({
  version: Type.Literal(CACHE_VERSION),
  entries: Type.Record(Type.String(), Type.Unknown()),
});

export interface UsageCache {
  readonly file: string;
  /** A reading younger than the TTL, seen at now (passed resets at 0 % used); else undefined. */
  get(key: string): UsageReading | undefined;
  set(key: string, reading: UsageReading): void;
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
  const written = new Map<string, UsageReading>();

  return {
    file,
    get(key) {
      const reading = written.get(key) ?? entries.get(key);
      if (!reading) return undefined;
      const at = now();
      const age = at - reading.fetchedAtMs;
      // A reading from the future (clock moved back) is not trusted either.
      if (age < 0 || age >= ttlMs) return undefined;
      return readingAt(reading, at);
    },
    set(key, reading) {
      written.set(key, clean(reading));
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
    for (const [key, reading] of written) merged.set(key, reading);
    const at = now();
    const kept: Record<string, UsageReading> = {};
    for (const [key, reading] of merged) if (at - reading.fetchedAtMs < KEEP_MS) kept[key] = reading;
    writeJsonAtomic(file, { version: CACHE_VERSION, entries: kept });
  }
}

/** Unreadable, corrupt or foreign content reads as empty: a cache is never worth failing for. */
function readEntries(file: string): Map<string, UsageReading> {
  const out = new Map<string, UsageReading>();
  const parsed = readJsonChecked(file, CacheFileSchema);
  if (!parsed) return out;
  for (const [key, value] of Object.entries(parsed.entries)) {
    if (Value.Check(ReadingSchema, value)) out.set(key, clean(value as UsageReading));
  }
  return out;
}

/** Only the reading's own fields survive, so nothing else can reach the file. */
function clean(reading: UsageReading): UsageReading {
  return Value.Clean(ReadingSchema, structuredClone(reading)) as UsageReading;
}
