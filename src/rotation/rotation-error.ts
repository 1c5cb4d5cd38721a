export type RotationErrorCode = "no_codex_profiles" | "mixed_providers" | "usage_failed" | "order_read_failed";

export class RotationError extends Error {
  readonly code: RotationErrorCode;
  override name = "RotationError";

  constructor(code: RotationErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
