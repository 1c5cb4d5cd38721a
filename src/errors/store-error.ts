import { redactText } from "../secrets/redact.ts";
import { CodexProfilerError, type ErrorDetails } from "./base.ts";

/**
 * OpenClaw's auth store or config could not serve: missing, unreadable, invalid, refused by OpenClaw itself
 * (migration required), laid out as only a newer OpenClaw does (`store_layout_newer`: update codex-profiler),
 * or holding no Codex profile. A store, config or --auth-path that is not a regular file
 * (a FIFO, a device, a folder) or is larger than a sane bound is refused before it is read: `not_a_file`,
 * `file_too_large`. The message names the path looked at and what to do; it is redacted, so nothing read from a
 * store can leak through it.
 */
export const STORE_ERROR_CODES = [
  "state_not_found",
  "store_not_found",
  "store_unreadable",
  "store_invalid",
  "not_a_file",
  "file_too_large",
  "config_invalid",
  "migration_required",
  "store_layout_newer",
  "no_codex_profiles",
] as const;
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export class StoreError extends CodexProfilerError<StoreErrorCode> {
  readonly domain = "store";

  constructor(code: StoreErrorCode, message: string, details?: ErrorDetails) {
    super(code, redactText(message), details);
  }
}
