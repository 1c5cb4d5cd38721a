import { formatDetailsLine } from "../format/details-line.ts";
import { formatProfileLine } from "../format/profile-line.ts";
import type { DedupeDecision } from "./dedupe.ts";
import type { ChatDeps } from "./deps.ts";
import { nextSteps } from "./next-steps.ts";
import { resolveUsageSelection } from "./profile-match.ts";
import type { ChatReply, Choice } from "./reply.ts";
import type { CommandRequest } from "./request.ts";
import type { SelectorEntry } from "./services.ts";

export const USAGE_PROGRESS_TEXT = "Running Codex usage checks now…";

/** "all details", "details 3", "work details" → the selection and whether the details lines are asked for. */
function splitDetails(args: string): { selection: string; details: boolean } {
  const words = args.split(/\s+/).filter(Boolean);
  const rest = words.filter((w) => w.toLowerCase() !== "details");
  return { selection: rest.join(" ") || (words.length > 0 ? "all" : ""), details: rest.length !== words.length };
}

/**
 * /codex_usage: no argument → the selector; an argument → one run (once per dedupe window): one line per
 * profile, and with `details` a second, indented line under each.
 */
export async function runUsageCommand(req: CommandRequest, deps: ChatDeps): Promise<ChatReply> {
  const list = await deps.services.listProfiles({ agentId: req.agentId });
  if (req.args === "") return usageSelector(list.entries);
  const { selection, details } = splitDetails(req.args);
  const entry = resolveUsageSelection(selection, list);
  const key = `usage:${req.agentId ?? ""}:${entry.selection}${details ? ":details" : ""}`;
  const decision = deps.guard.begin(req.senderKey, key);
  if (!decision.run) return { text: duplicateNote(decision) };
  try {
    await deps.progress.send(req, USAGE_PROGRESS_TEXT);
    const check = await deps.services.checkUsage({ selection: entry.selection, agentId: req.agentId });
    const lines = check.profiles.flatMap((p) =>
      details ? [formatProfileLine(p, check), formatDetailsLine(p, check)] : [formatProfileLine(p, check)],
    );
    const rows = nextSteps(check);
    return {
      text: lines.join("\n"),
      ...(rows.length > 0 ? { choices: { prompt: "Next:", rows } } : {}),
    };
  } finally {
    decision.finish();
  }
}

function usageSelector(entries: SelectorEntry[]): ChatReply {
  const toChoice = (e: SelectorEntry): Choice => ({
    label: e.label,
    command: `/codex_usage ${e.selection}`,
    typed: `/codex_usage ${e.number}`,
    number: e.number,
  });
  const fixed = entries.filter((e) => e.selection === "default" || e.selection === "all").map(toChoice);
  const profiles = entries.filter((e) => e.selection !== "default" && e.selection !== "all").map(toChoice);
  const rows: Choice[][] = [fixed];
  for (let i = 0; i < profiles.length; i += 2) rows.push(profiles.slice(i, i + 2));
  return {
    text: "Check Codex usage for which profile?",
    choices: { prompt: "Reply /codex_usage <number>:", rows },
  };
}

function duplicateNote(decision: Extract<DedupeDecision, { run: false }>): string {
  if (decision.state === "running") return "That check is already running; its result will follow.";
  return `Same request answered ${Math.max(1, Math.round(decision.ageMs / 1000))} s ago; not run again.`;
}
