import type { Logger } from "../lib/logger.ts";
import {
  type CodexProfile,
  loadProfileSet,
  type ProfileSet,
  resolveSelection,
  type Selection,
} from "../profiles/index.ts";
import { storedKey } from "../secrets/redact.ts";
import { DEFAULT_USAGE_URL, resolveUsageEndpoint } from "./endpoint.ts";
import { makeUsageError } from "./error-hints.ts";
import { accountKeyOf, type ProfileOutcome, profileUsage, usageCheckOf } from "./profile-usage.ts";
import type { UsageCheck } from "./types.ts";
import { openUsageCache, type UsageCache } from "./usage-cache.ts";

/**
 * OpenClaw renewing one profile's credential through its own code and lock (only the plugin, inside the
 * gateway, has such a path): "renewed" when OpenClaw stored a new credential, "failed" when OpenClaw recorded
 * the renewal as failed, "unavailable" when it could not be asked. It never hands a token back.
 */
export type CredentialRenewer = (profileId: string, set: ProfileSet) => Promise<"renewed" | "failed" | "unavailable">;

/** What one /codex_usage or `codex_usage` run asks for. */
export interface UsageCheckOptions {
  /**
   * "all" | "default" | a full profile id | a label | a profile's number (1..N in set order); or what the caller
   * resolved it to in `set`.
   */
  selection: string | Selection;
  /** The profile set this request already read; without it the check reads it (once). */
  set?: ProfileSet | undefined;
  agentId?: string | undefined;
  /** The installed OpenClaw's version, when known: whose rules pick the agent, the order and `$include` roots. */
  openclawVersion?: string | undefined;
  /** One explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string | undefined;
  timeoutSec?: number | undefined;
  retries?: number | undefined;
  concurrency?: number | undefined;
  useCache?: boolean | undefined;
  /** Lets OpenClaw renew a profile whose access token lapsed before its usage is read (the plugin's). */
  renew?: CredentialRenewer | undefined;
  env?: NodeJS.ProcessEnv | undefined;
  now?: (() => number) | undefined;
  logger?: Logger | undefined;
}

const USAGE_DEFAULTS = { timeoutSec: 25, retries: 1, concurrency: 4, cacheTtlMs: 60_000 } as const;

/**
 * The way of one usage check: the profile set, loaded once (or given: the caller read it) → the selection
 * against that same set → per profile, the cache or the usage client → per-profile results (failures are
 * data). A profile OpenClaw renewed first (plugin only) is read again from its store. Writes nothing but the cache.
 * Throws InputError (bad endpoint override, unknown selection) and StoreError (no readable store or no
 * Codex profiles). The HTTP client loads only when a profile has to be fetched.
 */
export async function runUsageCheck(options: UsageCheckOptions): Promise<UsageCheck> {
  const env = options.env ?? process.env;
  const now = options.now ?? Date.now;
  const log = options.logger;
  const endpoint = resolveUsageEndpoint(env);
  const started = now();
  // The given set's agent, not only the option: a re-read after a renewal must find the same agent's store.
  const agentId = options.set?.location.agentId ?? options.agentId;
  const load = () =>
    loadProfileSet({ env, agentId, authPath: options.authPath, now, openclawVersion: options.openclawVersion });
  const set = options.set ?? (await load());
  const selection =
    typeof options.selection === "string" ? resolveSelection(set, options.selection) : options.selection;
  const selected = selection.profiles;
  log?.debug({ profiles: selected.length, layout: set.location.layout, ms: now() - started }, "profiles loaded");

  const cache =
    options.useCache === false ? null : await openUsageCache({ env, ttlMs: USAGE_DEFAULTS.cacheTtlMs, now });
  const timeoutMs = (options.timeoutSec ?? USAGE_DEFAULTS.timeoutSec) * 1000;
  const retries = options.retries ?? USAGE_DEFAULTS.retries;
  const slots = requestSlots(options.concurrency ?? USAGE_DEFAULTS.concurrency);
  const ctx: FetchContext = {
    cache,
    endpoint,
    timeoutMs,
    retries,
    now,
    logger: log,
    set,
    renew: options.renew,
    load,
    slots,
  };
  const outcomes = await Promise.all(selected.map((profile) => isolated(profile, ctx)));
  const cached = (await cache?.save()) ?? true;

  const at = now();
  const profiles = selected.map((p, i) => profileUsage(p, outcomes[i] as ProfileOutcome, set, at));
  log?.debug({ ms: now() - started }, "usage check done");
  const clockOffsetMs = clockOffsetOf(outcomes);
  return usageCheckOf({
    checkedAtMs: at,
    agent: set.location.agentId,
    storeLayout: set.location.layout,
    selection: selection.key,
    profiles,
    ...warningsOf(set.warnings, cached ? null : cache?.file),
    ...(clockOffsetMs !== 0 ? { clockOffsetMs } : {}),
  });
}

/** The store's warnings, and a cache that could not be written: its readings are asked for again next time. */
function warningsOf(store: string[] | undefined, unwritable: string | null | undefined): { warnings?: string[] } {
  const cache = unwritable ? [`the usage cache ${unwritable} could not be written; the next check asks again`] : [];
  const warnings = [...(store ?? []), ...cache];
  return warnings.length > 0 ? { warnings } : {};
}

/**
 * The median of the offsets this check's fresh answers showed (each 0 within 90 s; of two middles the smaller);
 * 0 when none showed one. One odd answer among agreeing ones moves nothing.
 */
function clockOffsetOf(outcomes: ProfileOutcome[]): number {
  const offsets = outcomes
    .map((o) => (o.kind === "reading" ? o.clockOffsetMs : null))
    .filter((ms): ms is number => typeof ms === "number")
    .sort((a, b) => a - b);
  const low = offsets[Math.floor((offsets.length - 1) / 2)] ?? 0;
  const high = offsets[Math.floor(offsets.length / 2)] ?? 0;
  return Math.abs(low) <= Math.abs(high) ? low : high;
}

interface FetchContext {
  cache: UsageCache | null;
  endpoint: URL;
  timeoutMs: number;
  retries: number;
  now: () => number;
  logger?: Logger | undefined;
  set: ProfileSet;
  renew?: CredentialRenewer | undefined;
  load: () => Promise<ProfileSet>;
  slots: RequestSlots;
}

/** The access token cannot be sent: none stored, or past the earlier of `expires` and the JWT `exp`. */
const lapsed = (profile: CodexProfile, nowMs: number): boolean =>
  profile.access === null || (profile.identity.expiresAtMs !== null && profile.identity.expiresAtMs <= nowMs);

/** One profile's failure, whatever it is, is that profile's line: a bug becomes its internal_error, never the run's. */
async function isolated(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  try {
    return await outcomeFor(profile, ctx);
  } catch (error) {
    ctx.logger?.debug(
      { profile: profile.label, error: error instanceof Error ? error.name : typeof error },
      "profile check failed",
    );
    return { kind: "error", error: makeUsageError("internal_error") };
  }
}

async function outcomeFor(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  if (!lapsed(profile, ctx.now())) return readingFor(profile, ctx);
  // A lapsed token would only earn a 401, and renewing it is OpenClaw's job: nothing is sent with it.
  switch (profile.renewal) {
    case "failed":
      return { kind: "error", error: makeUsageError("refresh_failed") };
    case "none":
      return {
        kind: "error",
        error: makeUsageError(profile.access === null ? "missing_access_token" : "token_expired_locally"),
      };
    case "in_progress":
      return { kind: "renewal-pending" };
    case "possible":
      return ctx.renew ? renewThenRead(profile, ctx) : { kind: "renewal-pending" };
  }
}

/**
 * OpenClaw renews the credential (its code, its lock, its store); then the usage is read with what it stored. The
 * wait is one request's timeout: OpenClaw's own refresh may take minutes (its timeout is 120 s), and the check
 * answers meanwhile with the renewal pending; OpenClaw finishes it and stores the result.
 */
async function renewThenRead(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  const { result, renewed } = await ctx.slots(async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<"unavailable">((resolve) => {
      timer = setTimeout(() => resolve("unavailable"), ctx.timeoutMs);
    });
    const renewal = ctx.renew!(profile.id, ctx.set).catch(() => "unavailable" as const);
    const result = await Promise.race([renewal, late]).finally(() => clearTimeout(timer));
    if (result !== "renewed") return { result, renewed: undefined };
    return { result, renewed: (await ctx.load().catch(() => null))?.profiles.find((p) => p.id === profile.id) };
  });
  ctx.logger?.debug({ profile: profile.label, renewal: result }, "renewal asked of OpenClaw");
  if (result === "failed") return { kind: "error", error: makeUsageError("refresh_failed") };
  if (result === "unavailable") return { kind: "renewal-pending" };
  if (!renewed || lapsed(renewed, ctx.now())) return { kind: "renewal-pending" };
  return readingFor(renewed, ctx);
}

// One import shared by every profile of a run: hosts whose plugin loader is jiti (OpenClaw 2026.4) hand a
// second concurrent import() of the same module a namespace whose bindings are not set yet.
let clientModule: Promise<typeof import("./usage-client.ts")> | undefined;
const usageClient = () => (clientModule ??= import("./usage-client.ts"));

/** A reading is one endpoint's answer: a test or demo endpoint's is never served as chatgpt.com's, nor as another's. */
function cacheKeyOf(endpoint: URL, profile: CodexProfile): string {
  const key = accountKeyOf(profile.id, profile.identity);
  return endpoint.href === DEFAULT_USAGE_URL ? key : storedKey(`${key}@${endpoint.host}`);
}

async function readingFor(profile: CodexProfile, ctx: FetchContext): Promise<ProfileOutcome> {
  const key = cacheKeyOf(ctx.endpoint, profile);
  const cached = ctx.cache?.get(key);
  if (cached) return { kind: "reading", reading: cached, source: "cache" };
  const { fetchUsage } = await usageClient();
  const t0 = ctx.now();
  const result = await fetchUsage(
    { access: profile.access!, accountId: profile.identity.accountId },
    {
      endpoint: ctx.endpoint,
      timeoutMs: ctx.timeoutMs,
      retries: ctx.retries,
      now: ctx.now,
      logger: ctx.logger,
      slots: ctx.slots,
    },
  );
  ctx.logger?.debug({ profile: profile.label, ok: result.ok, ms: ctx.now() - t0 }, "usage fetched");
  if (!result.ok) return { kind: "error", error: result.error };
  ctx.cache?.set(key, result.reading);
  return { kind: "reading", reading: result.reading, source: "fresh", clockOffsetMs: result.clockOffsetMs };
}

/** Runs a task once one of the run's request slots is free, and holds that slot only while the task runs. */
export type RequestSlots = <T>(task: () => Promise<T>) => Promise<T>;

/**
 * At most `limit` tasks in flight at once; the others start in the order they asked. A profile waiting out a
 * Retry-After holds no slot: its usage client asks for one per attempt, so the other profiles go on meanwhile.
 */
export function requestSlots(limit: number): RequestSlots {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  let active = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next in line, or is freed.
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}
