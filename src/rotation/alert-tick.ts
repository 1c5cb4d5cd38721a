import { isCodexProfilerError } from "../errors/index.ts";
import { chatSafe, MAX_LINE_LENGTH, oneLine } from "../lib/display-text.ts";
import { splitProfileId } from "../openclaw/provider.ts";
import { errorMessage } from "../secrets/redact.ts";
import { recordUsageHistory } from "../usage/history-store.ts";
import type { UsageCheck } from "../usage/types.ts";
import type { AlertSettings } from "./alert-settings.ts";
import { alertText } from "./alert-text.ts";
import { type AlertCondition, alertConditions, decideAlerts, inQuietHours, unjudged } from "./alerts.ts";
import type { RotationDeps } from "./rotate.ts";
import { agentState, readRotationState, updateAgentState } from "./rotation-state.ts";

export interface AlertTick {
  /** One chat line per alert to send now, in the order of the conditions. */
  lines: string[];
  /** Conditions that hold now (sent now, earlier, or held back). */
  holding: number;
  quiet: boolean;
}

export interface AlertTickOptions {
  agentId: string;
  settings: AlertSettings;
  /** The first profile of the order after this tick; read from the order port when omitted. */
  first?: string | undefined;
  /** Whether this tick records the readings in the usage history (false when rotation already did). */
  record: boolean;
}

async function firstOfOrder(
  deps: RotationDeps,
  agentId: string,
  anyId: string | undefined,
): Promise<string | undefined> {
  const provider = splitProfileId(anyId ?? "")?.provider;
  if (!provider) return undefined;
  try {
    return (await deps.order.readOrder(agentId, provider))[0];
  } catch {
    // Without the order there is no "first account": the other alerts still hold.
    return undefined;
  }
}

/**
 * One look ahead for the owner: the usage check (cached readings are fine), its forecasts and the pool's runway
 * turned into alert conditions; what was already said is remembered per agent in the rotation state file.
 */
export async function runAlertTick(o: AlertTickOptions, deps: RotationDeps): Promise<AlertTick> {
  if (!o.settings.enabled) return { lines: [], holding: 0, quiet: false };
  let check: UsageCheck;
  try {
    check = await deps.readUsage(o.agentId);
  } catch (error) {
    const code = isCodexProfilerError(error) ? error.code : "failed";
    const message = errorMessage(error);
    const unavailable: AlertCondition = {
      kind: "unavailable",
      key: `unavailable:${code}`,
      code,
      message,
      resetAtMs: null,
    };
    // Nothing was read: every earlier condition stays as it was remembered.
    return remember([unavailable], () => true, o, deps);
  }
  const now = deps.now(); // after the check, so that its readings are part of the forecast
  if (deps.historyPath) recordUsageHistory(check, deps.historyPath, now, { record: o.record });
  const profiles = check.profiles;
  const first = "first" in o ? o.first : await firstOfOrder(deps, o.agentId, profiles[0]?.profileId);
  const input = { profiles, first, pool: check.pool, leadMs: o.settings.leadMs, now };
  return remember(alertConditions(input), unjudged(input), o, deps);
}

/** Decides against what was already said, stores the new memory, and words what is due. */
function remember(
  conditions: AlertCondition[],
  cannotJudge: (key: string) => boolean,
  o: AlertTickOptions,
  deps: RotationDeps,
): AlertTick {
  const now = deps.now();
  const quiet = inQuietHours(now, o.settings.quietHours, o.settings.timeZone);
  const memory = agentState(readRotationState(deps.statePath), o.agentId).alerts ?? {};
  const decided = decideAlerts(conditions, memory, { quiet, now, unjudged: cannotJudge });
  updateAgentState(deps.statePath, o.agentId, (s) => ({ ...s, alerts: decided.memory }));
  // Sent to chat as they are (alerts run, the job): one line each, pinging nobody.
  const lines = decided.send.map((c) => chatSafe(oneLine(alertText(c, now), MAX_LINE_LENGTH)));
  return { lines, holding: conditions.length, quiet };
}
