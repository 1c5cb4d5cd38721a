import { dict, isRecord } from "../lib/dict.ts";
import { terminalSafeJson } from "../lib/display-text.ts";
import { isCodexProvider } from "../openclaw/provider.ts";
import { looksLikeSecret } from "../secrets/redact.ts";
import { isCredential, isStorePayload, isUsageStats } from "./store-checks.ts";
import type { RawCredential, RawUsageStats } from "./store-schema.ts";

export type { RawCredential, RawUsageStats };

/**
 * OpenClaw's auth store in every layout, after parsing: credentials by profile id plus the routing state
 * (order, lastGood, usageStats). Parsing is as lenient as OpenClaw's own loader (persisted.ts, state.ts):
 * entries of an unknown type or without a provider are dropped, optional fields of the wrong type are
 * ignored, `mode` is an alias of `type`, and unknown fields pass.
 */
/**
 * What OpenClaw writes over a credential while it renews it ("pending") and, for good, when the renewal failed
 * (the fence then holds ":failed:"). A fenced credential cannot serve.
 */
export const OAUTH_FENCE_PREFIX = "openclaw-oauth-refresh-fence:v1:";
const FAILED_FENCE = ":failed:";

/** A stored access or refresh value: a plain token, a renewal in progress, or a renewal that failed. */
export function fenceOf(value: string | undefined): "pending" | "failed" | null {
  if (!value?.startsWith(OAUTH_FENCE_PREFIX)) return null;
  return value.includes(FAILED_FENCE) ? "failed" : "pending";
}

export interface RawAuthState {
  order?: Record<string, string[]>;
  lastGood?: Record<string, string>;
  usageStats?: Record<string, RawUsageStats>;
}

export interface RawAuthStore extends RawAuthState {
  profiles: Record<string, RawCredential>;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;

const optionalNumber = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined;

export const normalizeProviderId = (provider: string): string => provider.trim().toLowerCase();

function coerceCredential(raw: unknown): RawCredential | null {
  if (!isRecord(raw)) return null;
  const type = optionalString(raw.type) ?? optionalString(raw.mode);
  const provider = optionalString(raw.provider);
  const candidate: Record<string, unknown> = { type, provider: provider ? normalizeProviderId(provider) : provider };
  for (const field of ["access", "accountId", "email", "chatgptPlanType"] as const) {
    const v = optionalString(raw[field]);
    if (v !== undefined) candidate[field] = v;
  }
  const refresh = optionalString(raw.refresh);
  if (refresh) {
    const fence = fenceOf(refresh);
    candidate.refreshState = fence === null ? "present" : fence === "failed" ? "failed" : "fenced";
  }
  if (optionalString(raw.key) || optionalString(raw.apiKey)) candidate.hasKey = true;
  if (optionalString(raw.token)) candidate.hasToken = true;
  const expires = optionalNumber(raw.expires);
  if (expires !== undefined) candidate.expires = expires;
  const since = refSince(type === "api_key" ? raw.keyRef : type === "token" ? raw.tokenRef : undefined);
  if (since) candidate.refSince = since;
  return isCredential(candidate) ? candidate : null;
}

const REF_SOURCES: unknown[] = ["env", "file", "exec"];

/**
 * Whether a keyRef/tokenRef is a secret reference OpenClaw takes (its coerceSecretRef, seen on 2026.5.28's and
 * 9.6's binaries): {source, provider, id} and nothing else, or {source, id} without a provider; "${NAME}" on every
 * release, "$NAME" from 2026.5.28, source "store" from 2026.8. Anything else ({} included) is no key material.
 */
function refSince(value: unknown): RawCredential["refSince"] {
  if (typeof value === "string") {
    const text = value.trim();
    if (/^\$\{[A-Z][A-Z0-9_]{0,127}\}$/.test(text)) return "2026.4";
    return /^\$[A-Z][A-Z0-9_]{0,127}$/.test(text) ? "2026.5" : undefined;
  }
  if (!isRecord(value) || typeof value.id !== "string" || value.id.trim() === "") return undefined;
  const full = Object.keys(value).length === 3 && typeof value.provider === "string" && value.provider.trim() !== "";
  if (!full && value.provider !== undefined) return undefined;
  if (REF_SOURCES.includes(value.source)) return "2026.4";
  return value.source === "store" ? "2026.9" : undefined;
}

function coerceUsageStats(raw: unknown): RawUsageStats | null {
  if (!isRecord(raw)) return null;
  const out: Record<string, unknown> = {};
  for (const field of ["lastUsed", "cooldownUntil", "disabledUntil", "blockedUntil", "errorCount"] as const) {
    const v = optionalNumber(raw[field]);
    if (v !== undefined) out[field] = v;
  }
  for (const field of ["cooldownReason", "cooldownModel", "disabledReason", "blockedReason"] as const) {
    const v = optionalString(raw[field]);
    if (v !== undefined) out[field] = v;
  }
  return isUsageStats(out) ? out : null;
}

/** The warning for routing state that could not be read: the profiles are still reported, without it. */
export const damagedStateWarning = (where: string, why: string): string =>
  `OpenClaw's order and cooldowns in ${where} could not be read (${why}); they are left out of this report`;

/** order / lastGood / usageStats from a state payload (or the inline legacy state of a store payload). */
export function coerceState(raw: unknown): RawAuthState {
  if (!isRecord(raw)) return {};
  const state: RawAuthState = {};
  if (isRecord(raw.order)) {
    const order = dict<string[]>();
    for (const [provider, ids] of Object.entries(raw.order)) {
      if (!Array.isArray(ids)) continue;
      const list = [...new Set(ids.map(optionalString).filter((id): id is string => id !== undefined))];
      const key = normalizeProviderId(provider);
      if (key && list.length > 0) order[key] = list;
    }
    if (Object.keys(order).length > 0) state.order = order;
  }
  if (isRecord(raw.lastGood)) {
    const lastGood = dict<string>();
    for (const [provider, id] of Object.entries(raw.lastGood)) {
      const v = optionalString(id);
      if (v && normalizeProviderId(provider)) lastGood[normalizeProviderId(provider)] = v;
    }
    if (Object.keys(lastGood).length > 0) state.lastGood = lastGood;
  }
  if (isRecord(raw.usageStats)) {
    const usageStats = dict<RawUsageStats>();
    for (const [id, value] of Object.entries(raw.usageStats)) {
      const stats = coerceUsageStats(value);
      if (stats && id.trim()) usageStats[id.trim()] = stats;
    }
    if (Object.keys(usageStats).length > 0) state.usageStats = usageStats;
  }
  return state;
}

/** A stored entry that could be a Codex profile but cannot be read: its id and why, never its content. */
export interface SkippedEntry {
  id: string;
  why: string;
}

/** Why an entry coerceCredential refused is left out; null when it is another provider's, not ours to report. */
function skipReason(raw: unknown): string | null {
  if (!isRecord(raw)) return "not an object";
  const provider = optionalString(raw.provider);
  if (provider === undefined) return "no provider";
  return isCodexProvider(normalizeProviderId(provider)) ? "no credential type OpenClaw knows" : null;
}

/**
 * A credentials payload plus its inline state; null when the payload has no `profiles` object. Ids are kept exactly
 * as stored, as OpenClaw keys them ("openai:bob" and "openai:bob " are two profiles). Entries that could
 * be Codex profiles but cannot be read land in `skipped` (OpenClaw drops them too, bar a blank id, with a log line).
 */
export function coerceStore(raw: unknown, skipped: SkippedEntry[] = []): RawAuthStore | null {
  if (!isStorePayload(raw)) return null;
  const profiles = dict<RawCredential>();
  for (const [id, value] of Object.entries(raw.profiles)) {
    const credential = coerceCredential(value);
    const why = credential ? (id.trim() ? null : "a blank id") : skipReason(value);
    if (credential && why === null) profiles[id] = credential;
    else if (why !== null && (!credential || isCodexProvider(credential.provider))) skipped.push({ id, why });
  }
  return { profiles, ...coerceState(raw) };
}

const MAX_SKIPPED_NAMED = 5;

/** The warning for stored entries left out: ids are named (unless one reads as a token), content never. */
export function skippedEntriesWarning(where: string, skipped: SkippedEntry[]): string {
  const named = skipped.slice(0, MAX_SKIPPED_NAMED).map(({ id, why }) => {
    const shown = looksLikeSecret(id)
      ? "(an id that looks like a token, not shown)"
      : terminalSafeJson(JSON.stringify(id));
    return `${shown} (${why})`;
  });
  const more = skipped.length > MAX_SKIPPED_NAMED ? ` and ${skipped.length - MAX_SKIPPED_NAMED} more` : "";
  const n = skipped.length;
  return (
    `${n} auth profile${n === 1 ? "" : "s"} in ${where} could not be read and ${n === 1 ? "is" : "are"} left ` +
    `out of this report: ${named.join(", ")}${more}`
  );
}

const mergeRecord = <T>(
  base: Record<string, T> | undefined,
  override: Record<string, T> | undefined,
): Record<string, T> | undefined => (!base && !override ? undefined : dict({ ...base, ...override }));

/** Routing state merged key by key, the override winning (OpenClaw's mergeAuthProfileState). */
function mergeState(base: RawAuthState, override: RawAuthState): RawAuthState {
  const out: RawAuthState = {};
  const order = mergeRecord(base.order, override.order);
  const lastGood = mergeRecord(base.lastGood, override.lastGood);
  const usageStats = mergeRecord(base.usageStats, override.usageStats);
  if (order) out.order = order;
  if (lastGood) out.lastGood = lastGood;
  if (usageStats) out.usageStats = usageStats;
  return out;
}

/** A store with a separate state payload applied over its inline state (the state payload wins). */
export function withState(store: RawAuthStore, state: RawAuthState): RawAuthStore {
  return { profiles: store.profiles, ...mergeState(store, state) };
}

/**
 * The view an agent gets of the main agent's auth-profiles.json (and its auth-state.json) under its own, in the
 * JSON eras (2026.4.x–5.x mergeAuthProfileStores, checked against the real 2026.5.28): an own store with no
 * profiles and no state is no override at all; otherwise the agent's profiles win by id, and order, lastGood
 * and usageStats merge key by key with the agent's winning. As 2026.5.x does, state naming a profile neither
 * store holds is dropped (2026.4.x keeps it). Not modelled: 5.x swapping a stale own OAuth copy for main's.
 */
export function inheritMainStore(main: RawAuthStore, own: RawAuthStore): RawAuthStore {
  const ownHasState = own.order !== undefined || own.lastGood !== undefined || own.usageStats !== undefined;
  if (Object.keys(own.profiles).length === 0 && !ownHasState) return main;
  const profiles = dict([...Object.entries(main.profiles), ...Object.entries(own.profiles)]);
  const out: RawAuthStore = { profiles };
  const known = (id: string): boolean => id in profiles;
  const order = Object.entries(mergeRecord(main.order, own.order) ?? {})
    .map(([provider, ids]) => [provider, ids.filter(known)] as const)
    .filter(([, ids]) => ids.length > 0);
  if (order.length > 0) out.order = dict(order);
  const lastGood = Object.entries(mergeRecord(main.lastGood, own.lastGood) ?? {}).filter(([, id]) => known(id));
  if (lastGood.length > 0) out.lastGood = dict(lastGood);
  const usageStats = Object.entries(mergeRecord(main.usageStats, own.usageStats) ?? {}).filter(([id]) => known(id));
  if (usageStats.length > 0) out.usageStats = dict(usageStats);
  return out;
}

/**
 * The view an agent gets of the shared (inherited) store plus its own store, as OpenClaw's (2026.6.11+)
 * mergeAuthProfileStores builds it: the agent's profiles win; the agent's order for a provider replaces the
 * shared one, and when it has none but holds profiles of that provider, those go first.
 */
export function mergeStores(base: RawAuthStore, override: RawAuthStore): RawAuthStore {
  const profiles = dict(override.profiles);
  for (const [id, credential] of Object.entries(base.profiles)) if (!(id in profiles)) profiles[id] = credential;
  let order = mergeRecord(base.order, override.order);
  if (order) {
    const overrideIdsByProvider = new Map<string, string[]>();
    for (const [id, c] of Object.entries(override.profiles)) {
      overrideIdsByProvider.set(c.provider, [...(overrideIdsByProvider.get(c.provider) ?? []), id]);
    }
    for (const [provider, ids] of overrideIdsByProvider) {
      if (override.order?.[provider]) continue;
      const baseIds = base.order?.[provider];
      if (baseIds) order[provider] = [...new Set([...ids, ...baseIds])];
    }
    order = dict(Object.entries(order).filter(([, ids]) => ids.length > 0));
  }
  const out: RawAuthStore = { profiles };
  if (order && Object.keys(order).length > 0) out.order = order;
  const lastGood = mergeRecord(base.lastGood, override.lastGood);
  if (lastGood) out.lastGood = lastGood;
  const usageStats = mergeRecord(base.usageStats, override.usageStats);
  if (usageStats) out.usageStats = usageStats;
  return out;
}
