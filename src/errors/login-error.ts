import { CodexProfilerError } from "./base.ts";

/** Why a login session failed. The message never holds the redirect URL, a code or a token. */
export const LOGIN_ERROR_CODES = [
  "login_unsupported",
  "login_needs_tty",
  "invalid_redirect_url",
  "login_not_waiting",
  "login_failed",
  "login_timeout",
  "login_cancelled",
  "login_input_closed",
  "login_unverified",
] as const;
export type LoginErrorCode = (typeof LOGIN_ERROR_CODES)[number];

export class LoginError extends CodexProfilerError<LoginErrorCode> {
  readonly domain = "login";
}
