import type { CodexProfile, ProfileSet } from "../../src/profiles/index.ts";
import { localStateOf } from "../../src/profiles/profile-set.ts";

/** A Codex profile as the profile source builds it, with no token and no local state. */
export function codexProfile(id: string, orderIndex: number | null): CodexProfile {
  return {
    id,
    label: id.slice(id.indexOf(":") + 1),
    provider: id.startsWith("openai-codex:") ? "openai-codex" : "openai",
    identity: { accountId: null, userId: null, email: null, plan: null, expiresAtMs: null },
    state: localStateOf(undefined, 0),
    orderIndex,
    access: null,
    renewal: "possible",
  };
}

/** A profile set of `profiles` in this order; those with an orderIndex form the (stored) effective order. */
export function profileSetOf(profiles: CodexProfile[], over: Partial<ProfileSet> = {}): ProfileSet {
  const effectiveOrder = profiles
    .filter((p) => p.orderIndex !== null)
    .sort((a, b) => a.orderIndex! - b.orderIndex!)
    .map((p) => p.id);
  return {
    location: {
      layout: "sqlite",
      agentId: "main",
      stateDir: "/s",
      configPath: "/s/openclaw.json",
      agentDir: "/s/agents/main/agent",
      files: [],
      reader: "file",
    },
    profiles,
    effectiveOrder,
    providerOrder: effectiveOrder,
    providerProfileIds: profiles.map((p) => p.id),
    orderSource: "stored-override",
    defaultProfileId: effectiveOrder[0] ?? null,
    orderProvider: "openai",
    storedOrder: effectiveOrder,
    ...over,
  };
}
