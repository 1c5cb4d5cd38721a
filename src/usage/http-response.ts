import { containsSecret } from "../secrets/redact.ts";
import { CLOUDFLARE_CHALLENGE, makeUsageError } from "./error-hints.ts";
import type { UsageError } from "./types.ts";

/*
 * What a non-2xx answer of wham/usage means. Only the endpoint's own short error code is kept
 * (token_expired, deactivated_workspace…); no body, HTML page or header value is ever kept.
 */

export interface HttpFailure {
  error: UsageError;
  retryable: boolean;
  /** From Retry-After, when the answer was a 429 or 5xx that gave one. */
  retryAfterMs?: number;
}

/** The endpoint's codes for an account or workspace that is gone (codex-lb's permanent failures). */
const DEACTIVATED: ReadonlySet<string> = new Set(["account_deactivated", "deactivated_workspace"]);

const SAFE_DETAIL = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/** error.code, detail.code or a string detail from a JSON body; anything not shaped like a short code is ignored. */
export function endpointErrorCode(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const candidates = [field(record.error, "code"), field(record.detail, "code"), record.code, record.detail];
  for (const c of candidates) if (typeof c === "string" && SAFE_DETAIL.test(c) && !containsSecret(c)) return c;
  return undefined;
}

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;

function looksLikeHtml(contentType: string | null, body: string): boolean {
  return /\btext\/html\b/i.test(contentType ?? "") || /^\s*<(!doctype|html|head|body)\b/i.test(body);
}

/** Retry-After as delay seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Otherwise only an HTTP date (it names a weekday or month); Date.parse alone would accept "-3".
  if (!/[A-Za-z]{3}/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export function classifyHttpFailure(
  status: number,
  contentType: string | null,
  body: string,
  retryAfter: string | null,
  nowMs: number,
): HttpFailure {
  if (status >= 300 && status < 400) return { error: makeUsageError("redirect_refused", { status }), retryable: false };
  if (status === 401 || status === 403) {
    const detail = status === 403 && looksLikeHtml(contentType, body) ? CLOUDFLARE_CHALLENGE : endpointErrorCode(body);
    // A deactivated account or workspace is said so whatever the status: a new login would not bring it back.
    const code =
      detail !== undefined && DEACTIVATED.has(detail)
        ? "account_deactivated"
        : status === 401
          ? "auth_not_accepted_by_usage_endpoint"
          : "forbidden_by_usage_endpoint";
    return { error: makeUsageError(code, withDetail(status, detail)), retryable: false };
  }
  // An HTML 404 is a proxy's or edge's page (or a moved path), not the endpoint saying the account is gone.
  if (status === 404 && looksLikeHtml(contentType, body))
    return { error: makeUsageError("invalid_response", { status }), retryable: false };
  if (status === 402 || status === 404) {
    return {
      error: makeUsageError("account_deactivated", withDetail(status, endpointErrorCode(body))),
      retryable: false,
    };
  }
  if (status === 429 || status >= 500) {
    // A 503's Retry-After says how long the service is out (RFC 9110 §10.2.3): a retry before it is a hammer.
    const code = status === 429 ? "rate_limited" : "server_error";
    const failure: HttpFailure = { error: makeUsageError(code, { status }), retryable: true };
    const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
    if (retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
    return failure;
  }
  // Any other status is not an answer this client understands.
  return { error: makeUsageError("invalid_response", { status }), retryable: false };
}

const withDetail = (status: number, detail: string | undefined): { status: number; detail?: string } =>
  detail === undefined ? { status } : { status, detail };
