import type { UsageError, UsageErrorCode } from "./types.ts";

/** One short sentence per error code, telling the user what to do. The single place these texts live. */
const HINTS: Record<UsageErrorCode, string> = {
  auth_not_accepted_by_usage_endpoint: "The usage endpoint rejected the token; log in again with /codex_auth.",
  forbidden_by_usage_endpoint:
    "The usage endpoint refused the request (often a passing Cloudflare check); try again in a few minutes.",
  account_deactivated: "The account or workspace looks deactivated; check it on chatgpt.com or remove the profile.",
  rate_limited: "The usage endpoint is rate limiting; try again in a few minutes.",
  server_error: "The usage endpoint had a server error; try again shortly.",
  timeout: "The usage endpoint did not answer in time; try again or raise --timeout-sec.",
  network_error: "Could not reach the usage endpoint; check the network and try again.",
  invalid_response: "The usage endpoint answered in an unexpected shape; try again later.",
  redirect_refused: "The usage endpoint answered with a redirect, which is never followed; try again later.",
  missing_access_token: "The profile has no access token; log in again with /codex_auth.",
  token_expired_locally: "The stored token has expired and there is no refresh token; log in again with /codex_auth.",
  refresh_failed: "OpenClaw's last renewal of this token failed; log in again with /codex_auth.",
  invalid_credentials:
    "The stored token or account id cannot be sent (longer than 8,192 characters, or control or non-ASCII ones); " +
    "log in again with /codex_auth.",
  internal_error: "codex-profiler failed on this profile (a bug); the other profiles are unaffected. Run with --debug.",
};

const HINTS_401_BY_DETAIL: Record<string, string> = {
  token_expired: "The token has expired; log in again with /codex_auth.",
  token_invalidated: "The token was invalidated (signed out elsewhere?); log in again with /codex_auth.",
  token_revoked: "The token was revoked; log in again with /codex_auth.",
};

export function usageErrorHint(code: UsageErrorCode, detail?: string): string {
  if (code === "auth_not_accepted_by_usage_endpoint" && detail !== undefined) {
    return Object.hasOwn(HINTS_401_BY_DETAIL, detail) ? (HINTS_401_BY_DETAIL[detail] as string) : HINTS[code];
  }
  if (code === "forbidden_by_usage_endpoint" && detail === CLOUDFLARE_CHALLENGE) {
    return "A Cloudflare check blocked the request; it passes on its own, try again in a few minutes.";
  }
  if (code === "forbidden_by_usage_endpoint" && detail === "invalid_workspace_selected") {
    return "The endpoint does not take this profile's workspace; log in again with /codex_auth and pick the workspace.";
  }
  return HINTS[code];
}

/** The detail we set for a 403 that answered with an HTML page: its body is never kept or printed. */
export const CLOUDFLARE_CHALLENGE = "cloudflare_challenge";

/** Codes after which only a new login helps. */
export const NEEDS_LOGIN: ReadonlySet<UsageErrorCode> = new Set([
  "auth_not_accepted_by_usage_endpoint",
  "invalid_credentials",
  "missing_access_token",
  "token_expired_locally",
  "refresh_failed",
]);

/** Codes that are likely to pass on their own. */
export const TRANSIENT: ReadonlySet<UsageErrorCode> = new Set([
  "forbidden_by_usage_endpoint",
  "rate_limited",
  "server_error",
  "timeout",
  "network_error",
  "invalid_response",
  "redirect_refused",
]);

export function makeUsageError(code: UsageErrorCode, extra: { status?: number; detail?: string } = {}): UsageError {
  const error: UsageError = { code, hint: usageErrorHint(code, extra.detail) };
  if (extra.status !== undefined) error.status = extra.status;
  if (extra.detail !== undefined) error.detail = extra.detail;
  return error;
}
