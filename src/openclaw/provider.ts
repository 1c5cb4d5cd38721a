/**
 * Codex subscriptions are OAuth profiles of provider "openai-codex" (OpenClaw ≤ 2026.5) or "openai"
 * (2026.6+, where doctor --fix rewrites openai-codex:* ids). Users may type either prefix.
 */
export const CODEX_PROVIDER_IDS = ["openai", "openai-codex"] as const;
export type CodexProviderId = (typeof CODEX_PROVIDER_IDS)[number];

export function isCodexProvider(provider: string): provider is CodexProviderId {
  return (CODEX_PROVIDER_IDS as readonly string[]).includes(provider);
}

export function splitProfileId(id: string): { provider: string; name: string } | null {
  const at = id.indexOf(":");
  if (at <= 0 || at === id.length - 1) return null;
  return { provider: id.slice(0, at), name: id.slice(at + 1) };
}

/** The label users see and type: the id without its provider prefix. */
export function profileLabel(id: string): string {
  return splitProfileId(id)?.name ?? id;
}

/** Rewrites a Codex profile id onto the provider the installed OpenClaw uses. */
export function toProviderId(id: string, provider: CodexProviderId): string {
  const parts = splitProfileId(id);
  if (!parts || !isCodexProvider(parts.provider)) return id;
  return `${provider}:${parts.name}`;
}
