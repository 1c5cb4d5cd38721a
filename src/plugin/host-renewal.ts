import type { ProfileSet } from "../profiles/index.ts";
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

/** OpenClaw's refresh failure is final for that credential: it fenced it as failed. */
const isRefreshFailure = (error: unknown): boolean =>
  error instanceof Error && /^OAuthRefreshFailureError$/.test(error.name);

export interface HostRenewalOptions {
  /** OpenClaw's config as the plugin API hands it (api.config). */
  config: unknown;
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
        cfg: options.config,
        allowProfileFallback: false,
      });
      return resolved === null || resolved === undefined ? "unavailable" : "renewed";
    } catch (error) {
      return isRefreshFailure(error) ? "failed" : "unavailable";
    }
  };
}
