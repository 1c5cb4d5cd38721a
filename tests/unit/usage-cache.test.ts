import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { resolveCacheDir } from "../../src/lib/files.ts";
import { CACHE_VERSION } from "../../src/usage/cache-schema.ts";
import type { UsageReading } from "../../src/usage/model.ts";
import { accountKeyOf as usageCacheKey } from "../../src/usage/profile-usage.ts";
import { CACHE_FILE, openUsageCache } from "../../src/usage/usage-cache.ts";
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

const snapshot = (fetchedAt = NOW, used = 30): UsageReading => ({
  plan: "plus",
  fetchedAtMs: fetchedAt,
  allowed: true,
  limitReached: false,
  spendReached: false,
  limits: [
    {
      key: "main:five_hour",
      scope: "main",
      type: "window",
      kind: "five_hour",
      windowSeconds: 18000,
      name: null,
      feature: null,
      usedPercent: used,
      leftPercent: 100 - used,
      resetAtMs: fetchedAt + 600_000,
      reached: false,
      amounts: null,
    },
    {
      key: "main:spend",
      scope: "main",
      type: "spend",
      kind: null,
      windowSeconds: null,
      name: null,
      feature: null,
      usedPercent: 25,
      leftPercent: 75,
      resetAtMs: null,
      reached: false,
      amounts: { limit: 100, used: 25, remaining: 75 },
    },
  ],
  credits: { hasCredits: true, unlimited: false, balance: 12.5, overageLimitReached: false },
  resetCredits: 2,
  resetCreditsApplicable: 1,
  reachedType: null,
  unavailableModels: [{ model: "gpt-6-astra", availableAtMs: fetchedAt + 3_600_000, creditsWouldEnable: true }],
});

describe("resolveCacheDir", () => {
  it("prefers CODEX_PROFILER_CACHE_DIR, then XDG_CACHE_HOME, then ~/.cache", () => {
    expect(resolveCacheDir({ CODEX_PROFILER_CACHE_DIR: "/c", XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/c");
    expect(resolveCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/x/codex-profiler");
    expect(resolveCacheDir({ HOME: "/h" })).toBe("/h/.cache/codex-profiler");
  });
});

const ALICE = { accountId: "acc-alice", userId: "user-alice" };

describe("openUsageCache", () => {
  it("round-trips within the TTL, and misses after it", async () => {
    const dir = join(tempDir(), "nested", "codex-profiler");
    let now = NOW;
    const first = await openUsageCache({ dir, ttlMs: 60_000, now: () => now });
    first.set(usageCacheKey("openai:alice", ALICE), snapshot());
    expect(await first.save()).toBe(true);

    now = NOW + 30_000;
    const second = await openUsageCache({ env: { CODEX_PROFILER_CACHE_DIR: dir }, ttlMs: 60_000, now: () => now });
    const hit = second.get(usageCacheKey("openai:alice", ALICE));
    expect(hit).toEqual(snapshot());
    expect(second.get(usageCacheKey("openai:alice", { ...ALICE, accountId: "acc-other" }))).toBeUndefined();
    // Another user on the same account (a second agent's profile of the same id): not alice's reading.
    expect(second.get(usageCacheKey("openai:alice", { ...ALICE, userId: "user-other" }))).toBeUndefined();
    expect(second.get(usageCacheKey("openai:bob", ALICE))).toBeUndefined();

    now = NOW + 60_000;
    expect(second.get(usageCacheKey("openai:alice", ALICE))).toBeUndefined();
  });

  it("reads a cache file of the first version (5h/weekly snapshots) as empty, and replaces it on save", async () => {
    const dir = tempDir();
    const old = {
      fetched_at_ms: NOW - 1_000,
      plan: "plus",
      five_hour: { used_percent: 30, limit_window_seconds: 18000, reset_at_ms: NOW + 600_000 },
      weekly: null,
    };
    writeFileSync(join(dir, CACHE_FILE), JSON.stringify({ version: 1, entries: { k: old } }), { mode: 0o600 });
    const cache = await openUsageCache({ dir, now: () => NOW });
    expect(cache.get("k")).toBeUndefined();
    cache.set("k2", snapshot(NOW - 1_000));
    await cache.save();
    const written = JSON.parse(readFileSync(join(dir, CACHE_FILE), "utf8")) as { version: number; entries: object };
    expect(written.version).toBe(CACHE_VERSION);
    expect(Object.keys(written.entries)).toEqual(["k2"]);
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
    const reading = snapshot();
    const polluted = {
      ...reading,
      access: token,
      limits: [{ ...reading.limits[0], extra: token }, reading.limits[1]],
      credits: { ...reading.credits, token },
    } as unknown as UsageReading;
    cache.set("k", polluted);
    await cache.save();
    const text = readFileSync(join(dir, CACHE_FILE), "utf8");
    expectNoSecrets(text, [token]);
    expect(JSON.parse(text).entries.k.limits[0].usedPercent).toBe(30);
  });

  it("reads an entry whose strings are out of shape (a token for a plan or a name) as absent", async () => {
    const dir = tempDir();
    const token = fakeAccessToken({ accountId: "acc", userId: "u", email: "e@example.com", exp: 2_000_000_000 });
    const bad = { ...snapshot(), plan: token };
    writeFileSync(
      join(dir, CACHE_FILE),
      JSON.stringify({ version: CACHE_VERSION, entries: { k: bad, ok: snapshot() } }),
    );
    const cache = await openUsageCache({ dir, now: () => NOW });
    expect(cache.get("k")).toBeUndefined();
    expect(cache.get("ok")).toBeDefined();
  });

  it.each([
    ["corrupt JSON", "{not json"],
    ["a foreign JSON file", JSON.stringify({ hello: "world" })],
    ["another version", JSON.stringify({ version: 99, entries: {} })],
    ["an entry of the wrong shape", JSON.stringify({ version: CACHE_VERSION, entries: { k: { plan: 3 } } })],
    [
      "a cache of the second version (readings without unavailable models)",
      JSON.stringify({ version: 2, entries: { k: { ...snapshot(), unavailableModels: undefined } } }),
    ],
    [
      "a cache of the first version (5-hour and weekly windows only)",
      JSON.stringify({ version: 1, entries: { k: { plan: "plus", windows: { five_hour: null, weekly: null } } } }),
    ],
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
