import { CodexProfilerError } from "./base.ts";

/**
 * Rotation could not plan (mixed provider ids, usage or the current order unreadable), or its alerts could not
 * be set up: their settings are invalid, they are off, the other scheduled job already sends them, the
 * installed OpenClaw's scheduler cannot hold the job, or the agent's id is shaped like a token.
 */
export type RotationErrorCode =
  | "mixed_providers"
  | "usage_failed"
  | "order_read_failed"
  | "invalid_alert_settings"
  | "alerts_off"
  | "job_conflict"
  | "job_unsupported"
  | "agent_id_secret";

export class RotationError extends CodexProfilerError<RotationErrorCode> {
  readonly domain = "rotation";
}
