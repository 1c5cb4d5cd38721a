import { CodexProfilerError, type ErrorDetails } from "./base.ts";

/** A call to the `openclaw` executable (or its scheduler) failed. */
export const OPENCLAW_CLI_ERROR_CODES = [
  "openclaw_not_found",
  "openclaw_failed",
  "openclaw_timeout",
  "unexpected_output",
  "gateway_unreachable",
  "cron_failed",
  "verify_mismatch",
] as const;
export type OpenclawCliErrorCode = (typeof OPENCLAW_CLI_ERROR_CODES)[number];

export class OpenclawCliError extends CodexProfilerError<OpenclawCliErrorCode> {
  readonly domain = "openclaw-cli";
  /** openclaw's exit code, when it ran. */
  readonly openclawExitCode: number | null;

  constructor(
    code: OpenclawCliErrorCode,
    message: string,
    details: ErrorDetails & { openclawExitCode?: number | null } = {},
  ) {
    super(code, message, details);
    this.openclawExitCode = details.openclawExitCode ?? null;
  }
}
