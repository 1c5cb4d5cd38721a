/**
 * A loopback simulator of GET /backend-api/wham/usage (node:http on 127.0.0.1, port 0), for tests,
 * the demo and the benchmark. Dependency-free: a plain Node 24 script can import it.
 *
 * The caller is identified by decoding (not verifying) the Bearer JWT payload's
 * `https://api.openai.com/auth`.chatgpt_user_id. Each request is recorded without its token.
 * Scenarios are set per user id at runtime; a function scenario can simulate anything else.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export const USAGE_PATH = "/backend-api/wham/usage";

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface SimContext {
  nowMs: number;
  userId: string | null;
  accountId: string | null;
  /** 0-based index of this request among this user's requests. */
  requestIndex: number;
}

export type ScenarioName =
  | "ok"
  | "limited_5h"
  | "weekly_only_exhausted"
  | "with_additional"
  | "malformed_optional_parts"
  | "token_expired"
  | "token_invalidated"
  | "cloudflare_403"
  | "deactivated_402"
  | "not_found_404"
  | "rate_limited_429"
  | "server_error_500"
  | "flaky"
  | "hang"
  | "connection_reset"
  | "stall_body"
  | "not_json"
  | "wrong_schema"
  | "redirect";

/**
 * "hang" never answers; "reset" drops the connection without an answer (a network error);
 * "stall" sends a 200 head and part of a body, then nothing more.
 */
type SpecialAnswer = "hang" | "reset" | "stall";
export type ScenarioFn = (ctx: SimContext) => SimResponse | SpecialAnswer;
export type Scenario =
  | ScenarioName
  | ScenarioFn
  | { kind: "ok"; fiveHourUsed?: number; weeklyUsed?: number; plan?: string }
  | { kind: "rate_limited_429"; retryAfterSec?: number | null }
  /** The first `failures` requests of the user fail (502, or `status`, or "reset"), then `then` (default ok). */
  | { kind: "flaky"; failures?: number; status?: number | "reset"; then?: Scenario }
  | { kind: "redirect"; location?: string };

export interface RecordedRequest {
  method: string;
  path: string;
  userId: string | null;
  accountId: string | null;
  userAgent: string | null;
  hadAuthorization: boolean;
  atMs: number;
}

export interface UsageSimulator {
  /** The full usage URL, e.g. http://127.0.0.1:43121/backend-api/wham/usage. */
  url: string;
  origin: string;
  requests: RecordedRequest[];
  setScenario(userId: string, scenario: Scenario): void;
  setDefault(scenario: Scenario): void;
  setLatency(ms: number): void;
  /** Fixes the simulator's clock (used for reset_at values); null goes back to Date.now. */
  setNow(ms: number | null): void;
  nowMs(): number;
  requestsFor(userId: string): RecordedRequest[];
  clearRequests(): void;
  close(): Promise<void>;
}

export interface UsageSimulatorOptions {
  latencyMs?: number;
  nowMs?: number;
  defaultScenario?: Scenario;
  scenarios?: Record<string, Scenario>;
}

// ---------------------------------------------------------------------------------------------
// Sample bodies (codex-usage-and-oauth.md §1.3), with reset times counted from the simulator's clock.

const sec = (nowMs: number): number => Math.floor(nowMs / 1000);
const window = (nowMs: number, used: number, limit: number, resetAfter: number) => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetAfter,
  reset_at: sec(nowMs) + resetAfter,
});

/** (a) Team plan, normal usage: 5h 7 % used (resets in 1h 20m 51s), weekly 2 % used. */
export function sampleTeamOk(nowMs: number, fiveHourUsed = 7, weeklyUsed = 2, plan = "team"): Record<string, unknown> {
  return {
    user_id: "user-sim",
    account_id: "a3cc6d1b-2a1b-475b-9b94-54191484abb8",
    email: "sim@example.com",
    plan_type: plan,
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, fiveHourUsed, 18000, 4851),
      secondary_window: window(nowMs, weeklyUsed, 604800, 592029),
    },
    code_review_rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, 0, 604800, 604800),
      secondary_window: null,
    },
    additional_rate_limits: null,
    credits: { has_credits: false, unlimited: false, balance: null, approx_local_messages: null, approx_cloud_messages: null },
    promo: null,
  };
}

/** (b) Plus plan with the 5-hour limit hit: 5h 100 % (resets in 3h 58m 54s), weekly 77 %. */
export function sampleLimited5h(nowMs: number): Record<string, unknown> {
  return {
    user_id: "user-sim",
    account_id: "user-sim",
    email: "sim@example.com",
    plan_type: "plus",
    rate_limit: {
      allowed: false,
      limit_reached: true,
      primary_window: window(nowMs, 100, 18000, 14334),
      secondary_window: window(nowMs, 77, 604800, 18596),
    },
    code_review_rate_limit: null,
    additional_rate_limits: null,
    credits: null,
    spend_control: null,
    rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
    promo: null,
    referral_beacon: null,
  };
}

/** (c) Pro plan, weekly-only, exhausted: the weekly window sits in primary_window, secondary is null. */
export function sampleWeeklyOnlyExhausted(nowMs: number): Record<string, unknown> {
  const resetAt = sec(nowMs) + 456647;
  return {
    user_id: "user-sim",
    account_id: "bf7340",
    email: "sim@example.com",
    plan_type: "pro",
    rate_limit: { allowed: false, limit_reached: true, primary_window: window(nowMs, 100, 604800, 456647), secondary_window: null },
    code_review_rate_limit: null,
    additional_rate_limits: null,
    model_usage: { "gpt-6-astra": { available: false, available_at: new Date(resetAt * 1000).toISOString(), credits_would_enable: true } },
    credits: { has_credits: false, unlimited: false, overage_limit_reached: false, balance: "0", approx_local_messages: [0, 0], approx_cloud_messages: [0, 0] },
    spend_control: { reached: false, individual_limit: null },
    rate_limit_reached_type: { type: "rate_limit_reached", details: "default" },
    rate_limit_upsell: {
      banner_type: "pro_rate_limit_reached",
      title: "You're out of Codex messages",
      description: "Your rate limit resets on {time}. Add credits to continue using Codex now.",
      ctas: [{ action: "add_credits", label: "Add Credits" }],
      reset_at: resetAt,
      referral: null,
      request_url: null,
    },
    promo: null,
    rate_limit_reset_credits: { available_count: 0, applicable_available_count: 0 },
  };
}

/** (d) A normal account with an additional (Spark) limit; the main windows come swapped (weekly first). */
export function sampleWithAdditional(nowMs: number): Record<string, unknown> {
  const spark = {
    allowed: true,
    limit_reached: false,
    primary_window: window(nowMs, 40, 18000, 9000),
    secondary_window: window(nowMs, 10, 604800, 300000),
  };
  return {
    ...sampleTeamOk(nowMs, 30, 55, "plus"),
    rate_limit: {
      allowed: true,
      limit_reached: false,
      primary_window: window(nowMs, 55, 604800, 277200),
      secondary_window: window(nowMs, 30, 18000, 7800),
    },
    additional_rate_limits: [{ limit_name: "GPT-5.3-Codex-Spark", metered_feature: "gpt_5_3_codex_spark", rate_limit: spark }],
  };
}

/** Valid main windows (5h 18 %, weekly 64 %), with every optional part malformed. */
export function sampleMalformedOptionalParts(nowMs: number): Record<string, unknown> {
  return {
    ...sampleTeamOk(nowMs, 18, 64, "prolite_future_plan"),
    code_review_rate_limit: "weekly",
    additional_rate_limits: { not: "an array" },
    credits: { has_credits: "yes", balance: 12 },
    rate_limit_reached_type: 42,
    unknown_new_field: { nested: [1, 2, 3] },
  };
}

export const SAMPLE_BODIES = {
  ok: sampleTeamOk,
  limited_5h: sampleLimited5h,
  weekly_only_exhausted: sampleWeeklyOnlyExhausted,
  with_additional: sampleWithAdditional,
  malformed_optional_parts: sampleMalformedOptionalParts,
} as const;

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body,
});

export const CLOUDFLARE_HTML =
  "<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title></head>" +
  "<body><noscript>Enable JavaScript and cookies to continue</noscript><script>window._cf_chl_opt={cvId:'3'}</script></body></html>";

function responseFor(scenario: Scenario, ctx: SimContext): SimResponse | SpecialAnswer {
  if (typeof scenario === "function") return scenario(ctx);
  if (typeof scenario === "object") {
    switch (scenario.kind) {
      case "ok":
        return json(200, sampleTeamOk(ctx.nowMs, scenario.fiveHourUsed, scenario.weeklyUsed, scenario.plan));
      case "rate_limited_429": {
        const retryAfter = scenario.retryAfterSec === undefined ? 1 : scenario.retryAfterSec;
        return json(429, { error: { code: "rate_limited", message: "Too many requests" } }, retryAfter === null ? {} : { "retry-after": String(retryAfter) });
      }
      case "flaky": {
        if (ctx.requestIndex < (scenario.failures ?? 1)) {
          return scenario.status === "reset" ? "reset" : json(scenario.status ?? 502, { error: { message: "Bad gateway" } });
        }
        return responseFor(scenario.then ?? "ok", ctx);
      }
      case "redirect":
        return { status: 302, headers: { location: scenario.location ?? "https://auth.example.invalid/login" }, body: "" };
    }
  }
  switch (scenario) {
    case "ok":
    case "limited_5h":
    case "weekly_only_exhausted":
    case "with_additional":
    case "malformed_optional_parts":
      return json(200, SAMPLE_BODIES[scenario](ctx.nowMs));
    case "token_expired":
      // The real endpoint labels this JSON body text/plain.
      return {
        status: 401,
        headers: { "content-type": "text/plain; charset=utf-8" },
        body: JSON.stringify({ error: { message: "Provided authentication token is expired. Please try signing in again.", code: "token_expired" } }),
      };
    case "token_invalidated":
      return json(401, {
        error: { message: "Your authentication token has been invalidated. Please try signing in again.", type: "invalid_request_error", code: "token_invalidated" },
        status: 401,
      });
    case "cloudflare_403":
      return { status: 403, headers: { "content-type": "text/html; charset=UTF-8", "cf-mitigated": "challenge" }, body: CLOUDFLARE_HTML };
    case "deactivated_402":
      return json(402, { detail: { code: "deactivated_workspace" } });
    case "not_found_404":
      return json(404, { detail: "Not Found" });
    case "rate_limited_429":
      return responseFor({ kind: "rate_limited_429" }, ctx);
    case "server_error_500":
      return json(500, { error: { message: "Internal server error" } });
    case "flaky":
      return responseFor({ kind: "flaky" }, ctx);
    case "hang":
      return "hang";
    case "connection_reset":
      return "reset";
    case "stall_body":
      return "stall";
    case "not_json":
      return { status: 200, headers: { "content-type": "text/html" }, body: "<html><body>Service temporarily unavailable</body></html>" };
    case "wrong_schema":
      return json(200, { usage: [{ percent: "7%" }], rate_limit: "plenty" });
    case "redirect":
      return responseFor({ kind: "redirect" }, ctx);
  }
}

// ---------------------------------------------------------------------------------------------

/** chatgpt_user_id (else user_id) of an unsigned-or-signed JWT's payload; null if it is not one. */
export function userIdFromBearer(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? "");
  const payload = match?.[1]?.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const auth = claims["https://api.openai.com/auth"] as Record<string, unknown> | undefined;
    const id = auth?.chatgpt_user_id ?? auth?.user_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

const UNAUTHENTICATED: SimResponse = json(401, { error: { message: "Missing or unreadable bearer token.", code: "invalid_token" } });

export async function startUsageSimulator(options: UsageSimulatorOptions = {}): Promise<UsageSimulator> {
  const scenarios = new Map<string, Scenario>(Object.entries(options.scenarios ?? {}));
  let defaultScenario: Scenario = options.defaultScenario ?? "ok";
  let latencyMs = options.latencyMs ?? 0;
  let fixedNow: number | null = options.nowMs ?? null;
  const requests: RecordedRequest[] = [];
  const perUser = new Map<string, number>();
  const sockets = new Set<Socket>();
  const nowMs = () => fixedNow ?? Date.now();
  let origin = "";

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const userId = userIdFromBearer(req.headers.authorization);
    const accountHeader = req.headers["chatgpt-account-id"];
    const accountId = typeof accountHeader === "string" ? accountHeader : null;
    requests.push({
      method: req.method ?? "",
      path,
      userId,
      accountId,
      userAgent: req.headers["user-agent"] ?? null,
      hadAuthorization: req.headers.authorization !== undefined,
      atMs: nowMs(),
    });
    if (latencyMs > 0) await new Promise((r) => setTimeout(r, latencyMs));
    if (req.method !== "GET" || path !== USAGE_PATH) return send(res, json(404, { detail: "Not Found" }));
    if (userId === null) return send(res, UNAUTHENTICATED);
    const requestIndex = perUser.get(userId) ?? 0;
    perUser.set(userId, requestIndex + 1);
    const scenario = scenarios.get(userId) ?? defaultScenario;
    const answer = responseFor(scenario, { nowMs: nowMs(), userId, accountId, requestIndex });
    if (answer === "hang") return; // never answers; close() destroys the socket
    if (answer === "reset") {
      req.socket.destroy();
      return;
    }
    if (answer === "stall") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan_type":"plus","rate_limit":');
      return;
    }
    send(res, answer);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}${USAGE_PATH}`,
    origin,
    requests,
    setScenario: (userId, scenario) => {
      scenarios.set(userId, scenario);
      perUser.delete(userId);
    },
    setDefault: (scenario) => {
      defaultScenario = scenario;
    },
    setLatency: (ms) => {
      latencyMs = ms;
    },
    setNow: (ms) => {
      fixedNow = ms;
    },
    nowMs,
    requestsFor: (userId) => requests.filter((r) => r.userId === userId),
    clearRequests: () => {
      requests.length = 0;
      perUser.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, answer: SimResponse): void {
  const body = answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-length": Buffer.byteLength(body), ...(answer.headers ?? {}) });
  res.end(body);
}
