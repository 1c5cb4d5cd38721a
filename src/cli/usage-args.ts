import { parseArgs } from "node:util";
import { AGENT_ID } from "../gateway/validate.ts";

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
  debug: boolean;
  help: boolean;
}

export class UsageArgsError extends Error {
  readonly code = "bad_flags";
  override name = "UsageArgsError";
}

export const USAGE_HELP = `Usage: codex_usage [options]

Shows every Codex profile's remaining 5-hour and weekly limits, read-only.

Options:
  --profile all|default|<id>|<name>|<n>   which profiles (default: all)
  --agent <id>                            OpenClaw agent (default: main)
  --auth-path <file>                      read one explicit legacy auth-profiles.json
  --format json|text                      output (default: json); text = one line per profile
  --timeout-sec N                         per request timeout, 1-120 (default: 25)
  --retries N                             retries on network errors, 5xx and 429, 0-5 (default: 1)
  --concurrency N                         profiles fetched at once, 1-16 (default: 4)
  --no-cache                              bypass the 60 s usage cache
  --forecast                              add a time-to-exhaustion line per profile (text format)
  --debug                                 timings to stderr (never secrets)
  -h, --help                              this help

Exit codes: 0 report produced, 2 bad flags or input, 3 no Codex profiles or store unreadable.`;

function intFlag(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new UsageArgsError(`--${name} takes a whole number from ${min} to ${max}, got "${raw}"`);
  const n = Number(raw);
  if (n < min || n > max) throw new UsageArgsError(`--${name} takes a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

/** Parses and checks the flags; throws UsageArgsError (exit 2) on anything off. */
export function parseUsageArgs(argv: string[]): UsageArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        profile: { type: "string" },
        agent: { type: "string" },
        "auth-path": { type: "string" },
        format: { type: "string" },
        "timeout-sec": { type: "string" },
        retries: { type: "string" },
        concurrency: { type: "string" },
        "no-cache": { type: "boolean" },
        forecast: { type: "boolean" },
        debug: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    throw new UsageArgsError((err as Error).message);
  }
  const v = parsed.values;
  const format = v.format ?? "json";
  if (format !== "json" && format !== "text") throw new UsageArgsError(`--format is json or text, got "${format}"`);
  const profile = (v.profile ?? "all").trim();
  if (profile === "" || profile.length > 200 || /[\u0000-\u001f\u007f]/.test(profile)) {
    throw new UsageArgsError("--profile takes all, default, a profile id, a profile name or a list number");
  }
  if (v.agent !== undefined && !AGENT_ID.test(v.agent)) {
    throw new UsageArgsError(`--agent takes an agent id (letters, digits, _ -, at most 64), got "${v.agent.slice(0, 40)}"`);
  }
  return {
    profile,
    agent: v.agent,
    authPath: v["auth-path"],
    format,
    timeoutSec: intFlag("timeout-sec", v["timeout-sec"], 25, 1, 120),
    retries: intFlag("retries", v.retries, 1, 0, 5),
    concurrency: intFlag("concurrency", v.concurrency, 4, 1, 16),
    cache: !v["no-cache"],
    forecast: v.forecast ?? false,
    debug: v.debug ?? false,
    help: v.help ?? false,
  };
}
