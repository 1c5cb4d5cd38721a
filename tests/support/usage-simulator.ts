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
import { CLOUDFLARE_HTML, SAMPLE_BODIES, sampleTeamOk } from "./usage-samples.ts";
import { SHAPE_BODIES, type ShapeName } from "./usage-shapes.ts";

export {
  answeredAt,
  CLOUDFLARE_HTML,
  sampleMalformedOptionalParts,
  sampleTeamOk,
  sampleWithAdditional,
} from "./usage-samples.ts";

const USAGE_PATH = "/backend-api/wham/usage";

interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

interface SimContext {
  nowMs: number;
  userId: string | null;
  accountId: string | null;
  /** 0-based index of this request among this user's requests. */
  requestIndex: number;
}

type ScenarioName =
  | ShapeName
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
  | "reset_mid_body"
  | "stall_body"
  | "not_json"
  | "wrong_schema"
  | "redirect";

/**
 * "hang" never answers; "reset" drops the connection without an answer (a network error);
 * "stall" sends a 200 head and part of a body, then nothing more; "cut" sends the same, then drops the connection.
 */
type SpecialAnswer = "hang" | "reset" | "stall" | "cut";
type ScenarioFn = (ctx: SimContext) => SimResponse | SpecialAnswer;
export type Scenario =
  | ScenarioName
  | ScenarioFn
  | { kind: "ok"; fiveHourUsed?: number; weeklyUsed?: number; plan?: string }
  | { kind: "rate_limited_429"; retryAfterSec?: number | null }
  /** The first `failures` requests of the user fail (502, or `status`, or "reset"), then `then` (default ok). */
  | { kind: "flaky"; failures?: number; status?: number | "reset"; then?: Scenario }
  | { kind: "redirect"; location?: string };

interface RecordedRequest {
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

const json = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body,
});

function responseFor(scenario: Scenario, ctx: SimContext): SimResponse | SpecialAnswer {
  if (typeof scenario === "function") return scenario(ctx);
  if (typeof scenario === "object") {
    switch (scenario.kind) {
      case "ok":
        return json(200, sampleTeamOk(ctx.nowMs, scenario.fiveHourUsed, scenario.weeklyUsed, scenario.plan));
      case "rate_limited_429": {
        const retryAfter = scenario.retryAfterSec === undefined ? 1 : scenario.retryAfterSec;
        return json(
          429,
          { error: { code: "rate_limited", message: "Too many requests" } },
          retryAfter === null ? {} : { "retry-after": String(retryAfter) },
        );
      }
      case "flaky": {
        if (ctx.requestIndex < (scenario.failures ?? 1)) {
          return scenario.status === "reset"
            ? "reset"
            : json(scenario.status ?? 502, { error: { message: "Bad gateway" } });
        }
        return responseFor(scenario.then ?? "ok", ctx);
      }
      case "redirect":
        return {
          status: 302,
          headers: { location: scenario.location ?? "https://auth.example.invalid/login" },
          body: "",
        };
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
        body: JSON.stringify({
          error: {
            message: "Provided authentication token is expired. Please try signing in again.",
            code: "token_expired",
          },
        }),
      };
    case "token_invalidated":
      return json(401, {
        error: {
          message: "Your authentication token has been invalidated. Please try signing in again.",
          type: "invalid_request_error",
          code: "token_invalidated",
        },
        status: 401,
      });
    case "cloudflare_403":
      return {
        status: 403,
        headers: { "content-type": "text/html; charset=UTF-8", "cf-mitigated": "challenge" },
        body: CLOUDFLARE_HTML,
      };
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
    case "reset_mid_body":
      return "cut";
    case "not_json":
      return {
        status: 200,
        headers: { "content-type": "text/html" },
        body: "<html><body>Service temporarily unavailable</body></html>",
      };
    case "wrong_schema":
      return json(200, { usage: [{ percent: "7%" }], rate_limit: "plenty" });
    case "redirect":
      return responseFor({ kind: "redirect" }, ctx);
    default:
      return json(200, SHAPE_BODIES[scenario](ctx.nowMs));
  }
}

// ---------------------------------------------------------------------------------------------

/** chatgpt_user_id (else user_id) of an unsigned-or-signed JWT's payload; null if it is not one. */
function userIdFromBearer(authorization: string | undefined): string | null {
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

const UNAUTHENTICATED: SimResponse = json(401, {
  error: { message: "Missing or unreadable bearer token.", code: "invalid_token" },
});

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
    if (answer === "stall" || answer === "cut") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"plan_type":"plus","rate_limit":');
      if (answer === "cut") setTimeout(() => req.socket.destroy(), 20);
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
  const body =
    answer.body === undefined ? "" : typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, { "content-length": Buffer.byteLength(body), ...(answer.headers ?? {}) });
  res.end(body);
}
