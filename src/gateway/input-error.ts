import { ExitCode } from "../cli/runtime.ts";

/** Why an argument was refused before anything was spawned. Always exit 2, never a state change. */
export type InputErrorCode =
  | "invalid_profile_id"
  | "invalid_profile_name"
  | "invalid_agent_id"
  | "invalid_provider_id"
  | "not_codex_profile"
  | "missing_argument"
  | "unknown_operation"
  | "unknown_option"
  | "hard_required";

export class InputError extends Error {
  readonly code: InputErrorCode;
  readonly exitCode = ExitCode.badInput;

  constructor(code: InputErrorCode, message: string) {
    super(message);
    this.name = "InputError";
    this.code = code;
  }
}
