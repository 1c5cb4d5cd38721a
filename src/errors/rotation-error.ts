import { CodexProfilerError } from "./base.ts";

/**
 * Rotation could not plan (mixed provider ids, usage or the current order unreadable), or its alerts could not
 * be set up: their settings are invalid, they are off, the other scheduled job already sends them, or the
 * installed OpenClaw's scheduler cannot hold the job.
 */
export type RotationErrorCode =
  | "mixed_providers"
  | "usage_failed"
  | "order_read_failed"
  | "invalid_alert_settings"
  | "alerts_off"
  | "job_conflict"
  | "job_unsupported";

export class RotationError extends CodexProfilerError<RotationErrorCode> {
  readonly domain = "rotation";
}
