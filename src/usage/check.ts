import type { Logger } from "../lib/logger.ts";
import { type CodexProfile, loadProfileSet, type ProfileSet, selectProfiles } from "../profiles/index.ts";
import { resolveUsageEndpoint } from "./endpoint.ts";
import { makeUsageError } from "./error-hints.ts";
import { mapWithConcurrency } from "./pool.ts";
import { type ProfileOutcome, profileReport, summarize } from "./profile-report.ts";
import type { UsageCheck } from "./types.ts";
import { openUsageCache, type UsageCache, usageCacheKey } from "./usage-cache.ts";

/** What one /codex_usage or `codex_usage` run asks for. */
export interface UsageCheckOptions {
  /** "all" | "default" | a full profile id | a label | a profile's number (1..N in set order). */
  selection: string;
  /** The profile set this request already read; without it the check reads it (once). */
  set?: ProfileSet | undefined;
  agentId?: string | undefined;
  /** One explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string | undefined;
  timeoutSec?: number | undefined;
  retries?: number | undefined;
  concurrency?: number | undefined;
  useCache?: boolean | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

const USAGE_DEFAULTS = { timeoutSec: 25, retries: 1, concurrency: 4, cacheTtlMs: 60_000 } as const;

/**
 * The way of one usage check: the profile set, loaded once (or given: the caller read it) → the selection
 * against that same set → per profile, the cache or the usage client → per-profile results (failures are
 * data). Writes nothing but the cache.
 * Throws InputError (bad endpoint override, unknown selection) and StoreError (no readable store or no
 * Codex profiles). The HTTP client loads only when a profile has to be fetched.
 */
export async function runUsageCheck(options: UsageCheckOptions): Promise<UsageCheck> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const log = options.logger;
  const endpoint = resolveUsageEndpoint(env);
  const started = now();
  const set = options.set ?? (await loadProfileSet({ env, agentId: options.agentId, authPath: options.authPath, now }));
  const selected = selectProfiles(set, options.selection);
  log?.debug({ profiles: selected.length, layout: set.location.layout, ms: now() - started }, "profiles loaded");

  const cache =
    options.useCache === false ? null : await openUsageCache({ env, ttlMs: USAGE_DEFAULTS.cacheTtlMs, now });
  const timeoutMs = (options.timeoutSec ?? USAGE_DEFAULTS.timeoutSec) * 1000;
  const retries = options.retries ?? USAGE_DEFAULTS.retries;
  const ctx: FetchContext = { cache, endpoint, timeoutMs, retries, now, logger: log };
  const outcomes = await mapWithConcurrency(selected, options.concurrency ?? USAGE_DEFAULTS.concurrency, (profile) =>
    outcomeFor(profile, ctx),
  );
  await cache?.save();

  const at = now();
  const profiles = selected.map((p, i) => profileReport(p, outcomes[i] as ProfileOutcome, set, at));
  log?.debug({ ms: now() - started }, "usage check done");
  return {
    summary: summarize(profiles, {
      agent: set.location.agentId,
      layout: set.location.layout,
      selection: options.selection,
    }),
    profiles,
  };
}

interface FetchContext {
  cache: UsageCache | null;
  endpoint: URL;
  timeoutMs: number;
  retries: number;
  now: () => number;
  logger?: Logger | undefined;
}

async function outcomeFor(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  if (profile.access === null) return { kind: "error", error: makeUsageError("missing_access_token") };
  const exp = profile.identity.expiresAtMs;
  // An expired token would only earn a 401; refreshing it is OpenClaw's job, never ours.
  if (exp !== null && exp <= ctx.now()) return { kind: "error", error: makeUsageError("token_expired_locally") };
  const cached = ctx.cache?.get(usageCacheKey(profile.id, profile.identity.accountId));
  if (cached) return { kind: "snapshot", snapshot: cached, source: "cache" };
  const { fetchUsage } = await import("./usage-client.ts");
  const t0 = ctx.now();
  const result = await fetchUsage(
    { access: profile.access, accountId: profile.identity.accountId },
    { endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs, retries: ctx.retries, now: ctx.now, logger: ctx.logger },
  );
  ctx.logger?.debug({ profile: profile.label, ok: result.ok, ms: ctx.now() - t0 }, "usage fetched");
  if (!result.ok) return { kind: "error", error: result.error };
  ctx.cache?.set(usageCacheKey(profile.id, profile.identity.accountId), result.snapshot);
  return { kind: "snapshot", snapshot: result.snapshot, source: "fresh" };
}
