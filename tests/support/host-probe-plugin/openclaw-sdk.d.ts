// The three host functions the probe uses, typed loosely: the host provides the module at run time.
declare module "openclaw/plugin-sdk/agent-runtime" {
  export function loadAuthProfileStoreWithoutExternalProfiles(agentDir?: string): unknown;
  export function resolveApiKeyForProfile(params: Record<string, unknown>): Promise<{ apiKey: string } | null>;
  export function resolveAuthProfileOrder(params: Record<string, unknown>): string[];
}
