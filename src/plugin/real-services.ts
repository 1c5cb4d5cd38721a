import { ChatError } from "../chat/chat-error.ts";
import type { ChatServices, ProfileList } from "../chat/services.ts";
import type { PluginSettings } from "../chat/settings.ts";
import { loadProfileSet, selectorEntries, type ProfileSet } from "../profiles/index.ts";
import { runUsageCheck } from "../usage/usage-service.ts";

/**
 * The real services behind the chat port: the usage engine, the profile source, the
 * `openclaw models auth …` wrapper and rotation. Modules still being built are loaded late, so the
 * plugin loads (and says what is missing) before they land.
 */
export function realServices(settings: PluginSettings, env: NodeJS.ProcessEnv = process.env): ChatServices {
  return {
    async listProfiles({ agentId }) {
      return profileList(await loadProfileSet({ env, ...(agentId ? { agentId } : {}) }));
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

/** The CLI's numbering (selectorEntries: 1 = default, 2 = all, 3.. = each profile), with full ids. */
export function profileList(set: ProfileSet): ProfileList {
  return {
    entries: selectorEntries(set).map((e) => ({
      number: e.number,
      selection: e.kind === "profile" ? e.profileIds[0]! : e.kind,
      label: e.label,
    })),
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
