import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { UsageSnapshot } from "../../src/usage/types.ts";
import { CACHE_FILE, openUsageCache, resolveUsageCacheDir, usageCacheKey } from "../../src/usage/usage-cache.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { expectNoSecrets } from "../support/secrets.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cxp-cache-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const snapshot = (fetchedAt = NOW, used = 30): UsageSnapshot => ({
  plan: "plus",
  allowed: true,
  limit_reached: false,
  windows: {
    five_hour: {
      used_percent: used,
      left_percent: 100 - used,
      reset_at: new Date(fetchedAt + 600_000).toISOString(),
      reset_in_seconds: 600,
      limit_window_seconds: 18000,
    },
    weekly: null,
  },
  fetched_at_ms: fetchedAt,
});

describe("resolveUsageCacheDir", () => {
  it("prefers CODEX_PROFILER_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
    expect(resolveUsageCacheDir({ CODEX_PROFILER_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/c");
    expect(resolveUsageCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/x/codex-profiler");
    expect(resolveUsageCacheDir({ HOME: "/h" })).toBe("/h/.cache/codex-profiler");
  });
});

describe("openUsageCache", () => {
  it("round-trips within the TTL, and misses after it", async () => {
    const dir = join(tempDir(), "nested", "codex-profiler");
    let now = NOW;
    const first = await openUsageCache({ dir, ttlMs: 60_000, now: () => now });
    first.set(usageCacheKey("openai:alice", "acc-alice"), snapshot());
    expect(await first.save()).toBe(true);

    now = NOW + 30_000;
    const second = await openUsageCache({ env: { CODEX_PROFILER_CACHE_DIR: dir }, ttlMs: 60_000, now: () => now });
    const hit = second.get(usageCacheKey("openai:alice", "acc-alice"));
    expect(hit?.windows.five_hour).toMatchObject({ used_percent: 30, reset_in_seconds: 570 });
    expect(second.get(usageCacheKey("openai:alice", "acc-other"))).toBeUndefined();
    expect(second.get(usageCacheKey("openai:bob", "acc-alice"))).toBeUndefined();

    now = NOW + 60_000;
    expect(second.get(usageCacheKey("openai:alice", "acc-alice"))).toBeUndefined();
  });

  it("ignores a snapshot from the future (the clock went back)", async () => {
    const dir = tempDir();
    const cache = await openUsageCache({ dir, now: () => NOW });
    cache.set("k", snapshot(NOW + 5_000));
    expect(cache.get("k")).toBeUndefined();
  });

  it("creates its folder 0700 and its file 0600, written atomically with no temporary file left", async () => {
    const dir = join(tempDir(), "cp");
    const cache = await openUsageCache({ dir, now: () => NOW });
    cache.set("k", snapshot());
    await cache.save();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, CACHE_FILE)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([CACHE_FILE]);
  });

  it("never writes a token, even when handed an object that carries one", async () => {
    const dir = tempDir();
    const token = fakeAccessToken({ accountId: "acc", userId: "u", email: "e@example.com", exp: 2_000_000_000 });
    const cache = await openUsageCache({ dir, now: () => NOW });
    const polluted = {
      ...snapshot(),
      access: token,
      windows: { ...snapshot().windows, extra: token },
    } as unknown as UsageSnapshot;
    cache.set("k", polluted);
    await cache.save();
    const text = readFileSync(join(dir, CACHE_FILE), "utf8");
    expectNoSecrets(text, [token]);
    expect(JSON.parse(text).entries.k.windows.five_hour.used_percent).toBe(30);
  });

  it.each([
    ["corrupt JSON", "{not json"],
    ["a foreign JSON file", JSON.stringify({ hello: "world" })],
    ["another version", JSON.stringify({ version: 99, entries: {} })],
    ["an entry of the wrong shape", JSON.stringify({ version: 1, entries: { k: { plan: 3 } } })],
  ])("treats %s as empty, and replaces it on save", async (_what, content) => {
    const dir = tempDir();
    writeFileSync(join(dir, CACHE_FILE), content);
    const cache = await openUsageCache({ dir, now: () => NOW });
    expect(cache.get("k")).toBeUndefined();
    cache.set("k2", snapshot());
    expect(await cache.save()).toBe(true);
    const reopened = await openUsageCache({ dir, now: () => NOW });
    expect(reopened.get("k2")).toBeDefined();
  });

  it("merges with what another run wrote meanwhile, and drops day-old entries", async () => {
    const dir = tempDir();
    const a = await openUsageCache({ dir, now: () => NOW });
    const b = await openUsageCache({ dir, now: () => NOW });
    a.set("old", snapshot(NOW - 2 * 86400_000));
    a.set("from-a", snapshot());
    await a.save();
    b.set("from-b", snapshot());
    await b.save();
    const entries = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8")).entries;
    expect(Object.keys(entries).sort()).toEqual(["from-a", "from-b"]);
  });

  it("a folder it cannot write is not fatal", async () => {
    const parent = tempDir();
    const locked = join(parent, "locked");
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const cache = await openUsageCache({ dir: join(locked, "sub"), now: () => NOW });
    cache.set("k", snapshot());
    const saved = await cache.save();
    chmodSync(locked, 0o700);
    // root may write anyway; what matters is that save() never throws.
    expect(typeof saved).toBe("boolean");
  });
});
