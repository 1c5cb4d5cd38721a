import { CODEX_PROVIDER_IDS, type CodexProviderId } from "../openclaw/provider.ts";
import { capabilitiesFor, type OpenclawCapabilities, parseOpenclawVersion } from "../openclaw/version.ts";
import {
  normalizeProviderId,
  OAUTH_FENCE_PREFIX,
  type RawAuthStore,
  type RawCredential,
  type RawUsageStats,
} from "./raw-store.ts";

/**
 * The order OpenClaw (per `rules`) would try the Codex provider's profiles in (dist order-*.mjs,
 * resolveAuthProfileOrder, read with no model scope). PURE.
 *
 * 1. Base list: the stored per-agent override ?? config auth.order ?? config auth.profiles ids ?? every stored
 *    profile of the Codex provider (isCodexAuthProfile: which profiles that is depends on the release).
 * 2. Ineligible profiles are dropped: missing, refresh-fenced or empty OAuth, keyless API keys, expired tokens.
 *    An expired OAuth access token is still eligible (OpenClaw would refresh it); it only sorts later.
 *    If every listed id is missing, the stored profiles are used instead (OpenClaw's repair fallback).
 * 3. With an explicit order: kept, but profiles in cooldown/disabled move to the end, soonest end first.
 * 4. Without one: oauth < token < api_key, (2026.9) usable before expired, lastUsed oldest first; cooldowns last.
 */
type OrderSource = "stored-override" | "config" | "automatic";

export interface OrderInput {
  store: RawAuthStore;
  configOrder: Record<string, string[]>;
  configProfiles: Record<string, { provider: string; mode: string | undefined }>;
  now: number;
  /** Whose rules; without them, orderRulesOf(store). */
  rules?: OrderRules;
}

/**
 * The release family whose order resolution applies, as each release's binary showed it (era matrix):
 * - "2026.4" (4.5, 4.12): Codex is provider openai-codex, and only its own profiles are in its order;
 * - "2026.5" (5.28): also openai API keys (its "OpenAI API Key Backup"), never an openai OAuth profile; an
 *   openai order stands in for a missing openai-codex one, merged with the openai-codex profiles;
 * - "2026.6" (6.11, 7.1): Codex is provider openai; a leftover openai-codex profile (or order) is another
 *   provider's. It falls back to the stored profiles when a stored order names none;
 * - "2026.9" (8.2, 9.6): as 2026.6, and it sorts an expired OAuth token after the usable ones (the others keep
 *   type, then least recently used).
 */
export type OrderRules = OpenclawCapabilities["orderRules"];

const RULES_AGE: OrderRules[] = ["2026.4", "2026.5", "2026.6", "2026.9"];
const atLeast = (rules: OrderRules, since: OrderRules): boolean => RULES_AGE.indexOf(rules) >= RULES_AGE.indexOf(since);
const modern = (rules: OrderRules): boolean => atLeast(rules, "2026.6");

export const codexProviderFor = (rules: OrderRules): CodexProviderId => (modern(rules) ? "openai" : "openai-codex");

/** Whether a profile of this provider and type is one OpenClaw tries for Codex (its provider compatibility). */
export function isCodexAuthProfile(provider: string, type: string | undefined, rules: OrderRules): boolean {
  const p = normalizeProviderId(provider);
  return p === codexProviderFor(rules) || (rules === "2026.5" && p === "openai" && type === "api_key");
}

/**
 * The rules of a store read outside SQLite (JSON layouts, an explicit file) when the release is not known: those
 * are read by OpenClaw ≤ 2026.5 only, whose Codex OAuth profiles are openai-codex ones; a store of openai ones
 * alone is read as 2026.6+ wrote them.
 */
export function orderRulesOf(store: RawAuthStore): OrderRules {
  const codexOAuth = Object.values(store.profiles).some((c) => c.type === "oauth" && c.provider === "openai-codex");
  return codexOAuth ? "2026.5" : "2026.9";
}

/**
 * The rules for a store read in place, from the first readable version text in `releases` (the running release
 * when known, then `meta.lastTouchedVersion`: the last one that wrote openclaw.json). That release's rules apply
 * when it reads this kind of store (SQLite: 2026.6+; JSON: up to 2026.5, over a store of openai-codex OAuth
 * profiles); otherwise, or with no version, the store alone decides: SQLite by the user_version of the agent
 * database holding it (each release migrates it on open: 1 on 2026.6.11 and 7.1, 19 on 8.2, 23 on 9.6; anything
 * but 1 is read as 2026.9), JSON orderRulesOf. A schema of 19 or more outranks the stamp: 2026.8+ opened that
 * database, whether or not it rewrote openclaw.json since.
 */
export function orderRulesFor(
  store: RawAuthStore,
  sqlite: boolean,
  releases: Array<string | undefined>,
  schemaVersion: number | null = null,
): OrderRules {
  const bySchema = schemaVersion === 1 ? "2026.6" : "2026.9";
  const byStore: OrderRules = sqlite ? bySchema : orderRulesOf(store);
  const [running, ...stamps] = releases;
  const opened8 = sqlite && schemaVersion !== null && schemaVersion >= 19;
  const version = [running, ...(opened8 ? [] : stamps)]
    .map((text) => (text ? parseOpenclawVersion(text) : null))
    .find((v) => v !== null);
  if (!version) return byStore;
  const rules = capabilitiesFor(version).orderRules;
  const readsIt = sqlite ? modern(rules) : !modern(rules) && byStore === "2026.5";
  return readsIt ? rules : byStore;
}

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

const find = (record: Record<string, string[]>, key: string): string[] | undefined =>
  Object.entries(record).find(([k]) => normalizeProviderId(k) === key)?.[1];

/** The stored, else configured, order of the provider; 5.28 also takes an openai one, merged with its own ids. */
function explicitOrderOf(input: OrderInput, rules: OrderRules): { ids: string[]; stored: boolean } | undefined {
  const provider = codexProviderFor(rules);
  const stored = input.store.order ? find(input.store.order, provider) : undefined;
  const direct = stored ?? find(input.configOrder, provider);
  if (direct) return { ids: direct, stored: stored !== undefined };
  if (rules !== "2026.5") return undefined;
  const aliasStored = input.store.order ? find(input.store.order, "openai") : undefined;
  const alias = aliasStored ?? find(input.configOrder, "openai");
  if (!alias) return undefined;
  const own = Object.keys(input.store.profiles).filter((id) => input.store.profiles[id]!.provider === provider);
  const ids = alias.some((id) => own.includes(id)) ? [...alias, ...own] : [...own, ...alias];
  return { ids: [...new Set(ids)], stored: aliasStored !== undefined };
}

function expired(expires: number | undefined, now: number): boolean {
  return typeof expires === "number" && Number.isFinite(expires) && expires > 0 && expires <= 8.64e15 && expires <= now;
}

function credentialEligible(c: RawCredential, now: number, rules: OrderRules): boolean {
  const ref = c.refSince !== undefined && atLeast(rules, c.refSince);
  if (c.type === "api_key") return c.hasKey === true || ref;
  if (c.type === "token") {
    if (c.hasToken !== true && !ref) return false;
    if (c.expires !== undefined && (!Number.isFinite(c.expires) || c.expires <= 0 || c.expires > 8.64e15)) return false;
    return !expired(c.expires, now);
  }
  if (c.access?.startsWith(OAUTH_FENCE_PREFIX) || c.refreshState === "fenced" || c.refreshState === "failed")
    return false;
  return Boolean(c.access) || c.refreshState === "present";
}

function isEligible(id: string, input: OrderInput, rules: OrderRules): boolean {
  const c = input.store.profiles[id];
  if (!c || !isCodexAuthProfile(c.provider, c.type, rules)) return false;
  const configured = input.configProfiles[id];
  if (configured) {
    if (!isCodexAuthProfile(configured.provider, c.type, rules)) return false;
    if (
      configured.mode !== undefined &&
      configured.mode !== c.type &&
      !(configured.mode === "oauth" && c.type === "token")
    )
      return false;
  }
  return credentialEligible(c, input.now, rules);
}

export function resolveEffectiveOrder(input: OrderInput): EffectiveOrder {
  const { store, now } = input;
  const rules = input.rules ?? orderRulesOf(store);
  const provider = codexProviderFor(rules);
  const explicitOrder = explicitOrderOf(input, rules);
  const explicit = explicitOrder?.ids;
  const configProfileIds = Object.entries(input.configProfiles)
    .filter(([id, p]) => isCodexAuthProfile(p.provider, store.profiles[id]?.type ?? p.mode, rules))
    .map(([id]) => id);
  const storeProfileIds = Object.entries(store.profiles)
    .filter(([, c]) => isCodexAuthProfile(c.provider, c.type, rules))
    .map(([id]) => id);
  const source: OrderSource = explicitOrder?.stored
    ? "stored-override"
    : explicit || configProfileIds.length > 0
      ? "config"
      : "automatic";
  const base = explicit ?? (configProfileIds.length > 0 ? configProfileIds : storeProfileIds);
  const eligible = (id: string): boolean => isEligible(id, input, rules);

  let filtered = base.filter(eligible);
  let repaired = false;
  if (
    filtered.length === 0 &&
    base.length > 0 &&
    base.every((id) => !store.profiles[id]) &&
    ((modern(rules) && explicitOrder?.stored) || configProfileIds.length > 0)
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

  // Before 2026.6 a repaired explicit order still keeps its place order (no sort).
  if (explicit && explicit.length > 0 && (!repaired || !modern(rules)))
    return { ids: [...available, ...cooling], source, provider };

  const typeScore = (c: RawCredential | undefined): number =>
    c?.type === "oauth" ? 0 : c?.type === "token" ? 1 : c?.type === "api_key" ? 2 : 3;
  const sorted = available
    .map((id) => {
      const c = store.profiles[id];
      return {
        id,
        type: typeScore(c),
        expiry: rules === "2026.9" && c?.type === "oauth" && expired(c.expires, now) ? 1 : 0,
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
