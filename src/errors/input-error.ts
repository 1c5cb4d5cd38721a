import { CodexProfilerError } from "./base.ts";

/** The caller's input was wrong: a flag, an id, a selection, a setting. Nothing was changed or spawned. */
export const INPUT_ERROR_CODES = [
  "bad_flags",
  "bad_selection",
  "unknown_profile",
  "unknown_agent",
  "agent_required",
  "invalid_profile_id",
  "invalid_profile_name",
  "invalid_agent_id",
  "not_codex_profile",
  /** A delete naming the Codex provider id the installed OpenClaw does not use (openai-codex on 2026.6+). */
  "other_provider_id",
  "unsafe_argument",
  "missing_argument",
  "unknown_operation",
  "unknown_option",
  "hard_required",
  "invalid_model_ref",
  "missing_primary",
  "duplicate_model",
  "usage_url_refused",
] as const;
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

export class InputError extends CodexProfilerError<InputErrorCode> {
  readonly domain = "input";
}
