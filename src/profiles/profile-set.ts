import { jwtDecode } from "jwt-decode";
import { StoreError } from "../errors/index.ts";
import { isRecord } from "../lib/dict.ts";
import { nameList } from "../lib/display-text.ts";
import type { OpenclawConfig } from "../openclaw/config-file.ts";
import { type CodexProviderId, profileLabel } from "../openclaw/provider.ts";
import { Secret } from "../secrets/redact.ts";
import {
  codexProviderFor,
  defaultProfileIdOf,
  isCodexAuthProfile,
  type OrderRules,
  orderRulesOf,
  resolveEffectiveOrder,
} from "./effective-order.ts";
import {
  fenceOf,
  normalizeProviderId,
  OAUTH_FENCE_PREFIX,
  type RawAuthStore,
  type RawCredential,
  type RawUsageStats,
} from "./raw-store.ts";
import type {
  CodexProfile,
  ProfileIdentity,
  ProfileLocalState,
  ProfileSet,
  RenewalState,
  StoreLocation,
} from "./types.ts";

/**
 * The profile set of one store, however it was read (OpenClaw's files in place, or the host's own reader).
 * `hostOrder` is the order the host itself resolved for the store; without it the order is derived by `rules`
 * (effective-order.ts; without them, orderRulesOf the store). The Codex profiles are the OAuth profiles of the
 * rules' Codex provider: an openai one before 2026.6, or a leftover openai-codex one after, is not used for Codex
 * by OpenClaw and is only named in a warning. Throws StoreError no_codex_profiles when the store holds none.
 */
export function buildProfileSet(
  store: RawAuthStore,
  config: OpenclawConfig,
  location: StoreLocation,
  now: number,
  hostOrder?: string[],
  rules: OrderRules = orderRulesOf(store),
): ProfileSet {
  const provider = codexProviderFor(rules);
  const oauthOf = (p: string) => Object.keys(store.profiles).filter((id) => isOAuthOf(store, id, p));
  const codexIds = oauthOf(provider);
  const otherProvider = provider === "openai" ? "openai-codex" : "openai";
  const other = oauthOf(otherProvider);
  const otherNote =
    other.length === 0
      ? ""
      : `${nameList(other)} ${other.length === 1 ? "is" : "are"} of provider ${otherProvider}, which this ` +
        `OpenClaw does not use for Codex (${provider} profiles)` +
        (provider === "openai" ? "; `openclaw doctor --fix` renames openai-codex profiles" : "");
  if (codexIds.length === 0) {
    const total = Object.keys(store.profiles).length;
    throw new StoreError(
      "no_codex_profiles",
      `${location.files.join(", ") || location.stateDir} holds ${total} auth profile${total === 1 ? "" : "s"} but no ` +
        `Codex (ChatGPT OAuth, provider ${provider}) profile${otherNote ? ` (${otherNote})` : ""}; add one with ` +
        `\`openclaw models auth login --provider ${provider}\``,
      { path: location.files[0] ?? location.stateDir },
    );
  }
  const order = resolveEffectiveOrder({
    store,
    configOrder: config.authOrder,
    configProfiles: config.authProfiles,
    now,
    rules,
  });
  const providerOrder = [...new Set(hostOrder ?? order.ids)];
  const effectiveOrder = providerOrder.filter((id) => isOAuthOf(store, id, provider));
  const ordered = [...effectiveOrder, ...codexIds.filter((id) => !effectiveOrder.includes(id)).sort()];
  const profiles: CodexProfile[] = ordered.map((id) => {
    const c = store.profiles[id]!;
    const access = c.access && usableAccess(c.access) ? c.access : null;
    const index = effectiveOrder.indexOf(id);
    const state = localStateOf(store.usageStats?.[id], now);
    return {
      id,
      label: profileLabel(id),
      provider: c.provider as CodexProviderId,
      identity: identityFrom(access, c),
      state,
      orderIndex: index >= 0 ? index : null,
      access: access ? new Secret(access) : null,
      // A stored token that is not a fence yet cannot be sent is not OpenClaw's to renew: it would use it as is.
      renewal: c.access && !access && !c.access.startsWith(OAUTH_FENCE_PREFIX) ? "none" : renewalOf(c, state),
    };
  });
  const storedOrder = store.order?.[provider] ?? null;
  const providerProfileIds = Object.keys(store.profiles).filter((id) => {
    const c = store.profiles[id]!;
    return isCodexAuthProfile(c.provider, c.type, rules);
  });
  const otherProviderIds = providerProfileIds.filter(
    (id) => normalizeProviderId(store.profiles[id]!.provider) !== provider,
  );
  return {
    location,
    profiles,
    effectiveOrder,
    providerOrder,
    providerProfileIds,
    orderSource: order.source,
    defaultProfileId: defaultProfileIdOf(effectiveOrder, ordered),
    orderProvider: provider,
    storedOrder: storedOrder ? [...storedOrder] : null,
    ...(otherProviderIds.length > 0 ? { otherProviderIds } : {}),
    ...(otherNote ? { warnings: [`${otherNote}.`] } : {}),
  };
}

function isOAuthOf(store: RawAuthStore, id: string, provider: string): boolean {
  const c = store.profiles[id];
  return c !== undefined && c.type === "oauth" && c.provider === provider;
}

/**
 * A token that can travel in an Authorization header: not fenced by a failed refresh, and visible ASCII
 * only (a stored value with a newline or NUL would make the request itself fail, with the token in the
 * error). Anything else counts as no token: missing_access_token, ask for a re-login.
 */
const usableAccess = (access: string): boolean =>
  !access.startsWith(OAUTH_FENCE_PREFIX) && /^[\x21-\x7e]+$/.test(access);

// A profile's identity: what its token's claims and its stored credential say.

/** The Codex access-token claims this project reads (the token is decoded, never verified or refreshed). */
const AUTH_CLAIM = "https://api.openai.com/auth";
const PROFILE_CLAIM = "https://api.openai.com/profile";

/** What the stored credential itself says, used when the token has no such claim or is not a JWT. */
export interface CredentialIdentityHints {
  accountId?: unknown;
  email?: unknown;
  expires?: unknown;
  chatgptPlanType?: unknown;
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
const record = (value: unknown): Record<string, unknown> | null => (isRecord(value) ? value : null);

/** A positive, finite ms epoch within JavaScript's date range, else null (OpenClaw's own bounds). */
function validExpiryMs(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 8.64e15 ? value : null;
}

const earlier = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** The claims of a JWT, or null when the text is not one. Never throws, never logs the token. */
function decodeClaims(token: string | null | undefined): Record<string, unknown> | null {
  if (token?.split(".").length !== 3) return null;
  try {
    return record(jwtDecode<Record<string, unknown>>(token));
  } catch {
    return null;
  }
}

/**
 * Identity of one profile: claims first (account id, user id, plan, email), then what the credential
 * stores. Expiry is the earlier of the credential's `expires` (what OpenClaw itself uses) and the JWT `exp`:
 * past either one, the token would only earn a 401.
 */
export function identityFrom(access: string | null | undefined, hints: CredentialIdentityHints = {}): ProfileIdentity {
  const claims = decodeClaims(access);
  const auth = record(claims?.[AUTH_CLAIM]);
  const profile = record(claims?.[PROFILE_CLAIM]);
  const exp = typeof claims?.exp === "number" && Number.isFinite(claims.exp) ? validExpiryMs(claims.exp * 1000) : null;
  return {
    accountId: str(auth?.chatgpt_account_id) ?? str(hints.accountId),
    userId: str(auth?.chatgpt_user_id) ?? str(auth?.user_id),
    email: str(profile?.email) ?? str(claims?.email) ?? str(hints.email),
    plan: str(auth?.chatgpt_plan_type) ?? str(hints.chatgptPlanType),
    expiresAtMs: earlier(validExpiryMs(hints.expires), exp),
  };
}

// A profile's local health and whether OpenClaw can renew it.

/** The cooldown reasons OpenClaw scopes to the failing model when it records one (isModelScopedCooldownReason). */
const MODEL_SCOPED = new Set(["rate_limit", "timeout", "model_not_found"]);

const active = (until: number | undefined, now: number): number | null =>
  typeof until === "number" && Number.isFinite(until) && until > 0 && now < until ? until : null;

/**
 * A profile's local health as OpenClaw would see it now. Windows that have ended are dropped, and when
 * every window has ended the error count reads 0 (OpenClaw's clearExpiredCooldowns does the same lazily).
 * A model-independent block (blockedUntil) counts as a cooldown. PURE.
 */
export function localStateOf(stats: RawUsageStats | undefined, now: number): ProfileLocalState {
  if (!stats)
    return {
      cooldownUntilMs: null,
      cooldownReason: null,
      cooldownModel: null,
      disabledUntilMs: null,
      disabledReason: null,
      errorCount: 0,
      lastUsedMs: null,
    };
  const cooldown = active(stats.cooldownUntil, now);
  const blocked = active(stats.blockedUntil, now);
  const disabled = active(stats.disabledUntil, now);
  const anyEnded = [stats.cooldownUntil, stats.blockedUntil, stats.disabledUntil].some(
    (v) => typeof v === "number" && v > 0 && now >= v,
  );
  const stillActive = cooldown !== null || blocked !== null || disabled !== null;
  const useBlock = blocked !== null && (cooldown === null || blocked > cooldown);
  return {
    cooldownUntilMs: useBlock ? blocked : cooldown,
    cooldownReason: useBlock
      ? (stats.blockedReason ?? null)
      : cooldown !== null
        ? (stats.cooldownReason ?? null)
        : null,
    cooldownModel:
      !useBlock && cooldown !== null && MODEL_SCOPED.has(stats.cooldownReason ?? "")
        ? (stats.cooldownModel ?? null)
        : null,
    disabledUntilMs: disabled,
    disabledReason: disabled !== null ? (stats.disabledReason ?? null) : null,
    errorCount: anyEnded && !stillActive ? 0 : Math.max(0, Math.trunc(stats.errorCount ?? 0)),
    lastUsedMs: typeof stats.lastUsed === "number" && stats.lastUsed > 0 ? stats.lastUsed : null,
  };
}

/** Whether OpenClaw can renew this credential on its next use, from the credential and its local state. PURE. */
function renewalOf(credential: RawCredential, state: ProfileLocalState): RenewalState {
  const access = fenceOf(credential.access);
  if (access === "failed" || credential.refreshState === "failed" || state.disabledReason === "auth_permanent")
    return "failed";
  if (access === "pending" || credential.refreshState === "fenced") return "in_progress";
  return credential.refreshState === "present" ? "possible" : "none";
}

/**
 * Another provider's ids in the set's provider order: 2026.5.28's API-key backups OpenClaw tries now, which no
 * order stored for orderProvider can hold. Empty on every other release.
 */
export function backupsInOrder(set: ProfileSet): string[] {
  const other = new Set(set.otherProviderIds);
  return set.providerOrder.filter((id) => other.has(id));
}
