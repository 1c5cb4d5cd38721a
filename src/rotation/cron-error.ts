export type CronErrorCode = "openclaw_not_found" | "gateway_unreachable" | "cron_failed" | "unexpected_output" | "verify_mismatch";

/** A failure of `openclaw cron …` while installing, finding or removing the auto-switch job. */
export class CronError extends Error {
  readonly code: CronErrorCode;
  override name = "CronError";

  constructor(code: CronErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
