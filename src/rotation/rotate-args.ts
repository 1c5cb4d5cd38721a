import { parseArgs } from "node:util";
import { AGENT_ID } from "../gateway/validate.ts";

export type RotateAction = "plan" | "apply" | "job-run" | "job-install" | "job-remove" | "job-status" | "models";

export interface RotateArgs {
  action: RotateAction;
  /** --agent; when absent, the command takes the agent OpenClaw would use (see defaultAgentId). */
  agent: string | undefined;
  format: "json" | "text";
  yes: boolean;
  ifBetter: boolean;
  marginPoints: number;
  every: string;
  announce: boolean;
  /** models: the wanted agents.defaults.model primary and fallbacks. */
  primary: string | null;
  fallbacks: string[];
  help: boolean;
}

export class RotateArgsError extends Error {
  readonly code = "bad_flags";
  override name = "RotateArgsError";
}

export const ROTATE_HELP = `Usage: codex_rotate plan|apply [options]
       codex_rotate job run|install|remove|status [options]
       codex_rotate models --primary <provider/model> [--fallbacks a,b] [--yes]

Ranks the Codex profiles by their real remaining limits and proposes (plan) or sets (apply) the
auth order through openclaw models auth order set (preflight, apply, verify).

Options:
  --agent <id>          OpenClaw agent (default: the one OpenClaw uses, usually main)
  --format json|text    output (default: text)
  --yes                 apply / job install / job remove: confirm the change
  --if-better           change only when clearly better (hysteresis), as the job does
  --margin N            headroom points the best must beat the first by, 1-100 (default: 15)
  --every <duration>    job install: schedule, e.g. 10m (default: 10m)
  --quiet               job install: never post the job's line to the last chat
  --primary <ref>       models: agents.defaults.model.primary (openclaw models set)
  --fallbacks <a,b>     models: the fallbacks in order (openclaw models fallbacks clear/add); "" for none
  -h, --help            this help

job run is what the installed job runs every 10 minutes: apply --if-better --yes, record the decision,
print NO_REPLY unless the decision changed.

Exit codes: 0 done, 1 failure, 2 bad flags, 3 no Codex profiles, 4 needs --yes or refused,
5 apply failed, 6 verify mismatch.`;

const DURATION = /^[1-9][0-9]{0,3}[mh]$/;

export function parseRotateArgs(argv: string[]): RotateArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        agent: { type: "string" },
        format: { type: "string" },
        yes: { type: "boolean" },
        "if-better": { type: "boolean" },
        margin: { type: "string" },
        every: { type: "string" },
        quiet: { type: "boolean" },
        primary: { type: "string" },
        fallbacks: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new RotateArgsError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  const help = values.help === true;
  const [first, second, ...rest] = positionals;
  let action: RotateAction | null = null;
  if (first === "plan" || first === "apply") action = second === undefined ? first : null;
  else if (first === "models") action = second === undefined ? "models" : null;
  else if (first === "job" && (second === "run" || second === "install" || second === "remove" || second === "status")) action = `job-${second}`;
  if (!help && (action === null || rest.length > 0)) {
    throw new RotateArgsError(`expected plan, apply, models or job run|install|remove|status, got "${positionals.join(" ")}"`);
  }
  if (action === "models" && !values.primary) throw new RotateArgsError("models needs --primary <provider/model>");
  const agent = values.agent;
  if (agent !== undefined && !AGENT_ID.test(agent)) throw new RotateArgsError(`--agent takes letters, digits, "_" and "-" (at most 64), got "${agent.slice(0, 40)}"`);
  const format = values.format ?? "text";
  if (format !== "json" && format !== "text") throw new RotateArgsError(`--format takes json or text, got "${format}"`);
  const marginRaw = values.margin ?? "15";
  if (!/^\d{1,3}$/.test(marginRaw) || Number(marginRaw) < 1 || Number(marginRaw) > 100) {
    throw new RotateArgsError(`--margin takes a whole number from 1 to 100, got "${marginRaw}"`);
  }
  const every = values.every ?? "10m";
  if (!DURATION.test(every)) throw new RotateArgsError(`--every takes minutes or hours like 10m or 1h, got "${every.slice(0, 20)}"`);
  return {
    action: action ?? "plan",
    agent,
    format,
    yes: values.yes === true,
    ifBetter: values["if-better"] === true,
    marginPoints: Number(marginRaw),
    every,
    announce: values.quiet !== true,
    primary: values.primary ?? null,
    fallbacks: (values.fallbacks ?? "").split(",").map((x) => x.trim()).filter((x) => x.length > 0),
    help,
  };
}
