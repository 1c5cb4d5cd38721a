import type { ChatServices, ProfileList } from "../chat/services.ts";
import type { PluginSettings } from "../chat/settings.ts";
import { forecastReport } from "../format/forecast-line.ts";
import { defaultAgentId } from "../openclaw/default-agent.ts";
import { loadProfileSet, type ProfileSet, selectorEntries } from "../profiles/index.ts";
import { defaultRotationDeps } from "../rotation/default-deps.ts";
import { planRotation } from "../rotation/rotate.ts";
import { type CredentialRenewer, runUsageCheck } from "../usage/check.ts";
import { recordUsageHistory } from "../usage/history-store.ts";
import { authServices } from "./auth-services.ts";

/**
 * The real services behind the chat port: the profile source, the usage engine (with OpenClaw renewing an idle
 * profile's token first, when the host offers it), the `openclaw models auth …` pipeline and rotation.
 */
export function realServices(
  settings: PluginSettings,
  env: NodeJS.ProcessEnv = process.env,
  host: { renew?: CredentialRenewer } = {},
): ChatServices {
  return {
    async listProfiles({ agentId }) {
      return profileList(await loadProfileSet({ env, ...(agentId ? { agentId } : {}) }));
    },
    async checkUsage({ selection, agentId }) {
      const check = await runUsageCheck({
        selection,
        env,
        ...(agentId ? { agentId } : {}),
        ...(settings.usageTimeoutSec ? { timeoutSec: settings.usageTimeoutSec } : {}),
        useCache: settings.useCache,
        ...(host.renew ? { renew: host.renew } : {}),
      });
      // The chat service is the caller of this check: it records the readings in the usage history.
      const at = Date.now();
      const history = recordUsageHistory(check, env, at);
      const forecast = history && forecastReport(check, history, at);
      for (const p of check.profiles) p.forecast = forecast ? (forecast.forecasts[p.profileId] ?? null) : null;
      return check;
    },
    ...authServices(env),
    async proposeOrder({ agentId }) {
      const plan = await planRotation(
        { agentId: agentId ?? defaultAgentId(env), ifBetter: false },
        defaultRotationDeps(env),
      );
      return { order: plan.proposed, reason: plan.why };
    },
  };
}

/** The CLI's numbering (selectorEntries: 1 = default, 2 = all, 3.. = each profile), with full ids. */
function profileList(set: ProfileSet): ProfileList {
  return {
    entries: selectorEntries(set).map((e) => ({
      number: e.number,
      selection: e.kind === "profile" ? e.profileIds[0]! : e.kind,
      label: e.label,
    })),
    profiles: set.profiles.map((p) => ({ id: p.id, label: p.label, orderIndex: p.orderIndex })),
  };
}
