import { ExitCode } from "../cli/runtime.ts";

/** The closed set of ways a call to the `openclaw` executable can fail. */
export type GatewayErrorCode =
  | "openclaw_not_found"
  | "openclaw_failed"
  | "openclaw_timeout"
  | "unexpected_output"
  | "migration_required"
  | "unknown_profile"
  | "unknown_agent"
  | "agent_required";

/** Fix hints shown with each code; they name only gateway-native commands. */
export const GATEWAY_ERROR_HINTS: Record<GatewayErrorCode, string> = {
  openclaw_not_found: "Install OpenClaw or set OPENCLAW_BIN to the openclaw executable.",
  openclaw_failed: "Run the same openclaw command by hand to see its full output.",
  openclaw_timeout: "openclaw did not answer in time; check that no other process holds its state.",
  unexpected_output: "This OpenClaw version printed something codex-profiler does not understand.",
  migration_required: "Run `openclaw doctor --fix` to import the legacy auth files, then retry.",
  unknown_profile: "Run `openclaw models auth list` to see saved profiles.",
  unknown_agent: "Run `openclaw agents list` to see configured agents.",
  agent_required: "Several agents are configured: pass --agent <id>.",
};

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  /** openclaw's exit code, when it ran. */
  readonly openclawExitCode: number | null;

  constructor(code: GatewayErrorCode, message: string, openclawExitCode: number | null = null) {
    super(message);
    this.name = "GatewayError";
    this.code = code;
    this.openclawExitCode = openclawExitCode;
  }

  get hint(): string {
    return GATEWAY_ERROR_HINTS[this.code];
  }

  /** Failures that are the caller's input (wrong agent, unknown id) are bad input; the rest are apply/read failures. */
  get exitCode(): ExitCode {
    if (this.code === "agent_required" || this.code === "unknown_agent") return ExitCode.badInput;
    if (this.code === "unknown_profile" || this.code === "migration_required") return ExitCode.refused;
    return ExitCode.failure;
  }
}
