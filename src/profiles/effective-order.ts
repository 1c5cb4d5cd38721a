import { CODEX_PROVIDER_IDS, type CodexProviderId, isCodexProvider } from "../openclaw/provider.ts";
import {
  normalizeProviderId,
  OAUTH_FENCE_PREFIX,
  type RawAuthStore,
  type RawCredential,
  type RawUsageStats,
} from "./raw-store.ts";

/**
 * The order OpenClaw 2026.9 (or, with rules "2026.4", 2026.4.x) would try the Codex provider's profiles in
 * (dist order-*.mjs, resolveAuthProfileOrderWithMetadata, read with no model scope). PURE.
 *
 * 1. Base list: the stored per-agent override ?? config auth.order ?? config auth.profiles ids ?? every stored
 *    profile of the provider (openai and openai-codex are one auth provider).
 * 2. Ineligible profiles are dropped: missing, refresh-fenced or empty OAuth, keyless API keys, expired tokens.
 *    An expired OAuth access token is still eligible (OpenClaw would refresh it); it only sorts later.
 *    If every listed id is missing, the stored profiles are used instead (OpenClaw's repair fallback).
 * 3. With an explicit order: kept, but profiles in cooldown/disabled move to the end, soonest end first.
 * 4. Without one: oauth < token < api_key, usable before expired, lastUsed oldest first; cooldowns last.
 */
type OrderSource = "stored-override" | "config" | "automatic";

export interface OrderInput {
  store: RawAuthStore;
  configOrder: Record<string, string[]>;
  configProfiles: Record<string, { provider: string; mode: string | undefined }>;
  now: number;
  /**
   * Whose rules: "2026.9" (default) sorts an expired OAuth token after the usable ones when no order is
   * explicit; "2026.4" (2026.4.5/2026.4.12 resolveAuthProfileOrder, run on 19 scenarios) does not — type, then
   * least recently used.
   */
  rules?: OrderRules;
}

/** The release family whose order resolution applies. */
export type OrderRules = "2026.4" | "2026.9";

export interface EffectiveOrder {
  /** Every eligible profile id of the Codex auth provider, in try order (may include API-key profiles). */
  ids: string[];
  source: OrderSource;
  /** The provider key whose stored/config order applies: "openai" (2026.6+) or "openai-codex". */
  provider: CodexProviderId;
}

/** The active end of a cooldown, disable or block; null when none is active at `now`. */
function unusableUntil(stats: RawUsageStats | undefined, now: number): number | null {
  if (!stats) return null;
  const active = [stats.blockedUntil, stats.cooldownUntil, stats.disabledUntil].filter(
    (v): v is number => typeof v === "number" && Number.isFinite(v) && v > 0 && now < v,
  );
  return active.length > 0 ? Math.max(...active) : null;
}

/** "openai" when the store holds openai profiles (2026.6+ ids), else "openai-codex" when it holds those. */
export function codexProviderOf(store: RawAuthStore): CodexProviderId {
  const providers = new Set(Object.values(store.profiles).map((c) => c.provider));
  return providers.has("openai") || !providers.has("openai-codex") ? "openai" : "openai-codex";
}

function lookup(record: Record<string, string[]>, primary: CodexProviderId): string[] | undefined {
  const normalized = new Map(Object.entries(record).map(([k, v]) => [normalizeProviderId(k), v] as const));
  const other = CODEX_PROVIDER_IDS.find((p) => p !== primary)!;
  return normalized.get(primary) ?? normalized.get(other);
}

function expired(expires: number | undefined, now: number): boolean {
  return typeof expires === "number" && Number.isFinite(expires) && expires > 0 && expires <= 8.64e15 && expires <= now;
}

function credentialEligible(c: RawCredential, now: number): boolean {
  if (c.type === "api_key") return c.hasKey === true || c.hasRef === true;
  if (c.type === "token") {
    if (c.hasToken !== true && c.hasRef !== true) return false;
    if (c.expires !== undefined && (!Number.isFinite(c.expires) || c.expires <= 0 || c.expires > 8.64e15)) return false;
    return !expired(c.expires, now);
  }
  if (c.access?.startsWith(OAUTH_FENCE_PREFIX) || c.refreshState === "fenced" || c.refreshState === "failed")
    return false;
  return Boolean(c.access) || c.refreshState === "present";
}

function isEligible(id: string, input: OrderInput): boolean {
  const c = input.store.profiles[id];
  if (!c || !isCodexProvider(c.provider)) return false;
  const configured = input.configProfiles[id];
  if (configured) {
    if (!isCodexProvider(normalizeProviderId(configured.provider))) return false;
    if (
      configured.mode !== undefined &&
      configured.mode !== c.type &&
      !(configured.mode === "oauth" && c.type === "token")
    )
      return false;
  }
  return credentialEligible(c, input.now);
}

export function resolveEffectiveOrder(input: OrderInput): EffectiveOrder {
  const { store, now } = input;
  const provider = codexProviderOf(store);
  const stored = store.order ? lookup(store.order, provider) : undefined;
  const configured = lookup(input.configOrder, provider);
  const explicit = stored ?? configured;
  const configProfileIds = Object.entries(input.configProfiles)
    .filter(([, p]) => isCodexProvider(normalizeProviderId(p.provider)))
    .map(([id]) => id);
  const storeProfileIds = Object.entries(store.profiles)
    .filter(([, c]) => isCodexProvider(c.provider))
    .map(([id]) => id);
  const source: OrderSource = stored
    ? "stored-override"
    : configured || configProfileIds.length > 0
      ? "config"
      : "automatic";
  const base = explicit ?? (configProfileIds.length > 0 ? configProfileIds : storeProfileIds);
  const eligible = (id: string): boolean => isEligible(id, input);

  let filtered = base.filter(eligible);
  let repaired = false;
  if (
    filtered.length === 0 &&
    base.length > 0 &&
    base.every((id) => !store.profiles[id]) &&
    (stored || configProfileIds.length > 0)
  ) {
    filtered = storeProfileIds.filter(eligible);
    repaired = true;
  }
  const ids = [...new Set(filtered)];
  const until = (id: string): number | null => unusableUntil(store.usageStats?.[id], now);
  const available = ids.filter((id) => until(id) === null);
  const cooling = ids
    .filter((id) => until(id) !== null)
    .map((id) => ({ id, until: until(id)! }))
    .sort((a, b) => a.until - b.until)
    .map((e) => e.id);

  if (explicit && explicit.length > 0 && !repaired) return { ids: [...available, ...cooling], source, provider };

  const typeScore = (c: RawCredential | undefined): number =>
    c?.type === "oauth" ? 0 : c?.type === "token" ? 1 : c?.type === "api_key" ? 2 : 3;
  const sorted = available
    .map((id) => {
      const c = store.profiles[id];
      return {
        id,
        type: typeScore(c),
        expiry: input.rules !== "2026.4" && c?.type === "oauth" && expired(c.expires, now) ? 1 : 0,
        lastUsed: store.usageStats?.[id]?.lastUsed ?? 0,
      };
    })
    .sort((a, b) => a.type - b.type || a.expiry - b.expiry || a.lastUsed - b.lastUsed)
    .map((e) => e.id);
  return { ids: [...sorted, ...cooling], source: repaired ? "automatic" : source, provider };
}

/** The profile OpenClaw would pick first: head of the effective order, else `<provider>:default`, else the first id. */
export function defaultProfileIdOf(effectiveOrder: string[], profileIds: string[]): string | null {
  if (effectiveOrder.length > 0) return effectiveOrder[0]!;
  const fallback = profileIds.find((id) => CODEX_PROVIDER_IDS.some((p) => id === `${p}:default`));
  return fallback ?? profileIds[0] ?? null;
}
