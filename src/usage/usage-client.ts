import { setTimeout as sleep } from "node:timers/promises";
import ky, { isNetworkError, isTimeoutError } from "ky";
import pRetry from "p-retry";
import { UsageFetchError } from "../errors/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { Secret } from "../secrets/redact.ts";
import { assertAllowedEndpoint } from "./endpoint.ts";
import { makeUsageError } from "./error-hints.ts";
import { classifyHttpFailure } from "./http-response.ts";
import { normalizeUsage } from "./normalize.ts";
import type { UsageError, UsageOutcome } from "./types.ts";
import { parseUsageBody } from "./usage-response.ts";
import { USER_AGENT } from "./user-agent.ts";

export interface UsageCredential {
  access: Secret;
  accountId: string | null;
}

export interface FetchUsageOptions {
  /** From resolveUsageEndpoint; checked again here. */
  endpoint: URL;
  /** Per attempt, from sending the request to the last byte of the body. */
  timeoutMs: number;
  /** Extra attempts after network errors, 5xx and 429. */
  retries: number;
  /** The whole call's budget, retry waits included; default timeoutMs × (retries + 1). */
  budgetMs?: number;
  /** First backoff delay (doubling, randomized); default 250 ms. Retry-After replaces it when longer. */
  minRetryDelayMs?: number;
  now?: () => number;
  logger?: Logger;
  /** The run's request slots: each attempt holds one while it is in flight, a retry wait holds none. */
  slots?: <T>(attempt: () => Promise<T>) => Promise<T>;
}

const MAX_BODY_BYTES = 1024 * 1024;
/** Visible ASCII only: what a token or an account id can be, and always a valid header value. */
const HEADER_VALUE = /^[\x21-\x7e]{1,8192}$/;

/**
 * GET wham/usage for one credential. Never throws for anything the endpoint or the network does:
 * every such outcome is a UsageError with a stable code. Redirects are never followed.
 */
export async function fetchUsage(credential: UsageCredential, options: FetchUsageOptions): Promise<UsageOutcome> {
  assertAllowedEndpoint(options.endpoint);
  if (!Number.isInteger(options.retries) || options.retries < 0)
    throw new RangeError("retries must be a non-negative integer");
  if (!(options.timeoutMs > 0)) throw new RangeError("timeoutMs must be positive");
  const now = options.now ?? Date.now;
  const log = options.logger;
  const budgetMs = options.budgetMs ?? options.timeoutMs * (options.retries + 1);
  const inSlot = options.slots ?? ((send) => send());
  // The budget starts with the first attempt, not while this profile waits for a slot.
  let deadline = Number.POSITIVE_INFINITY;
  let pendingWaitMs = 0;
  let lastError: UsageFetchError | undefined;

  const attempt = async (attemptNumber: number) => {
    if (pendingWaitMs > 0) await sleep(pendingWaitMs);
    pendingWaitMs = 0;
    return inSlot(() => attemptInSlot(attemptNumber));
  };
  const attemptInSlot = async (attemptNumber: number) => {
    const started = performance.now();
    if (attemptNumber === 1) deadline = started + budgetMs;
    // A retry whose slot came after the budget is not sent: the answer it retried is the outcome, not a timeout.
    else if (lastError && started >= deadline) throw lastError;
    const timeoutMs = Math.min(options.timeoutMs, deadline - started);
    try {
      const { reading, dropped, clockOffsetMs } = await attemptOnce(credential, options, timeoutMs, now);
      // Part names only ("credits", "rate_limit.secondary_window"), never values.
      log?.debug(
        { attempt: attemptNumber, ok: true, ms: Math.round(performance.now() - started), dropped },
        "usage attempt",
      );
      return { reading, clockOffsetMs };
    } catch (error) {
      // A retry cut short by the budget (it came after a long Retry-After) that times out: the answer it retried
      // (a 429, a 5xx) is the outcome, not a timeout the user would meet by raising --timeout-sec.
      if (error instanceof UsageFetchError && error.code === "timeout" && lastError && timeoutMs < options.timeoutMs)
        throw lastError;
      if (error instanceof UsageFetchError) {
        lastError = error;
        // Not `code`: the logger censors that field everywhere (an OAuth code).
        log?.debug(
          {
            attempt: attemptNumber,
            error: error.code,
            status: error.status,
            ms: Math.round(performance.now() - started),
          },
          "usage attempt failed",
        );
      }
      throw error;
    }
  };

  // The one retry layer (ky's own retry stays off: it would wait out the whole budget on a Retry-After that
  // does not fit and then report a timeout, where a 429 should be reported at once).
  try {
    const answer = await pRetry(attempt, {
      retries: options.retries,
      minTimeout: options.minRetryDelayMs ?? 250,
      factor: 2,
      randomize: true,
      shouldRetry: ({ error, retryDelay }) => {
        if (!(error instanceof UsageFetchError) || !error.retryable) return false;
        const wait = Math.max(retryDelay, error.retryAfterMs ?? 0);
        // A wait (Retry-After included) that does not fit in what is left of the budget is not taken.
        if (wait >= deadline - performance.now()) return false;
        pendingWaitMs = wait - retryDelay;
        return true;
      },
    });
    return { ok: true, ...answer };
  } catch (error) {
    if (error instanceof UsageFetchError) return { ok: false, error: usageErrorOf(error) };
    throw error;
  }
}

function usageErrorOf(error: UsageFetchError): UsageError {
  return makeUsageError(error.code, {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.detail !== undefined ? { detail: error.detail } : {}),
  });
}

async function attemptOnce(
  credential: UsageCredential,
  options: FetchUsageOptions,
  timeoutMs: number,
  now: () => number,
) {
  if (timeoutMs <= 0) throw new UsageFetchError("timeout");
  const access = credential.access.reveal();
  // A value fetch would refuse as a header (CR/LF, non-Latin-1) is this profile's problem, found before sending.
  if (!HEADER_VALUE.test(access) || (credential.accountId !== null && !HEADER_VALUE.test(credential.accountId)))
    throw new UsageFetchError("invalid_credentials");
  const attemptDeadline = performance.now() + timeoutMs;
  const headers: Record<string, string> = {
    Authorization: `Bearer ${access}`,
    Accept: "application/json",
    "User-Agent": USER_AGENT,
  };
  if (credential.accountId) headers["ChatGPT-Account-Id"] = credential.accountId;

  let response: Response;
  try {
    response = await ky(options.endpoint, {
      method: "get",
      headers,
      redirect: "manual",
      throwHttpErrors: false,
      retry: 0,
      timeout: timeoutMs,
      cache: "no-store",
    });
  } catch (error) {
    throw transportFailure(error);
  }

  const body = await readBody(response, attemptDeadline - performance.now());
  const answeredAt = now();
  const status = response.status;
  if (status >= 200 && status < 300) {
    const parsed = parseUsageBody(body);
    if (!parsed.ok) throw new UsageFetchError("invalid_response", { status });
    const normalized = normalizeUsage(parsed.value, answeredAt);
    if (!normalized.ok) throw new UsageFetchError("invalid_response", { status });
    return normalized;
  }
  // Fetch reports a manual redirect as status 0 in some runtimes ("opaqueredirect").
  const effectiveStatus = response.type === "opaqueredirect" ? 302 : status;
  // A Retry-After date is on the server's clock: it is counted from the answer's own Date where one was sent.
  const serverDate = Date.parse(response.headers.get("date") ?? "");
  const failure = classifyHttpFailure(
    effectiveStatus,
    response.headers.get("content-type"),
    body,
    response.headers.get("retry-after"),
    Number.isNaN(serverDate) ? answeredAt : serverDate,
  );
  const { code, status: failedStatus, detail } = failure.error;
  throw new UsageFetchError(code, {
    ...(failedStatus !== undefined ? { status: failedStatus } : {}),
    ...(detail !== undefined ? { detail } : {}),
    retryable: failure.retryable,
    ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}),
  });
}

function transportFailure(error: unknown): unknown {
  if (
    isTimeoutError(error) ||
    (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError"))
  ) {
    return new UsageFetchError("timeout");
  }
  if (isNetworkError(error) || (error instanceof TypeError && /fetch failed/i.test(error.message))) {
    return new UsageFetchError("network_error", { retryable: true });
  }
  return error;
}

/** The body as text, within the attempt's time and 1 MiB; a body that stalls is a timeout. */
async function readBody(response: Response, remainingMs: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), Math.max(0, remainingMs));
  });
  try {
    for (;;) {
      const next = await Promise.race([reader.read(), stalled]);
      if (next === "timeout") throw new UsageFetchError("timeout");
      if (next.done) break;
      size += next.value.byteLength;
      if (size > MAX_BODY_BYTES) throw new UsageFetchError("invalid_response", { status: response.status });
      chunks.push(next.value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    if (error instanceof UsageFetchError) throw error;
    // A body whose content-encoding does not decode: the endpoint answered, wrongly.
    if (isDecodingFailure(error)) throw new UsageFetchError("invalid_response", { status: response.status });
    // The connection broke in the middle of the body (reset, "terminated"): the network's, retryable.
    const failure = transportFailure(error);
    throw failure instanceof UsageFetchError ? failure : new UsageFetchError("network_error", { retryable: true });
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** fetch's "terminated" caused by zlib (Z_DATA_ERROR, Z_BUF_ERROR…) or brotli (ERR__ERROR_FORMAT_…) while decoding. */
function isDecodingFailure(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === "string" && /^(Z_|ERR__ERROR_FORMAT|ERR_BROTLI|ERR_ZSTD)/.test(code);
}
