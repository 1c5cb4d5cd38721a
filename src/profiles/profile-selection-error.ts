import type { ProfileSelectionErrorCode } from "./types.ts";

/** A `--profile` / `/codex_usage <choice>` that names nothing (unknown_profile) or is malformed (bad_selection). */
export class ProfileSelectionError extends Error {
  readonly code: ProfileSelectionErrorCode;

  constructor(code: ProfileSelectionErrorCode, message: string) {
    super(message);
    this.name = "ProfileSelectionError";
    this.code = code;
  }
}
