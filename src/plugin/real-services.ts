import { ChatError } from "../chat/chat-error.ts";
import type { ChatServices, ProfileList } from "../chat/services.ts";
import type { PluginSettings } from "../chat/settings.ts";
import type { ProfileSet } from "../profiles/types.ts";
import { runUsageCheck } from "../usage/usage-service.ts";

/**
 * The real services behind the chat port: the usage engine, the profile source, the
 * `openclaw models auth …` wrapper and rotation. Modules still being built are loaded late, so the
 * plugin loads (and says what is missing) before they land.
 */
export function realServices(settings: PluginSettings, env: NodeJS.ProcessEnv = process.env): ChatServices {
  return {
    async listProfiles({ agentId }) {
      const source = await lateModule<{ loadProfileSet: (o: { env: NodeJS.ProcessEnv; agentId?: string }) => Promise<ProfileSet> }>("../profiles/profile-source.ts", "loadProfileSet");
      return profileList(await source.loadProfileSet({ env, ...(agentId ? { agentId } : {}) }));
    },
    checkUsage({ selection, agentId }) {
      return runUsageCheck({
        selection,
        env,
        ...(agentId ? { agentId } : {}),
        ...(settings.usageTimeoutSec ? { timeoutSec: settings.usageTimeoutSec } : {}),
        useCache: settings.useCache,
      });
    },
    async authStatus() {
      throw unavailable("auth status");
    },
    async planAuth() {
      throw unavailable("auth changes");
    },
    async applyAuth() {
      throw unavailable("auth changes");
    },
    async startLogin() {
      throw unavailable("login");
    },
    async pollLogin() {
      throw unavailable("login");
    },
    async proposeOrder() {
      return null;
    },
  };
}

/** 1 = default, 2 = all, 3.. = each profile in effective order (the CLI's numbering). */
export function profileList(set: ProfileSet): ProfileList {
  return {
    entries: [
      { number: 1, selection: "default", label: "default" },
      { number: 2, selection: "all", label: "all" },
      ...set.profiles.map((p, i) => ({ number: i + 3, selection: p.id, label: p.label })),
    ],
    profiles: set.profiles.map((p) => ({ id: p.id, label: p.label, orderIndex: p.orderIndex })),
  };
}

async function lateModule<T>(relative: string, exportName: string): Promise<T> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL(relative, import.meta.url).href)) as Record<string, unknown>;
  } catch {
    throw unavailable(relative);
  }
  if (typeof mod[exportName] !== "function") throw unavailable(`${relative} ${exportName}`);
  return mod as T;
}

function unavailable(what: string): ChatError {
  return new ChatError("service_unavailable", `codex-profiler: ${what} is not available in this build yet.`);
}
