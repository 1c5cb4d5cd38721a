import { InputError } from "../errors/index.ts";
import { AGENT_ID } from "../openclaw/ids.ts";
import { quoteInput } from "../secrets/redact.ts";
import { choiceFlag, intFlag, parseFlags } from "./flags.ts";

export interface UsageArgs {
  profile: string;
  agent?: string;
  authPath?: string;
  format: "json" | "text";
  timeoutSec: number;
  retries: number;
  concurrency: number;
  cache: boolean;
  forecast: boolean;
  details: boolean;
  debug: boolean;
  help: boolean;
}

export const USAGE_HELP = `Usage: codex_usage [options]

Shows every Codex profile's remaining limits (5-hour, weekly, monthly, spend pool…), read-only.

Options:
  --profile all|default|<id>|<name>|<n>   which profiles (default: all)
  --agent <id>                            OpenClaw agent (default: the one OpenClaw uses, usually main)
  --auth-path <file>                      read one explicit legacy auth-profiles.json (no --agent)
  --format json|text                      output (default: json); text = one line per profile
  --timeout-sec N                         per request timeout, 1-120 (default: 25)
  --retries N                             retries on network errors, 5xx and 429, 0-5 (default: 1)
  --concurrency N                         profiles fetched at once, 1-16 (default: 4)
  --no-cache                              bypass the 60 s usage cache
  --details                               add a second line per profile: per-model and code-review limits,
                                          credits, reset credits, why it is blocked (text format)
  --forecast                              add a time-to-exhaustion line per profile (text format)
  --debug                                 timings to stderr (never secrets)
  -h, --help                              this help

Exit codes: 0 report produced, 2 bad flags or input, 3 no Codex profiles or store unreadable.`;

/** Parses and checks the flags; throws InputError bad_flags (exit 2) on anything off. */
export function parseUsageArgs(argv: string[]): UsageArgs {
  const { values: v } = parseFlags(
    argv,
    {
      profile: { type: "string" },
      agent: { type: "string" },
      "auth-path": { type: "string" },
      format: { type: "string" },
      "timeout-sec": { type: "string" },
      retries: { type: "string" },
      concurrency: { type: "string" },
      "no-cache": { type: "boolean" },
      forecast: { type: "boolean" },
      details: { type: "boolean" },
      debug: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    "bad_flags",
  );
  const format = choiceFlag("format", v.format, ["json", "text"], "json", "bad_flags");
  const profile = (v.profile ?? "all").trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
  if (profile === "" || profile.length > 200 || /[\u0000-\u001f\u007f]/.test(profile)) {
    throw new InputError("bad_flags", "--profile takes all, default, a profile id, a profile name or a list number");
  }
  if (v.agent !== undefined && !AGENT_ID.test(v.agent)) {
    throw new InputError(
      "bad_flags",
      `--agent takes an agent id (letters, digits, _ -, at most 64), got ${quoteInput(v.agent, "agent")}`,
    );
  }
  if (v["auth-path"] !== undefined && v["auth-path"].trim() === "")
    throw new InputError("bad_flags", "--auth-path is empty; name an auth-profiles.json file");
  // The file stands alone: no agent's store or order is read, so an agent given would be reported, never used.
  if (v["auth-path"] !== undefined && v.agent !== undefined)
    throw new InputError("bad_flags", "--auth-path reads that one file, whatever the agent: leave out --agent");
  return {
    profile,
    agent: v.agent,
    authPath: v["auth-path"],
    format,
    timeoutSec: intFlag("timeout-sec", v["timeout-sec"], { min: 1, max: 120, fallback: 25 }, "bad_flags"),
    retries: intFlag("retries", v.retries, { min: 0, max: 5, fallback: 1 }, "bad_flags"),
    concurrency: intFlag("concurrency", v.concurrency, { min: 1, max: 16, fallback: 4 }, "bad_flags"),
    cache: !v["no-cache"],
    forecast: v.forecast ?? false,
    details: v.details ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
  };
}
