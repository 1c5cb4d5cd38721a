import { formatDetailsLine } from "../format/details-line.ts";
import { poolChart, poolSentence } from "../format/pool-line.ts";
import { formatProfileLine } from "../format/profile-line.ts";
import { checkWarnings } from "../format/vocabulary.ts";
import {
  type CodexProfile,
  listName,
  numberedProfiles,
  type ProfileSet,
  resolveSelection,
  selectorFor,
} from "../profiles/index.ts";
import type { UsageCheck } from "../usage/types.ts";
import type { ChatDeps } from "./deps.ts";
import type { ChatReply, Choice } from "./reply.ts";
import type { CommandRequest, DedupeDecision } from "./request.ts";

export const USAGE_PROGRESS_TEXT = "Running Codex usage checks now…";

const OPTION_WORDS = ["details", "pool"];
/** What /codex_usage reads as words, not labels: a profile with such a label is typed by its full id. */
const USAGE_WORDS = ["all", "default", ...OPTION_WORDS];

/**
 * "all details", "details 3", "pool" → the selection, whether the details lines are asked for, and whether the
 * pool's runway is ("pool" alone means every profile).
 */
function splitOptions(args: string): { selection: string; details: boolean; pool: boolean } {
  const words = args.split(/\s+/).filter(Boolean);
  const word = (w: string): boolean => words.some((x) => x.toLowerCase() === w);
  const rest = words.filter((w) => !OPTION_WORDS.includes(w.toLowerCase()));
  return { selection: rest.join(" ") || (words.length > 0 ? "all" : ""), details: word("details"), pool: word("pool") };
}

/**
 * /codex_usage: no argument → the selector; an argument → one run (once per dedupe window): one line per
 * profile, with `details` a second, indented line under each, and with `pool` the pool's runway after them.
 * The profile set is read once; the selection, and the names the next steps type, are resolved in that same set
 * before the check.
 */
export async function runUsageCommand(req: CommandRequest, deps: ChatDeps): Promise<ChatReply> {
  const set = await deps.services.loadProfiles({ agentId: req.agentId });
  if (req.args === "") return usageSelector(set);
  const { selection: asked, details, pool } = splitOptions(req.args);
  const selection = resolveSelection(set, asked);
  const names = authNames(set, selection.profiles);
  const key = `usage:${req.agentId ?? ""}:${selection.key}${details ? ":details" : ""}${pool ? ":pool" : ""}`;
  const decision = deps.guard.begin(req.senderKey, key);
  if (!decision.run) return { text: duplicateNote(decision) };
  let outcome: "answered" | "failed" = "failed";
  try {
    await deps.progress.send(req, USAGE_PROGRESS_TEXT);
    const check = await deps.services.checkUsage({ set, selection });
    const lines = check.profiles.flatMap((p) =>
      details ? [formatProfileLine(p, check), formatDetailsLine(p, check)] : [formatProfileLine(p, check)],
    );
    if (pool) lines.push(poolText(check));
    for (const w of checkWarnings(check)) lines.push(`⚠️ ${w}`);
    const chart = pool ? poolChart(check.poolParts ?? []) : null;
    const rows = nextSteps(check, names);
    outcome = "answered";
    return {
      text: lines.join("\n"),
      ...(chart ? { chart } : {}),
      ...(rows.length > 0 ? { choices: { prompt: "Next:", rows } } : {}),
    };
  } finally {
    decision.finish(outcome);
  }
}

function poolText(check: UsageCheck): string {
  return check.pool
    ? poolSentence(check.pool, check.checkedAtMs)
    : "The pool has no pace yet: its runway shows once a few checks have been recorded.";
}

/** `default` and `all` as words (buttons), then every profile by its number (1..N in set order). */
function usageSelector(set: ProfileSet): ChatReply {
  const word = (w: "default" | "all"): Choice => ({
    label: w,
    command: `/codex_usage ${w}`,
    typed: `/codex_usage ${w}`,
  });
  const profiles = numberedProfiles(set).map(
    ({ number, profile }): Choice => ({
      label: listName(set, profile, USAGE_WORDS),
      command: `/codex_usage ${selectorFor(set, profile, USAGE_WORDS, "id")}`,
      typed: `/codex_usage ${number}`,
      number,
    }),
  );
  const rows: Choice[][] = [[word("default"), word("all")]];
  for (let i = 0; i < profiles.length; i += 2) rows.push(profiles.slice(i, i + 2));
  return {
    text: "Check Codex usage for which profile?",
    choices: { prompt: "Reply /codex_usage <number>, or:", rows },
  };
}

function duplicateNote(decision: Extract<DedupeDecision, { run: false }>): string {
  if (decision.state === "running") return "That check is already running; its result will follow.";
  return `Same request answered ${Math.max(1, Math.round(decision.ageMs / 1000))} s ago; not run again.`;
}

type AuthNames = Map<string, Record<"id" | "label", string>>;

/** What selects each of these profiles in a /codex_auth command: led by its full id (a tap) or its label (typed). */
const authNames = (set: ProfileSet, profiles: CodexProfile[]): AuthNames =>
  new Map(profiles.map((p) => [p.id, { id: selectorFor(set, p, [], "id"), label: selectorFor(set, p, [], "label") }]));

/** The natural next steps under a usage result: re-login each 🔴 profile, put the best 🟢 profile first. */
function nextSteps(check: UsageCheck, names: AuthNames): Choice[][] {
  const rows: Choice[][] = [];
  const after = (verb: string, id: string, prefer: "id" | "label"): string =>
    `/codex_auth ${verb} ${names.get(id)?.[prefer] ?? id}`;
  for (const p of check.profiles) {
    if (p.needsLogin) {
      rows.push([
        {
          label: `Re-login ${p.label}`,
          command: after("login", p.profileId, "id"),
          typed: after("login", p.profileId, "label"),
          style: "danger",
        },
      ]);
    }
  }
  const best = check.profiles.find((p) => p.profileId === check.ranking[0]);
  if (best && best.local.orderIndex !== 0 && check.profiles.length > 1) {
    rows.push([
      {
        label: `Put ${best.label} first`,
        command: after("first", best.profileId, "id"),
        typed: after("first", best.profileId, "label"),
        style: "success",
      },
    ]);
  }
  return rows;
}
