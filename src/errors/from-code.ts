import type { CodexProfilerError, ErrorDetails } from "./base.ts";
import { INPUT_ERROR_CODES, InputError } from "./input-error.ts";
import { LOGIN_ERROR_CODES, LoginError } from "./login-error.ts";
import { OPENCLAW_CLI_ERROR_CODES, OpenclawCliError } from "./openclaw-cli-error.ts";
import { STORE_ERROR_CODES, StoreError } from "./store-error.ts";

const has = <C extends string>(codes: readonly C[], code: string): code is C =>
  (codes as readonly string[]).includes(code);

/**
 * The error of the domain that owns `code`, rebuilt from a result's error data (engines such as models-auth
 * report errors as data); null for a code no domain owns (a refusal, internal_error).
 */
export function errorFromCode(code: string, message: string, details: ErrorDetails = {}): CodexProfilerError | null {
  if (has(INPUT_ERROR_CODES, code)) return new InputError(code, message, details);
  if (has(STORE_ERROR_CODES, code)) return new StoreError(code, message, details);
  if (has(OPENCLAW_CLI_ERROR_CODES, code)) return new OpenclawCliError(code, message, details);
  if (has(LOGIN_ERROR_CODES, code)) return new LoginError(code, message, details);
  return null;
}
