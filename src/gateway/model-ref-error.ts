import { ExitCode } from "../cli/runtime.ts";

export type ModelRefErrorCode = "invalid_model_ref" | "missing_primary" | "duplicate_model";

/** A model priority that cannot be applied as given (exit 2, nothing changed). */
export class ModelRefError extends Error {
  readonly code: ModelRefErrorCode;
  readonly exitCode = ExitCode.badInput;
  override name = "ModelRefError";

  constructor(code: ModelRefErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
