import {
  InputError,
  isCodexProfilerError,
  LoginError,
  OpenclawCliError,
  type Outcome,
  RotationError,
  StoreError,
} from "../errors/index.ts";

/**
 * codex_usage: 0 report produced (even with 🔴 lines), 2 bad flags/input, 3 no Codex profiles or store unreadable.
 * codex_auth / codex_rotate: 0 ok, 2 bad input, 4 refused at preflight, 5 apply failed, 6 verify mismatch; 1 any
 * other failure (internal, or a read of OpenClaw that failed: `cron list` is openclaw_failed, not cron_failed);
 * codex_rotate also 3 no Codex profiles or store unreadable (its usage read's own errors pass through).
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  badInput: 2,
  noProfiles: 3,
  refused: 4,
  applyFailed: 5,
  verifyMismatch: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_OUTCOME: Record<Outcome, ExitCode> = {
  ok: ExitCode.ok,
  bad_input: ExitCode.badInput,
  refused: ExitCode.refused,
  apply_failed: ExitCode.applyFailed,
  verify_mismatch: ExitCode.verifyMismatch,
  failure: ExitCode.failure,
};

const isOutcome = (value: unknown): value is Outcome => typeof value === "string" && Object.hasOwn(BY_OUTCOME, value);

/** The one mapping of engine outcomes and thrown errors to exit codes, for all three CLIs. */
export function exitCodeFor(cause: Outcome | unknown): ExitCode {
  if (isOutcome(cause)) return BY_OUTCOME[cause];
  if (!isCodexProfilerError(cause)) return ExitCode.failure;
  if (cause instanceof InputError) return ExitCode.badInput;
  if (cause instanceof StoreError) return ExitCode.noProfiles;
  if (cause instanceof LoginError) return ExitCode.refused;
  if (cause instanceof RotationError) {
    if (cause.code === "invalid_alert_settings") return ExitCode.badInput;
    const refusals = ["mixed_providers", "alerts_off", "job_conflict", "job_unsupported", "agent_id_secret"];
    const refusal = refusals.includes(cause.code);
    return refusal ? ExitCode.refused : ExitCode.failure;
  }
  if (cause instanceof OpenclawCliError) {
    if (cause.code === "cron_failed") return ExitCode.applyFailed;
    if (cause.code === "verify_mismatch") return ExitCode.verifyMismatch;
  }
  return ExitCode.failure;
}
