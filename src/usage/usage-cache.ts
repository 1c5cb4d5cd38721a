import { join } from "node:path";
import { readJsonChecked, resolveCacheDir, writeJsonAtomic } from "../lib/files.ts";
import { storedKey } from "../secrets/redact.ts";
import { isCachedReading, isCacheFile } from "./cache-checks.ts";
import type { UsageReading } from "./model.ts";
import { readingAt } from "./normalize.ts";

/*
 * A short-lived cache of usage readings so repeated checks do not hit the endpoint. One JSON file,
 * dir 0700, file 0600, replaced atomically. It holds normalized UsageReading values only: the type has no
 * token field, its schema (cache-schema.ts) drops anything else before a write, and every entry is checked on
 * read, an entry with any other field refused (a file of an older version reads as empty).
 */

const DEFAULT_CACHE_TTL_MS = 60_000;
export const CACHE_FILE = "usage-cache.json";
/** Entries older than this are dropped on save, whatever the reader's TTL. */
const KEEP_MS = 24 * 3600 * 1000;

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
  /** The cache folder; else from env (see resolveCacheDir). */
  dir?: string;
  env?: NodeJS.ProcessEnv;
  ttlMs?: number;
  now?: () => number;
}

export async function openUsageCache(options: UsageCacheOptions = {}): Promise<UsageCache> {
  const dir = options.dir ?? resolveCacheDir(options.env);
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
      written.set(key, reading);
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
    // Only a run that fetched writes: it loads the schema (and TypeBox) to clean what it writes.
    const { CACHE_VERSION, cleanReading } = await import("./cache-schema.ts");
    const merged = readEntries(file);
    for (const [key, reading] of written) merged.set(key, cleanReading(reading));
    const at = now();
    const kept: Record<string, UsageReading> = {};
    for (const [key, reading] of merged) if (at - reading.fetchedAtMs < KEEP_MS) kept[key] = reading;
    writeJsonAtomic(file, { version: CACHE_VERSION, entries: kept });
  }
}

/** Unreadable, corrupt or foreign content reads as empty: a cache is never worth failing for. */
function readEntries(file: string): Map<string, UsageReading> {
  const out = new Map<string, UsageReading>();
  const parsed = readJsonChecked(file, isCacheFile);
  if (!parsed) return out;
  // A key an older version wrote with a token-shaped id in it (accountKeyOf keeps those by digest) goes.
  for (const [key, value] of Object.entries(parsed.entries))
    if (isCachedReading(value) && storedKey(key) === key) out.set(key, value);
  return out;
}
