import { InputError, isCodexProfilerError, type Outcome, StoreError } from "../errors/index.ts";
import { errorMessage, redactText } from "../secrets/redact.ts";

export interface Failure {
  outcome: Outcome;
  error: { code: string; message: string; hint: string | null };
}

/**
 * An error met while reading or changing OpenClaw's auth state, as a result: the caller's input is bad input,
 * a profile OpenClaw does not know or a state it refuses (migration required) is refused at preflight,
 * everything else a failure. Never a throw, never a secret.
 */
export function failureOf(err: unknown): Failure {
  if (!isCodexProfilerError(err)) {
    return {
      outcome: "failure",
      error: {
        code: "internal_error",
        message: errorMessage(err),
        hint: null,
      },
    };
  }
  const error = { code: err.code, message: redactText(err.message), hint: err.hint };
  if (err instanceof InputError) return { outcome: err.code === "unknown_profile" ? "refused" : "bad_input", error };
  if (err instanceof StoreError && err.code === "migration_required") return { outcome: "refused", error };
  return { outcome: "failure", error };
}
