import { CodexProfilerError } from "./base.ts";

/** Rotation could not plan: mixed provider ids, usage or the current order could not be read. */
export type RotationErrorCode = "mixed_providers" | "usage_failed" | "order_read_failed";

export class RotationError extends CodexProfilerError<RotationErrorCode> {
  readonly domain = "rotation";
}
