import { isCodexProfilerError } from "../errors/index.ts";
import { chatSafe, inlineName, MAX_LINE_LENGTH, oneLine } from "../lib/display-text.ts";
import { profileLabel } from "../openclaw/provider.ts";
import { errorMessage } from "../secrets/redact.ts";
import type { UsageCheck } from "../usage/types.ts";
import { ALERTS_OFF, type AlertSettings } from "./alert-settings.ts";
import { runAlertTick } from "./alert-tick.ts";
import {
  applyRotation,
  KEPT_IN_ORDER,
  type RotationApplyResult,
  type RotationDeps,
  type RotationOptions,
} from "./rotate.ts";
import { agentState, type JobRecord, readRotationState, updateAgentState } from "./rotation-state.ts";

/** A profile's label in a line the job sends to chat: OpenClaw takes ids with any character. */
const shownLabel = (id: string): string => inlineName(profileLabel(id));
/** Told in one chat line: Discord splits a line over its 2,000 characters at a space, mid-name. */
const NAMED_IN_ORDER = 10;
const orderText = (ids: string[]): string =>
  ids.length > NAMED_IN_ORDER
    ? `${ids.slice(0, NAMED_IN_ORDER).map(shownLabel).join(", ")} and ${ids.length - NAMED_IN_ORDER} more`
    : ids.map(shownLabel).join(", ");

/** OpenClaw suppresses a command job's output when it is exactly this. */
export const NO_REPLY = "NO_REPLY";

type JobOutcome = "applied" | "kept" | "no-usable" | "usage-error" | "apply-failed" | "verify-mismatch" | "superseded";

/**
 * Another change came first (a chat confirm, an overlapping tick, the user's own `openclaw models auth order
 * set`): the pipeline refused this tick's write, as it should. Nothing failed; the next tick plans from it.
 */
const SUPERSEDED = new Set(["order_changed", "change_in_progress"]);

export interface JobTick {
  outcome: JobOutcome;
  /** What the job prints: NO_REPLY unless the decision changed or an alert is due, else a line for each. */
  output: string;
  alerts: string[];
  record: JobRecord;
  rotation: RotationApplyResult | null;
}

function firstLimitedReason(r: RotationApplyResult, id: string | undefined): string {
  const reason = r.reasons.find((x) => x.profile === id);
  return reason && reason.standing !== "usable"
    ? ` (${shownLabel(id ?? "")} ${reason.reason.replace(/^\w+: /, "")})`
    : "";
}

/** When no profile is usable: what the first one does meanwhile (credits carry it on, or nothing does). */
function noneUsable(r: RotationApplyResult, firstId: string | undefined, changed: boolean): string {
  const first = r.reasons.find((x) => x.profile === firstId);
  const label = shownLabel(firstId ?? "none");
  if (first?.on_credits)
    return changed
      ? `No Codex profile has included usage left; ${label} goes on with credits meanwhile.`
      : `No Codex profile has included usage left; ${label} stays first (${first.reason}).`;
  if (changed) return "No Codex profile is usable right now.";
  const why = first?.reason.replace(KEPT_IN_ORDER, "");
  return `No Codex profile is usable right now; ${label} stays first${why ? ` (${why})` : ""}.`;
}

function describe(
  r: RotationApplyResult,
  previous: string | undefined,
): { outcome: JobOutcome; signature: string; line: string } {
  if (r.result?.verify && !r.result.verify.matches) {
    return {
      outcome: "verify-mismatch",
      signature: "verify-mismatch",
      line:
        `Codex rotation set the order but OpenClaw reports ` +
        `${orderText(r.result.verify.observed)}; run codex_rotate plan.`,
    };
  }
  if (r.result?.error && SUPERSEDED.has(r.result.error.code))
    return {
      outcome: "superseded",
      signature: previous ?? "ok",
      line: "Codex rotation left the order to a change made meanwhile; the next check starts from it.",
    };
  if (r.result && !r.result.ok) {
    const code = r.result.error?.code ?? "failed";
    return {
      outcome: "apply-failed",
      signature: `apply-failed:${code}`,
      line:
        `Codex rotation could not change the order (${code}): ` +
        `${r.result.error?.message ?? "see codex_rotate plan"}`,
    };
  }
  // A first in a brief OpenClaw cooldown (30 s to 5 min after an error) is not "no profile usable".
  const none = r.reasons.every((x) => x.standing !== "usable" && !x.brief_cooldown);
  if (r.applied) {
    const was = r.current[0];
    const now1 = r.proposed[0];
    const line =
      was !== now1
        ? `Codex order changed: ${shownLabel(now1 ?? "")} is first now, was ` +
          `${shownLabel(was ?? "none")}${firstLimitedReason(r, was)}.`
        : `Codex order repaired: ${orderText(r.proposed)}.`;
    // Said with the change, so that the next tick does not say it again.
    if (none) {
      const note = previous === "no-usable" ? "" : ` ${noneUsable(r, now1, true)}`;
      return { outcome: "applied", signature: "no-usable", line: `${line}${note}` };
    }
    return { outcome: "applied", signature: "ok", line };
  }
  if (!r.changed && r.ends_backups.length > 0)
    return { outcome: "kept", signature: "backup-held", line: `Codex rotation keeps the order: ${r.why}.` };
  if (none) return { outcome: "no-usable", signature: "no-usable", line: noneUsable(r, r.current[0], false) };
  return {
    outcome: "kept",
    signature: "ok",
    line: `Codex rotation is back to normal: ${shownLabel(r.current[0] ?? "")} is first.`,
  };
}

/**
 * One run of the auto-switch job: `rotate apply --if-better --yes`, then the decision and the order
 * are recorded atomically in the rotation state file. The output is NO_REPLY unless something the user
 * should know changed: the order was changed, or the health of rotation changed (no usable profile,
 * a failure, or the recovery from one); alerts, when on, follow on lines of their own.
 */
export async function runJobTick(
  agentId: string,
  deps: RotationDeps,
  tuning: Pick<RotationOptions, "hysteresis" | "policy"> = {},
  alertSettings: AlertSettings = ALERTS_OFF,
): Promise<JobTick> {
  const previous = agentState(readRotationState(deps.statePath), agentId).job;
  const at = new Date(deps.now()).toISOString();
  // One usage check per tick: the alerts look at the readings the rotation has just ranked.
  let reading: Promise<UsageCheck> | undefined;
  const once: RotationDeps = { ...deps, readUsage: (id) => (reading ??= deps.readUsage(id)) };
  let rotation: RotationApplyResult | null = null;
  let outcome: JobOutcome;
  let signature: string;
  let line: string;
  try {
    rotation = await applyRotation({ agentId, ifBetter: true, unattended: true, ...tuning }, once);
    ({ outcome, signature, line } = describe(rotation, previous?.signature));
  } catch (error) {
    const code = isCodexProfilerError(error) ? error.code : "failed";
    outcome = "usage-error";
    signature = `usage-error:${code}`;
    line = `Codex rotation could not run (${code}): ${errorMessage(error)}`;
  }
  // Holding the order for an API-key backup (backup-held) was no trouble to recover from.
  const quietOk =
    signature === "ok" && (previous === null || previous.signature === "ok" || previous.signature === "backup-held");
  const speak = outcome === "applied" || (!quietOk && signature !== previous?.signature);
  const order = rotation ? (rotation.applied ? rotation.proposed : rotation.current) : (previous?.order ?? []);
  const alerts = rotation ? await alertsAfter(agentId, once, alertSettings, order[0]) : [];
  // Sent to chat as it is: one line of its own, pinging nobody (the alert tick makes its lines so already).
  const lines = [...(speak ? [chatSafe(oneLine(line, MAX_LINE_LENGTH))] : []), ...alerts];
  const output = lines.length > 0 ? lines.join("\n") : NO_REPLY;
  const record: JobRecord = {
    at,
    outcome,
    signature,
    order,
    message: speak ? line : null,
  };
  try {
    updateAgentState(deps.statePath, agentId, (s) => ({ ...s, job: record }));
  } catch {
    // Without its memory the job says its line again next tick; the tick itself did its work.
  }
  return { outcome, output, alerts, record, rotation };
}

/** The alerts after a rotation that ran: its readings are in the history already, its order is the one to watch. */
async function alertsAfter(
  agentId: string,
  deps: RotationDeps,
  settings: AlertSettings,
  first: string | undefined,
): Promise<string[]> {
  try {
    return (await runAlertTick({ agentId, settings, first, record: false }, deps)).lines;
  } catch {
    // The rotation's result stands; an alert that cannot be worked out now is tried again on the next tick.
    return [];
  }
}
