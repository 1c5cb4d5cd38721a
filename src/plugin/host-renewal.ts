import type { ProfileSet } from "../profiles/index.ts";
import type { CredentialRenewer } from "../usage/check.ts";

/*
 * Inside the gateway, OpenClaw can renew an idle profile's credential itself: resolveApiKeyForProfile (plugin SDK,
 * openclaw/plugin-sdk/agent-runtime) is the credential resolution OpenClaw runs before it uses a profile. It takes
 * OpenClaw's per-profile refresh lock, renews through OpenClaw's provider code, and stores the result (or a
 * failed fence). We never see a refresh token and never call the token endpoint; the access token it returns
 * is dropped unread, and the usage check reads the store again. Evidence: /work/notes/H4-report.md §2.
 */

interface AgentRuntimeSdk {
  loadAuthProfileStoreWithoutExternalProfiles: (agentDir?: string) => unknown;
  resolveApiKeyForProfile: (params: Record<string, unknown>) => Promise<unknown>;
}

/** A variable specifier: the SDK exists only inside OpenClaw's plugin loader, never for tsc or the CLIs. */
const SDK_SPECIFIER = "openclaw/plugin-sdk/agent-runtime";

type Importer = (specifier: string) => Promise<unknown>;
const importOpenclaw: Importer = (specifier) => import(specifier);
const loaded = new WeakMap<Importer, Promise<AgentRuntimeSdk | null>>();

/** The SDK when this host has both calls (2026.5.28+); null on older hosts and outside the gateway. Loaded once. */
function loadSdk(importer: Importer): Promise<AgentRuntimeSdk | null> {
  let sdk = loaded.get(importer);
  if (!sdk) {
    sdk = importer(SDK_SPECIFIER).then(
      (m) => {
        const mod = m as Partial<AgentRuntimeSdk>;
        return typeof mod.loadAuthProfileStoreWithoutExternalProfiles === "function" &&
          typeof mod.resolveApiKeyForProfile === "function"
          ? (mod as AgentRuntimeSdk)
          : null;
      },
      () => null,
    );
    loaded.set(importer, sdk);
  }
  return sdk;
}

/** OpenClaw's refresh failure is final for that credential: it fenced it as failed. */
const isRefreshFailure = (error: unknown): boolean =>
  error instanceof Error && /^OAuthRefreshFailureError$/.test(error.name);

export interface HostRenewalOptions {
  /** OpenClaw's config as the plugin API hands it (api.config). */
  config: unknown;
  /** Tests inject the module; the plugin imports OpenClaw's. */
  importer?: Importer;
}

/** The renewer the chat's usage checks use inside the gateway. */
export function hostRenewer(options: HostRenewalOptions): CredentialRenewer {
  const importer = options.importer ?? importOpenclaw;
  return async (profileId: string, set: ProfileSet) => {
    const host = await loadSdk(importer);
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
