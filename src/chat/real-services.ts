import { type HostAuthReader, loadProfileSet } from "../profiles/index.ts";
import { defaultRotationDeps } from "../rotation/default-deps.ts";
import { leftOutUnusable, parkLeftOut, planRotation } from "../rotation/rotate.ts";
import { rotationStatePath } from "../rotation/rotation-state.ts";
import { type CredentialRenewer, runUsageCheck } from "../usage/check.ts";
import { historyPath, recordUsageHistory } from "../usage/history-store.ts";
import { authServices } from "./auth-services.ts";
import type { ChatServices } from "./services.ts";
import type { PluginSettings } from "./settings.ts";

/** What the gateway offers the services: its own auth reader and renewal (when it has them) and its version. */
export interface HostFacts {
  authReader?: () => Promise<HostAuthReader | null>;
  version?: string;
  renew?: CredentialRenewer;
}

/**
 * The real services behind the chat port: the profile source (the host's reader first, else OpenClaw's files
 * in place), the usage engine (with OpenClaw renewing an idle profile's token first, when the host offers it),
 * the `openclaw models auth …` pipeline and rotation. Each chat step reads the profile set once and passes it on.
 */
export function realServices(
  settings: PluginSettings,
  env: NodeJS.ProcessEnv = process.env,
  host: HostFacts = {},
): ChatServices {
  const auth = authServices(env, host.version);
  return {
    async loadProfiles({ agentId }) {
      const reader = (await host.authReader?.()) ?? null;
      return loadProfileSet({
        env,
        openclawVersion: host.version,
        ...(agentId ? { agentId } : {}),
        ...(reader ? { host: reader } : {}),
      });
    },
    async checkUsage({ set, selection }) {
      const check = await runUsageCheck({
        set,
        selection,
        env,
        ...(settings.usageTimeoutSec ? { timeoutSec: settings.usageTimeoutSec } : {}),
        useCache: settings.useCache,
        ...(host.renew ? { renew: host.renew } : {}),
      });
      // The chat service is the caller of this check: it records the readings in the usage history.
      recordUsageHistory(check, historyPath(env), Date.now());
      return check;
    },
    ...auth,
    async applyAuth(request) {
      const result = await auth.applyAuth(request);
      // An optimized order is rotation's: the profiles it left out come back once usable, as after codex_rotate.
      if (request.park && request.order && result.applied && result.verified && request.agentId) {
        try {
          parkLeftOut(rotationStatePath(env), request.agentId, request.park, request.order);
        } catch {
          // Only the memory is lost (the cache folder not writable); the change stands, verified.
        }
      }
      return result;
    },
    async proposeOrder(_query, set) {
      const plan = await planRotation(
        { agentId: set.location.agentId, ifBetter: false },
        defaultRotationDeps(env, { set }),
      );
      return { order: plan.proposed, reason: plan.why, park: leftOutUnusable(plan) };
    },
  };
}
