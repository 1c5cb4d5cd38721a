import { fenceOf, type ProfileSet } from "../profiles/index.ts";
import type { CredentialRenewer } from "../usage/check.ts";
import { agentRuntimeOnce, type SdkLoader } from "./agent-runtime.ts";

/*
 * Inside the gateway, OpenClaw can renew an idle profile's credential itself: resolveApiKeyForProfile (plugin SDK,
 * openclaw/plugin-sdk/agent-runtime) is the credential resolution OpenClaw runs before it uses a profile. It takes
 * OpenClaw's per-profile refresh lock, renews through OpenClaw's provider code, and stores the result (or a
 * failed fence). We never see a refresh token and never call the token endpoint; the access token it returns
 * is dropped unread, and the usage check reads the store again. Proven in a real gateway by
 * tests/integration/host-readers-gateway.test.ts.
 */

interface AgentRuntimeSdk {
  loadAuthProfileStoreWithoutExternalProfiles: (agentDir?: string) => unknown;
  resolveApiKeyForProfile: (params: Record<string, unknown>) => Promise<unknown>;
}

/** The SDK when this host has both calls (2026.5.28+); null on older hosts and outside the gateway. */
async function sdkOf(load: SdkLoader): Promise<AgentRuntimeSdk | null> {
  const mod = ((await load()) ?? {}) as Partial<AgentRuntimeSdk>;
  return typeof mod.loadAuthProfileStoreWithoutExternalProfiles === "function" &&
    typeof mod.resolveApiKeyForProfile === "function"
    ? (mod as AgentRuntimeSdk)
    : null;
}

/*
 * What makes a failed renewal final differs by release; a failure that is not final (the token endpoint down, a
 * timeout) stays "renewal pending", since OpenClaw tries again on the next use:
 * - 2026.9: OAuthRefreshFailureError, and OpenClaw stores a failed fence over the credential after any failure
 *   (a 500 or an unreachable endpoint too: the refresh token may be spent), then resolves that profile to null;
 * - 2026.6–2026.8: every failure is wrapped in OAuthRefreshFailureError and nothing is stored; its `reason` is
 *   OpenClaw's own reading of the message (invalid_grant, revoked, …), null when it found none;
 * - 2026.5.28: a plain Error, "OAuth token refresh failed for <provider>: <cause>", read as OpenClaw reads it.
 */
const FINAL_REFRESH_FAILURE = new RegExp(
  [
    "refresh_token_reused",
    "refresh_token_expired",
    "invalid_grant",
    "token_invalidated",
    "sign(?:ing)?[_ ]in[_ ]again",
    "log[_ ]in[_ ]again",
    "invalid[_ ]refresh[_ ]token",
    "revoked",
  ].join("|"),
  "i",
);

function isFinalRefreshFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "OAuthRefreshFailureError") {
    const { reason } = error as { reason?: unknown };
    return typeof reason === "string" && reason !== "";
  }
  return /^OAuth token refresh failed for /.test(error.message) && FINAL_REFRESH_FAILURE.test(error.message);
}

/** Whether OpenClaw stored a failed fence over the profile's credential. */
function fencedAsFailed(host: AgentRuntimeSdk, agentDir: string, profileId: string): boolean {
  try {
    const store = host.loadAuthProfileStoreWithoutExternalProfiles(agentDir) as {
      profiles?: Record<string, { access?: unknown; refresh?: unknown } | undefined>;
    };
    const c = store.profiles?.[profileId];
    const stored = (v: unknown) => (typeof v === "string" ? v : undefined);
    return fenceOf(stored(c?.access)) === "failed" || fenceOf(stored(c?.refresh)) === "failed";
  } catch {
    return false;
  }
}

export interface HostRenewalOptions {
  /** OpenClaw's config as the plugin API hands it (api.config), read when a renewal is asked, as the reader does. */
  config: () => unknown;
  /** OpenClaw's SDK module, shared with the host reader (agent-runtime.ts); tests inject one. */
  load?: SdkLoader;
}

/** The renewer the chat's usage checks use inside the gateway. */
export function hostRenewer(options: HostRenewalOptions): CredentialRenewer {
  const load = options.load ?? agentRuntimeOnce();
  return async (profileId: string, set: ProfileSet) => {
    const host = await sdkOf(load).catch(() => null);
    if (!host) return "unavailable";
    const agentDir = set.location.agentDir;
    try {
      const store = host.loadAuthProfileStoreWithoutExternalProfiles(agentDir);
      const resolved = await host.resolveApiKeyForProfile({
        store,
        profileId,
        agentDir,
        cfg: options.config(),
        allowProfileFallback: false,
      });
      if (resolved !== null && resolved !== undefined) return "renewed";
      // 2026.9 answers a profile it fenced after a failed renewal with null, without trying again.
      return fencedAsFailed(host, agentDir, profileId) ? "failed" : "unavailable";
    } catch (error) {
      return isFinalRefreshFailure(error) || fencedAsFailed(host, agentDir, profileId) ? "failed" : "unavailable";
    }
  };
}
