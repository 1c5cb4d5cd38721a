import { InputError } from "../errors/index.ts";
import { AGENT_ID } from "../openclaw/ids.ts";
import { DEFAULT_RANK_POLICY, RANK_POLICIES, type RankPolicy } from "../rotation/types.ts";
import { quoteInput } from "../secrets/redact.ts";
import { choiceFlag, intFlag, parseFlags, refuseUnusedFlags } from "./flags.ts";

type JobVerb = "run" | "install" | "remove" | "status";
type RotateAction = "plan" | "apply" | `job-${JobVerb}` | `alerts-${JobVerb}` | "models";
const JOB_VERBS: readonly string[] = ["run", "install", "remove", "status"];

export interface RotateArgs {
  action: RotateAction;
  /** --agent; when absent, the command takes the agent OpenClaw would use (see defaultAgentId). */
  agent: string | undefined;
  format: "json" | "text";
  yes: boolean;
  ifBetter: boolean;
  marginPoints: number;
  policy: RankPolicy;
  every: string;
  announce: boolean;
  /** models: the wanted agents.defaults.model primary and fallbacks. */
  primary: string | null;
  fallbacks: string[] | null;
  help: boolean;
}

export const ROTATE_HELP = `Usage: codex_rotate plan|apply [options]
       codex_rotate job run|install|remove|status [options]
       codex_rotate alerts run|install|remove|status [options]
       codex_rotate models --primary <provider/model> [--fallbacks a,b] [--yes]

Ranks the Codex profiles by their real remaining limits and proposes (plan) or sets (apply) the
auth order through openclaw models auth order set (preflight, apply, verify).

Options:
  --agent <id>          OpenClaw agent (default: the one OpenClaw uses, usually main)
  --format json|text    output (default: text)
  --yes                 apply, models, job|alerts install|remove: confirm the change
  --if-better           change only when clearly better (hysteresis), as the job does
  --margin N            with --if-better, 1-100 (default: 15): headroom: the points the best must beat the
                        first by; expiry-first: a taker needs 20 + N % left (and its reset 6 h sooner)
  --policy <name>       expiry-first: spend first the quota that resets soonest (default);
                        headroom: the most left first
  --every <duration>    job/alerts install: schedule, e.g. 10m (default: 10m; 5m at least)
  --quiet               job|alerts install: never post the job's line to a chat
  --primary <ref>       models: agents.defaults.model.primary (openclaw models set)
  --fallbacks <a,b>     models: the fallbacks in order (openclaw models fallbacks clear/add); "" for none;
                        without it the current fallbacks stay (less the new primary)
  -h, --help            this help

job run is what the installed job runs every 10 minutes: apply --if-better --yes, record the decision,
print NO_REPLY unless the decision changed. With alerts on in the plugin settings (alerts.enabled), it also
says once when the first account runs dry within alerts.leadMinutes, the pool falls short of the next reset
or an account needs a new login. alerts run does only that, for when rotation is off; alerts install adds
it as a job of its own, announced to alerts.channel / alerts.to.

Exit codes: 0 done, 1 failure, 2 bad flags or input, 3 no Codex profiles or store unreadable,
4 needs --yes or refused, 5 apply failed, 6 verify mismatch.`;

const DURATION = /^[1-9][0-9]{0,3}[mh]$/;

const COMMON_FLAGS: readonly string[] = ["agent", "format", "help"];
const RANKING = ["if-better", "margin", "policy"];
/** The flags each action uses besides the common ones: any other is refused, never silently ignored. */
const OWN_FLAGS: Readonly<Record<RotateAction, readonly string[]>> = {
  plan: RANKING,
  apply: [...RANKING, "yes"],
  "job-run": ["margin", "policy"],
  "job-install": ["yes", "every", "quiet", "margin", "policy"],
  "job-remove": ["yes"],
  "job-status": [],
  "alerts-run": [],
  "alerts-install": ["yes", "every", "quiet"],
  "alerts-remove": ["yes"],
  "alerts-status": [],
  models: ["primary", "fallbacks", "yes"],
};

/** Parses and checks the flags; throws InputError bad_flags (exit 2) on anything off. */
export function parseRotateArgs(argv: string[]): RotateArgs {
  const { values, positionals } = parseFlags(
    argv,
    {
      agent: { type: "string" },
      format: { type: "string" },
      yes: { type: "boolean" },
      "if-better": { type: "boolean" },
      margin: { type: "string" },
      policy: { type: "string" },
      every: { type: "string" },
      quiet: { type: "boolean" },
      primary: { type: "string" },
      fallbacks: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    "bad_flags",
    true,
  );
  const help = values.help === true;
  const [first, second, ...rest] = positionals;
  let action: RotateAction | null = null;
  if (first === undefined) action = "plan";
  else if (first === "plan" || first === "apply") action = second === undefined ? first : null;
  else if (first === "models") action = second === undefined ? "models" : null;
  else if ((first === "job" || first === "alerts") && second !== undefined && JOB_VERBS.includes(second))
    action = `${first}-${second as JobVerb}`;
  if (!help && (action === null || rest.length > 0)) {
    throw new InputError(
      "bad_flags",
      "expected plan, apply, models, job or alerts run|install|remove|status, got " +
        quoteInput(positionals.join(" "), "argument"),
    );
  }
  if (action !== null && !help) {
    const given = Object.keys(values).filter((k) => values[k as keyof typeof values] !== undefined);
    const note = action === "plan" && given.includes("yes") ? " (to set the order, codex_rotate apply --yes)" : "";
    const flags = { own: OWN_FLAGS[action], common: COMMON_FLAGS, given };
    refuseUnusedFlags(action.replace("-", " "), flags, "bad_flags", note);
  }
  if (action === "models" && !values.primary)
    throw new InputError("bad_flags", "models needs --primary <provider/model>");
  const agent = values.agent;
  if (agent !== undefined && !AGENT_ID.test(agent)) {
    throw new InputError(
      "bad_flags",
      `--agent takes letters, digits, "_" and "-" (at most 64), got ${quoteInput(agent, "agent")}`,
    );
  }
  const every = values.every ?? "10m";
  // Polling etiquette (references/multi-account-rotation.md): no schedule faster than every 5 minutes.
  if (!DURATION.test(every) || (every.endsWith("m") && Number.parseInt(every, 10) < 5))
    throw new InputError(
      "bad_flags",
      `--every takes minutes (5m at least) or hours like 10m or 1h, got ${quoteInput(every, "--every value")}`,
    );
  return {
    action: action ?? "plan",
    agent,
    format: choiceFlag("format", values.format, ["json", "text"], "text", "bad_flags"),
    yes: values.yes === true,
    ifBetter: values["if-better"] === true,
    marginPoints: intFlag("margin", values.margin, { min: 1, max: 100, fallback: 15 }, "bad_flags"),
    policy: choiceFlag("policy", values.policy, RANK_POLICIES, DEFAULT_RANK_POLICY, "bad_flags"),
    every,
    announce: values.quiet !== true,
    primary: values.primary ?? null,
    fallbacks:
      values.fallbacks === undefined
        ? null
        : values.fallbacks
            .split(",")
            .map((x) => x.trim())
            .filter((x) => x.length > 0),
    help,
  };
}
