import {
  type CodexProfilerError,
  InputError,
  OpenclawCliError,
  type OpenclawCliErrorCode,
  StoreError,
} from "../errors/index.ts";
import { quoteInput } from "../secrets/redact.ts";
import { firstErrorLine } from "./cli-output.ts";

/** What one openclaw run gave back. */
export interface CliRun {
  /** The arguments after the executable. */
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Fix hints shown with each openclaw failure; they name only OpenClaw's own commands. */
const HINTS: Record<
  OpenclawCliErrorCode | "migration_required" | "unknown_profile" | "unknown_agent" | "agent_required",
  string
> = {
  openclaw_not_found: "Install OpenClaw or set OPENCLAW_BIN to the openclaw executable.",
  openclaw_failed: "Run the same openclaw command by hand to see its full output.",
  openclaw_timeout: "openclaw did not answer in time; check that no other process holds its state.",
  unexpected_output: "This OpenClaw version printed something codex-profiler does not understand.",
  gateway_unreachable: "Start the OpenClaw Gateway (`openclaw gateway start`) and try again.",
  cron_failed: "Run the same openclaw cron command by hand to see its full output.",
  verify_mismatch: "Run `openclaw cron list` to see what the scheduler holds.",
  migration_required: "Run `openclaw doctor --fix` to import the legacy auth files, then retry.",
  unknown_profile: "Run `openclaw models auth list` to see saved profiles.",
  unknown_agent: "Run `openclaw agents list` to see configured agents.",
  agent_required: "Several agents are configured: pass --agent <id>.",
};

export function cliError(
  code: OpenclawCliErrorCode,
  message: string,
  openclawExitCode: number | null = null,
): OpenclawCliError {
  return new OpenclawCliError(code, message, { hint: HINTS[code], openclawExitCode });
}

const KNOWN_FAILURES: Array<[RegExp, (line: string) => CodexProfilerError]> = [
  [
    /AUTH_PROFILE_MIGRATION_REQUIRED|requires legacy credential migration/,
    (l) => new StoreError("migration_required", l, { hint: HINTS.migration_required }),
  ],
  [/Multiple agents are configured/, (l) => new InputError("agent_required", l, { hint: HINTS.agent_required })],
  [/Unknown agent id/, (l) => new InputError("unknown_agent", l, { hint: HINTS.unknown_agent })],
  [
    /Auth profile "[^"]*" (?:not found|is for)|[Pp]rofile "[^"]*" (?:is )?not (?:found|in the store)/,
    (l) => new InputError("unknown_profile", l, { hint: HINTS.unknown_profile }),
  ],
];

/** A failed run as an error of the domain its cause belongs to: openclaw's state, the caller's input, or openclaw. */
export function classifyFailure(res: CliRun): CodexProfilerError {
  const all = `${res.stderr}\n${res.stdout}`;
  // OpenClaw quotes the agent or profile id it was given, which may be a pasted token: such a value is described.
  const line = firstErrorLine(res.stderr, res.stdout).replace(/"([^"]*)"/g, (_, value: string) => quoteInput(value));
  for (const [re, make] of KNOWN_FAILURES) if (re.test(all)) return make(line);
  return cliError(
    "openclaw_failed",
    `openclaw ${res.argv.slice(0, 4).join(" ")} exited ${res.exitCode}: ${line}`,
    res.exitCode,
  );
}
