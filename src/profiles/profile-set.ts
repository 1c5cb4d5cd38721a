import { StoreError } from "../errors/index.ts";
import type { OpenclawConfig } from "../openclaw/config-file.ts";
import { type CodexProviderId, isCodexProvider, profileLabel } from "../openclaw/provider.ts";
import { Secret } from "../secrets/secret.ts";
import { codexProviderOf, defaultProfileIdOf, resolveEffectiveOrder } from "./effective-order.ts";
import { identityFrom } from "./identity.ts";
import { localStateOf, renewalOf } from "./local-state.ts";
import { OAUTH_FENCE_PREFIX, type RawAuthStore } from "./raw-store.ts";
import type { CodexProfile, ProfileSet, StoreLocation } from "./types.ts";

function isCodexOAuth(store: RawAuthStore, id: string): boolean {
  const c = store.profiles[id];
  return c !== undefined && c.type === "oauth" && isCodexProvider(c.provider);
}

/**
 * The profile set of one store, however it was read (OpenClaw's files in place, or the host's own reader).
 * `hostOrder` is the order the host itself resolved for the store; without it the order is derived as OpenClaw
 * 2026.9 does (effective-order.ts). Throws StoreError no_codex_profiles when the store holds no Codex profile.
 */
export function buildProfileSet(
  store: RawAuthStore,
  config: OpenclawConfig,
  location: StoreLocation,
  now: number,
  hostOrder?: string[],
): ProfileSet {
  const codexIds = Object.keys(store.profiles).filter((id) => isCodexOAuth(store, id));
  if (codexIds.length === 0) {
    const total = Object.keys(store.profiles).length;
    throw new StoreError(
      "no_codex_profiles",
      `${location.files.join(", ") || location.stateDir} holds ${total} auth profile${total === 1 ? "" : "s"} but no ` +
        `Codex (ChatGPT OAuth, provider openai/openai-codex) profile; add one with \`openclaw models auth login ` +
        `--provider openai\``,
      { path: location.files[0] ?? location.stateDir },
    );
  }
  const order = resolveEffectiveOrder({
    store,
    configOrder: config.authOrder,
    configProfiles: config.authProfiles,
    now,
  });
  const providerOrder = [...new Set(hostOrder ?? order.ids)];
  const effectiveOrder = providerOrder.filter((id) => isCodexOAuth(store, id));
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
  const storedOrder =
    store.order?.[order.provider] ?? store.order?.[order.provider === "openai" ? "openai-codex" : "openai"] ?? null;
  return {
    location,
    profiles,
    effectiveOrder,
    providerOrder,
    providerProfileIds: Object.keys(store.profiles).filter((id) => isCodexProvider(store.profiles[id]!.provider)),
    orderSource: order.source,
    defaultProfileId: defaultProfileIdOf(effectiveOrder, ordered),
    orderProvider: codexProviderOf(store),
    storedOrder: storedOrder ? [...storedOrder] : null,
  };
}

/**
 * A token that can travel in an Authorization header: not fenced by a failed refresh, and visible ASCII
 * only (a stored value with a newline or NUL would make the request itself fail, with the token in the
 * error). Anything else counts as no token: missing_access_token, ask for a re-login.
 */
const usableAccess = (access: string): boolean =>
  !access.startsWith(OAUTH_FENCE_PREFIX) && /^[\x21-\x7e]+$/.test(access);
