import { InputError } from "../errors/index.ts";
import type { AuthOperation } from "../models-auth/index.ts";
import { validateAgentId, validateProfileName } from "../openclaw/ids.ts";
import { quoteInput } from "../secrets/redact.ts";
import { choiceFlag, intFlag, parseFlags, refuseUnusedFlags } from "./flags.ts";

export type AuthCommand =
  | { kind: "operation"; op: AuthOperation }
  | { kind: "login"; profileName: string | null; deviceCode: boolean }
  | { kind: "help" };

export interface AuthArgs {
  command: AuthCommand;
  agent?: string;
  format: "json" | "text";
  yes: boolean;
  force: boolean;
  timeoutSec: number;
  debug: boolean;
}

export const AUTH_HELP = `Usage: codex_auth <operation> [args] [--agent <id>] [--format json|text] [--yes]

Every change goes through \`openclaw models auth …\`:
preflight (read) → plan → apply (--yes) → verify (read again).

Operations:
  status                     auth health per profile, who is first, unusable until when
  order show                 stored and effective order
  order set <id…>            put these profiles in this order
  order clear                drop the stored per-agent order (OpenClaw selects automatically)
  retire <id>                take a profile out of the order, keep its credentials
  restore <id>               put a retired profile back (at the end)
  delete <id> --hard         remove a profile's saved credentials for good (openclaw models auth logout)
  login [--profile <name>] [--device-code]
                             add or re-login an account through openclaw models auth login
  doctor                     find mixed or stale state and the openclaw command that fixes it

Ids: "openai:<name>", "openai-codex:<name>" or just "<name>"; the prefix is mapped to the installed OpenClaw,
except for delete, which takes "<name>" or the id exactly as the installed OpenClaw saves it.

Options:
  --agent <id>               OpenClaw agent (required for changes when several agents are configured)
  --format json|text         output (default: json)
  --yes                      apply; without it a change stops after the plan ("would run: …"); login takes
                             none: it starts at once and changes nothing until it is completed in the browser
  --force                    allow a plan that leaves no usable profile
  --timeout-sec N            per openclaw call, 1-600 (default: 60)
  --debug                    openclaw call timings to stderr
  -h, --help                 this help

A flag the operation does not use (status --yes, retire --hard) is refused (unknown_option).

Exit codes: 0 ok, 2 bad input, 4 refused at preflight, 5 apply failed, 6 verify mismatch, 1 other failure.`;

/** Parses and checks the command line; throws InputError (exit 2) on anything off. Spawns nothing. */
export function parseAuthCliArgs(argv: string[]): AuthArgs {
  const parsed = parseFlags(
    argv,
    {
      agent: { type: "string" },
      format: { type: "string" },
      yes: { type: "boolean", short: "y" },
      force: { type: "boolean" },
      hard: { type: "boolean" },
      profile: { type: "string" },
      "device-code": { type: "boolean" },
      "timeout-sec": { type: "string" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "unknown_option",
    true,
  );
  const v = parsed.values;
  const format = choiceFlag("format", v.format, ["json", "text"], "json", "unknown_option");
  const timeoutSec = intFlag("timeout-sec", v["timeout-sec"], { min: 1, max: 600, fallback: 60 }, "unknown_option");
  const agent = v.agent === undefined ? undefined : validateAgentId(v.agent);
  const command = v.help ? ({ kind: "help" } as const) : toCommand(parsed.positionals, v);
  if (command.kind !== "help") {
    const what = command.kind === "login" ? "login" : command.op.kind;
    const flags = { own: OWN_FLAGS[what], common: COMMON_FLAGS, given: Object.keys(v) };
    refuseUnusedFlags(what.replace("-", " "), flags, "unknown_option");
  }
  return {
    command,
    ...(agent ? { agent } : {}),
    format,
    yes: v.yes ?? false,
    force: v.force ?? false,
    timeoutSec,
    debug: v.debug ?? false,
  };
}

/** The flags every operation reads; the rest only where they do something (the others are refused). */
const COMMON_FLAGS = ["agent", "format", "timeout-sec", "debug", "help"];
const OWN_FLAGS: Record<AuthOperation["kind"] | "login", string[]> = {
  status: [],
  doctor: [],
  "order-show": [],
  "order-set": ["yes", "force"],
  "order-clear": ["yes"],
  "put-first": ["yes", "force"],
  retire: ["yes", "force"],
  restore: ["yes"],
  delete: ["yes", "force", "hard"],
  login: ["profile", "device-code"],
};

function toCommand(pos: string[], v: { hard?: boolean; profile?: string; "device-code"?: boolean }): AuthCommand {
  const [verb, ...rest] = pos;
  const one = (what: string): string => {
    if (rest.length !== 1) throw new InputError("missing_argument", `${what} takes exactly one profile id`);
    return rest[0] as string;
  };
  const none = (what: string): void => {
    if (rest.length > 0) throw new InputError("unknown_option", `${what} takes no arguments`);
  };
  switch (verb) {
    case undefined:
      return { kind: "help" };
    case "status":
      none("status");
      return { kind: "operation", op: { kind: "status" } };
    case "doctor":
      none("doctor");
      return { kind: "operation", op: { kind: "doctor" } };
    case "order": {
      const [sub, ...ids] = rest;
      if (sub === "show" || sub === "get") {
        if (ids.length) throw new InputError("unknown_option", "order show takes no arguments");
        return { kind: "operation", op: { kind: "order-show" } };
      }
      if (sub === "set") return { kind: "operation", op: { kind: "order-set", ids } };
      if (sub === "clear") {
        if (ids.length) throw new InputError("unknown_option", "order clear takes no arguments");
        return { kind: "operation", op: { kind: "order-clear" } };
      }
      throw new InputError("unknown_operation", "order takes show, set <ids…> or clear");
    }
    case "retire":
      return { kind: "operation", op: { kind: "retire", id: one("retire") } };
    case "restore":
      return { kind: "operation", op: { kind: "restore", id: one("restore") } };
    case "delete":
      return { kind: "operation", op: { kind: "delete", id: one("delete"), hard: v.hard ?? false } };
    case "login":
      none("login");
      return {
        kind: "login",
        profileName: v.profile === undefined ? null : validateProfileName(v.profile),
        deviceCode: v["device-code"] ?? false,
      };
    default:
      throw new InputError("unknown_operation", `Unknown operation ${quoteInput(verb, "operation")}; see --help`);
  }
}
