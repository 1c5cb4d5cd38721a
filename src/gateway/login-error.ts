/** Why a login session failed. The message never holds the redirect URL, a code or a token. */
export type LoginErrorCode =
  | "login_unsupported"
  | "login_needs_tty"
  | "invalid_redirect_url"
  | "login_not_waiting"
  | "login_failed"
  | "login_timeout"
  | "login_cancelled"
  | "login_unverified";

export class LoginError extends Error {
  readonly code: LoginErrorCode;

  constructor(code: LoginErrorCode, message: string) {
    super(message);
    this.name = "LoginError";
    this.code = code;
  }
}
