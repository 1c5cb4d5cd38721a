import { CodexProfilerError } from "./base.ts";

/** The closed set of reasons a profile's usage could not be read (reported as data on the profile's line). */
export type UsageErrorCode =
  | "auth_not_accepted_by_usage_endpoint"
  | "forbidden_by_usage_endpoint"
  | "account_deactivated"
  | "rate_limited"
  | "server_error"
  | "timeout"
  | "network_error"
  | "invalid_response"
  | "redirect_refused"
  | "missing_access_token"
  | "token_expired_locally"
  | "refresh_failed"
  | "invalid_credentials"
  | "internal_error";

/**
 * One failed attempt at the usage endpoint, thrown only inside the usage client's retry loop; what leaves
 * the client is the data (a UsageError), never this. It holds no body or header, only the code and status.
 */
export class UsageFetchError extends CodexProfilerError<UsageErrorCode> {
  readonly domain = "usage-fetch";
  readonly status: number | undefined;
  readonly detail: string | undefined;
  readonly retryable: boolean;
  /** From Retry-After, when a 429 or 5xx gave one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: UsageErrorCode,
    extra: { status?: number; detail?: string; retryable?: boolean; retryAfterMs?: number } = {},
  ) {
    super(code, code);
    this.status = extra.status;
    this.detail = extra.detail;
    this.retryable = extra.retryable ?? false;
    this.retryAfterMs = extra.retryAfterMs;
  }
}
