import { redactText } from "../secrets/redact.ts";
import type { ProfileSourceErrorCode } from "./types.ts";

/**
 * Why profiles could not be read. The message names the path that was looked at and what to do;
 * it is redacted before it is stored, so nothing read from a store can leak through it.
 * The CLI exits 3 on these.
 */
export class ProfileSourceError extends Error {
  readonly code: ProfileSourceErrorCode;
  /** The file or folder the failure is about. */
  readonly path: string | null;

  constructor(code: ProfileSourceErrorCode, message: string, path: string | null = null) {
    super(redactText(message));
    this.name = "ProfileSourceError";
    this.code = code;
    this.path = path;
  }
}
