import type { Logger } from "../log/logger.ts";
import { loadProfileSet, selectProfiles } from "../profiles/index.ts";
import type { CodexProfile } from "../profiles/types.ts";
import { formatProfileLine } from "../format/profile-line.ts";
import { suggestedUserMessage } from "../format/suggested-message.ts";
import { resolveUsageEndpoint } from "./endpoint.ts";
import { makeUsageError } from "./error-hints.ts";
import { mapWithConcurrency } from "./pool.ts";
import { profileReport, summarize, type ProfileOutcome } from "./profile-report.ts";
import { openUsageCache, usageCacheKey, type UsageCache } from "./usage-cache.ts";
import { fetchUsage } from "./usage-client.ts";
import { forecastReport } from "../rotation/usage-forecast.ts";
import type { UsageReport } from "./types.ts";

/** What one /codex_usage or `codex_usage` run asks for. */
export interface UsageCheckOptions {
  /** "all" | "default" | a full profile id | a label | a 1-based number from the selector list. */
  selection: string;
  agentId?: string;
  /** One explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string;
  timeoutSec?: number;
  retries?: number;
  concurrency?: number;
  useCache?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  logger?: Logger;
}

export const USAGE_DEFAULTS = { timeoutSec: 25, retries: 1, concurrency: 4, cacheTtlMs: 60_000 } as const;

/**
 * The way of one usage check: profile source → (cache | usage client) per profile → report.
 * Throws UsageEndpointError (bad endpoint override), ProfileSourceError (no readable store or no
 * Codex profiles) and ProfileSelectionError (unknown selection); per-profile failures are lines.
 */
export async function runUsageCheck(options: UsageCheckOptions): Promise<UsageReport> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const log = options.logger;
  const endpoint = resolveUsageEndpoint(env);
  const started = now();
  const set = await loadProfileSet({ env, agentId: options.agentId, authPath: options.authPath, now });
  const selected = selectProfiles(set, options.selection);
  log?.debug({ profiles: selected.length, layout: set.location.layout, ms: now() - started }, "profiles loaded");

  const cache = options.useCache === false ? null : await openUsageCache({ env, ttlMs: USAGE_DEFAULTS.cacheTtlMs, now });
  const timeoutMs = (options.timeoutSec ?? USAGE_DEFAULTS.timeoutSec) * 1000;
  const retries = options.retries ?? USAGE_DEFAULTS.retries;
  const outcomes = await mapWithConcurrency(selected, options.concurrency ?? USAGE_DEFAULTS.concurrency, (profile) =>
    outcomeFor(profile, { cache, endpoint, timeoutMs, retries, now, logger: log }),
  );
  await cache?.save();

  const at = now();
  const reports = selected.map((p, i) => profileReport(p, outcomes[i] as ProfileOutcome, set, at));
  const report: UsageReport = {
    summary: summarize(reports, { agent: set.location.agentId, layout: set.location.layout, selection: options.selection }),
    profiles: reports,
    formatted_profiles: reports.map(formatProfileLine),
    suggested_user_message: suggestedUserMessage(reports),
  };
  withForecast(report, env, at, log);
  log?.debug({ ms: now() - started }, "usage check done");
  return report;
}

/**
 * Records the readings in the local usage history and adds each profile's forecast. The history is a
 * convenience: a cache dir that cannot be written costs the forecast, never the report.
 */
function withForecast(report: UsageReport, env: NodeJS.ProcessEnv, at: number, log?: Logger): void {
  try {
    const { forecasts, lines } = forecastReport(report, env, at);
    for (const p of report.profiles) p.forecast = forecasts[p.profile] ?? null;
    report.forecast_lines = lines;
  } catch (err) {
    log?.warn({ err }, "usage history not updated; no forecast this time");
  }
}

interface FetchContext {
  cache: UsageCache | null;
  endpoint: URL;
  timeoutMs: number;
  retries: number;
  now: () => number;
  logger?: Logger;
}

async function outcomeFor(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  if (profile.access === null) return { kind: "error", error: makeUsageError("missing_access_token") };
  const exp = profile.identity.expiresAtMs;
  // An expired token would only earn a 401; refreshing it is OpenClaw's job, never ours.
  if (exp !== null && exp <= ctx.now()) return { kind: "error", error: makeUsageError("token_expired_locally") };
  const cached = ctx.cache?.get(usageCacheKey(profile.id, profile.identity.accountId));
  if (cached) return { kind: "snapshot", snapshot: cached, source: "cache" };
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

