/**
 * OpenClaw's plugin SDK module for agents (`openclaw/plugin-sdk/agent-runtime`: the auth-store reader, the order
 * resolution, credential resolution). A variable specifier: it exists only inside OpenClaw's plugin loader, never
 * for tsc or the CLIs, and nothing requires openclaw at import time.
 */
const AGENT_RUNTIME: string = "openclaw/plugin-sdk/agent-runtime";

export type SdkLoader = () => Promise<unknown>;

/** The module, imported once per plugin life (concurrent callers share the one import); null where it is absent. */
export function agentRuntimeOnce(load: SdkLoader = () => import(AGENT_RUNTIME)): () => Promise<unknown> {
  let module: Promise<unknown> | null = null;
  return () => {
    module ??= load().catch(() => null);
    return module;
  };
}
