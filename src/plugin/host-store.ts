import type { ChatLogger } from "../chat/deps.ts";
import type { HostAuthReader } from "../profiles/index.ts";
import { agentRuntimeOnce, type SdkLoader } from "./agent-runtime.ts";

type LoadStore = (agentDir?: string) => unknown;
type ResolveOrder = (params: { store: unknown; provider: string; cfg?: unknown }) => unknown;

/**
 * OpenClaw's own reader of the auth store, when the host exports it:
 * - `loadAuthProfileStoreWithoutExternalProfiles(agentDir)`: the agent's store as OpenClaw merges it, read-only
 *   (no external-CLI sync, no keychain prompt, no write; 2026.5.28+);
 * - `resolveAuthProfileOrder({ store, provider, cfg })`: the order OpenClaw would try (pure, but it clears
 *   ended cooldowns in the store it is given, so it gets a copy).
 * Feature-detected at run time (agent-runtime.ts): the plugin loads on hosts without it. Null then, and the
 * profiles are read from OpenClaw's files in place. Detected once per plugin life.
 */
export function hostAuthReader(
  logger: ChatLogger,
  hostConfig: () => unknown,
  load: SdkLoader = agentRuntimeOnce(),
): () => Promise<HostAuthReader | null> {
  let reader: Promise<HostAuthReader | null> | null = null;
  return () => {
    reader ??= detect(logger, hostConfig, load);
    return reader;
  };
}

async function detect(logger: ChatLogger, hostConfig: () => unknown, load: SdkLoader): Promise<HostAuthReader | null> {
  let mod: Record<string, unknown>;
  try {
    mod = (await load()) as Record<string, unknown>;
  } catch {
    return null;
  }
  const loadStore = mod?.loadAuthProfileStoreWithoutExternalProfiles as LoadStore | undefined;
  const resolveOrder = mod?.resolveAuthProfileOrder as ResolveOrder | undefined;
  if (typeof loadStore !== "function" || typeof resolveOrder !== "function") return null;
  logger.info?.("codex-profiler: reading auth profiles through OpenClaw's own reader (plugin-sdk/agent-runtime)");
  return {
    loadStore: (agentDir) => loadStore(agentDir),
    resolveOrder: (store, provider) => {
      const order = resolveOrder({ store: structuredClone(store), provider, cfg: hostConfig() });
      return Array.isArray(order) ? order.filter((id): id is string => typeof id === "string") : [];
    },
  };
}
