import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { webchatContext } from "../support/chat-fakes.ts";
import { legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { sampleTeamOk } from "../support/usage-samples.ts";

/*
 * The usage endpoint turned hostile, seen through the real entry points (scripts/codex_usage as a process, and the
 * plugin's /codex_usage on the real services): a raw node:http server on loopback answers each user as the test
 * says. Whatever it answers, each profile is one line, nothing hangs and nothing of the bearer token comes back out.
 */

type Answer = (req: IncomingMessage, res: ServerResponse, bearer: string) => void;

const store = legacyAuthProfiles({ provider: "openai" });
const secrets = secretsOf(store);
const answers = new Map<string, Answer>();
const seen: Array<{ user: string; atMs: number }> = [];
let server: Server;
let url: string;
let tmp: string;
let stateDir: string;

const userOf = (bearer: string): string => {
  try {
    const claims = JSON.parse(Buffer.from(bearer.split(".")[1] ?? "", "base64url").toString("utf8"));
    return String(claims["https://api.openai.com/auth"]?.chatgpt_user_id);
  } catch {
    return "?";
  }
};

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
const ok: Answer = (_req, res) => json(res, 200, sampleTeamOk(Date.now(), 18, 36));

beforeAll(async () => {
  server = createServer((req, res) => {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const user = userOf(bearer);
    seen.push({ user, atMs: Date.now() });
    (answers.get(user) ?? ok)(req, res, bearer);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend-api/wham/usage`;
  tmp = mkdtempSync(join(tmpdir(), "cxp-usage-hostile-"));
  stateDir = join(tmp, "state");
  mkdirSync(join(stateDir, "agents/main/agent"), { recursive: true });
  writeFileSync(join(stateDir, "agents/main/agent/auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  answers.clear();
  seen.length = 0;
  rmSync(join(tmp, "cache"), { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: join(tmp, "home"),
  OPENCLAW_STATE_DIR: stateDir,
  CODEX_PROFILER_USAGE_URL: url,
  CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"),
});

/** scripts/codex_usage as a process; killed after 60 s, so a run that hangs fails its test instead. */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(PROJECT_ROOT, "scripts/codex_usage"), args, {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The plugin's /codex_usage on the real services (web chat: one final reply). */
async function runChat(args: string): Promise<string> {
  const app = createChatApp({
    services: realServices(parseSettings({}), env()),
    settings: parseSettings({}),
    progress: { send: async () => true },
    logger: { warn: () => {} },
  });
  return JSON.stringify(await app.codexUsage(webchatContext(args)));
}

const cacheText = (): string => {
  const dir = join(tmp, "cache");
  try {
    return readdirSync(dir)
      .map((f) => readFileSync(join(dir, f), "utf8"))
      .join("\n");
  } catch {
    return "";
  }
};

/** No run of `size` characters of any token (nor the whole of one) in the texts. */
function expectNoTokenPiece(texts: string[], size = 12): void {
  const haystack = texts.join("\n");
  expectNoSecrets(haystack, secrets);
  for (const s of secrets.filter((x) => x.startsWith("eyJ"))) {
    for (let i = 0; i + size <= s.length; i++) {
      const piece = s.slice(i, i + size);
      if (piece.includes(".")) continue;
      expect(haystack.includes(piece), `a piece of a token leaked at ${i}`).toBe(false);
    }
  }
}

describe("an endpoint that echoes pieces of the bearer token back", () => {
  // The payload segment, cut to shapes that pass the field patterns (< 40 characters: no "opaque token" run).
  const piece = (bearer: string, from: number, length: number): string => {
    const payload = bearer.split(".")[1] ?? "";
    const start = payload.slice(from).search(/[A-Za-z]/) + from;
    return payload.slice(start, start + length).replace(/[^A-Za-z0-9_.-]/g, "x");
  };
  const echoing: Answer = (_req, res, bearer) => {
    const body = sampleTeamOk(Date.now(), 18, 36) as Record<string, unknown>;
    body.plan_type = piece(bearer, 10, 36);
    body.additional_rate_limits = [
      {
        limit_name: `Model ${piece(bearer, 60, 30)}`,
        metered_feature: piece(bearer, 100, 38),
        rate_limit: {
          allowed: true,
          limit_reached: false,
          primary_window: { used_percent: 5, limit_window_seconds: 18000, reset_after_seconds: 60, reset_at: null },
        },
      },
    ];
    body.rate_limit_reached_type = { type: piece(bearer, 140, 38) };
    json(res, 200, body);
  };
  const echoing401: Answer = (_req, res, bearer) =>
    json(res, 401, { error: { message: `Bad token ${bearer}`, code: piece(bearer, 20, 38) } });

  it("the CLI (text --details, json, --debug) and its cache keep none of it; the profiles stay one line each", async () => {
    answers.set("user-alice", echoing);
    answers.set("user-bob", echoing401);
    const text = await runCli(["--format", "text", "--details", "--debug"]);
    expect(text.code).toBe(0);
    const lines = text.stdout.split("\n").filter((l) => !l.startsWith("  ↳") && l !== "");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^🟢 `alice@example\.com` — 5h \*\*82%\*\*/u);
    expect(lines[1]).toMatch(/^🔴 `bob@example\.com` — auth_not_accepted_by_usage_endpoint: /u);
    const asJson = await runCli(["--no-cache"]);
    const report = JSON.parse(asJson.stdout);
    // The endpoint's plan_type was dropped: the token's own claim (plus) shows instead.
    expect(report.profiles[0].plan).toBe("plus");
    expect(report.profiles[1].error.code).toBe("auth_not_accepted_by_usage_endpoint");
    expectNoTokenPiece([text.stdout, text.stderr, asJson.stdout, asJson.stderr, cacheText()]);
  });

  it("the plugin's /codex_usage keeps none of it either", async () => {
    answers.set("user-alice", echoing);
    answers.set("user-bob", echoing401);
    const reply = await runChat("all details");
    expect(reply).toContain("alice@example.com");
    expect(reply).toContain("auth_not_accepted_by_usage_endpoint");
    expectNoTokenPiece([reply, cacheText()]);
  });
});

describe("401 and 403 bodies of the shapes the endpoint sends", () => {
  const answer =
    (status: number, contentType: string, body: string): Answer =>
    (_req, res) => {
      res.writeHead(status, { "content-type": contentType });
      res.end(body);
    };
  const error = (code: string, message: string) => JSON.stringify({ error: { message, code }, status: 401 });

  it("a deactivated account is account_deactivated, not 'log in again'; the others keep their own hint", async () => {
    answers.set("user-alice", answer(401, "application/json", error("account_deactivated", "deactivated")));
    answers.set(
      "user-bob",
      answer(403, "application/json", JSON.stringify({ detail: { code: "deactivated_workspace" } })),
    );
    answers.set("user-carol", answer(401, "text/plain", error("token_expired", "Provided token is expired.")));
    answers.set("user-dave", answer(403, "text/html; charset=UTF-8", "<!DOCTYPE html><html>Just a moment…</html>"));
    const report = JSON.parse((await runCli([])).stdout);
    const errors = report.profiles.map((p: { error: Record<string, unknown> }) => p.error);
    expect(errors[0]).toMatchObject({ code: "account_deactivated", status: 401, detail: "account_deactivated" });
    expect(errors[1]).toMatchObject({ code: "account_deactivated", status: 403, detail: "deactivated_workspace" });
    expect(errors[2]).toMatchObject({ code: "auth_not_accepted_by_usage_endpoint", detail: "token_expired" });
    expect(errors[2].hint).toBe("The token has expired; log in again with /codex_auth.");
    expect(errors[3]).toMatchObject({ code: "forbidden_by_usage_endpoint", detail: "cloudflare_challenge" });
    for (const e of errors.slice(0, 2)) expect(e.hint).not.toContain("log in again");
    expect(JSON.stringify(report)).not.toMatch(/Just a moment|DOCTYPE/);
  });
});

describe("redirects: never followed, the token never leaves for another host", () => {
  it("elsewhere on loopback, a loop, another host, plain http: each one 🔴 line, one request, named in --debug", async () => {
    const other = createServer((_req, res) => json(res, 200, sampleTeamOk(Date.now())));
    const otherSeen: string[] = [];
    other.on("request", (req: IncomingMessage) => otherSeen.push(req.headers.authorization ?? "none"));
    await new Promise<void>((resolve) => other.listen(0, "127.0.0.1", resolve));
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/backend-api/wham/usage`;
    const redirect =
      (status: number, location: (req: IncomingMessage) => string): Answer =>
      (req, res) => {
        res.writeHead(status, { location: location(req) });
        res.end();
      };
    answers.set(
      "user-alice",
      redirect(302, () => elsewhere),
    );
    answers.set(
      "user-bob",
      redirect(307, (req) => req.url ?? "/"),
    );
    answers.set(
      "user-carol",
      redirect(301, () => "https://evil.example.com/steal?code=ac_abcdefghijkl&state=st_x"),
    );
    answers.set(
      "user-dave",
      redirect(308, () => "http://chatgpt.com/backend-api/wham/usage"),
    );
    try {
      const res = await runCli(["--format", "text", "--debug", "--retries", "3"]);
      expect(res.code).toBe(0);
      const lines = res.stdout.trimEnd().split("\n");
      expect(lines).toHaveLength(4);
      for (const line of lines) expect(line).toMatch(/^🔴 `[a-z]+@example\.com` — redirect_refused: /u);
      expect(otherSeen).toEqual([]);
      expect(seen.map((s) => s.user).sort()).toEqual(["user-alice", "user-bob", "user-carol", "user-dave"]);
      // --debug says why each attempt failed (the field was censored as if it were an OAuth code).
      const failed = res.stderr.split("\n").filter((l) => l.includes("usage attempt failed"));
      expect(failed).toHaveLength(4);
      for (const l of failed) expect(JSON.parse(l)).toMatchObject({ error: "redirect_refused" });
      expect(res.stdout + res.stderr).not.toMatch(/evil\.example|ac_abcdef|st_x/);
      expectNoTokenPiece([res.stdout, res.stderr]);
    } finally {
      other.closeAllConnections();
      await new Promise((resolve) => other.close(resolve));
    }
  });
});

describe("429 and 5xx with Retry-After: honoured when it fits, never a hammer, one line each", () => {
  const status =
    (code: number, retryAfter: string, thenOk = false): Answer =>
    (_req, res) => {
      const n = seen.filter((s) => s.user === userOf((_req.headers.authorization ?? "").slice(7))).length;
      if (thenOk && n > 1) return ok(_req, res, "");
      json(res, code, { error: { message: "busy" } }, { "retry-after": retryAfter });
    };
  const requestsOf = (user: string) => seen.filter((s) => s.user === user);

  it("a 503 that asks for an hour is not retried at once; one that asks for 2 s is retried after 2 s", async () => {
    answers.set("user-alice", status(503, "3600"));
    answers.set("user-bob", status(503, "2", true));
    answers.set("user-carol", status(429, "-5"));
    answers.set("user-dave", status(429, new Date(Date.now() + 3_600_000).toUTCString()));
    const res = await runCli(["--format", "text", "--retries", "3", "--timeout-sec", "5"]);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^🔴 `alice@example\.com` — server_error: /u);
    expect(lines[1]).toMatch(/^🟢 `bob@example\.com` — 5h \*\*82%\*\*/u);
    expect(lines[2]).toMatch(/^🔴 `carol@example\.com` — rate_limited: /u);
    expect(lines[3]).toMatch(/^🔴 `dave@example\.com` — rate_limited: /u);
    expect(requestsOf("user-alice")).toHaveLength(1);
    const [first, second] = requestsOf("user-bob");
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(1_900);
    // A negative Retry-After is no Retry-After: the ordinary backoff, retries as asked.
    expect(requestsOf("user-carol")).toHaveLength(4);
    expect(requestsOf("user-dave")).toHaveLength(1);
  });

  it("garbage, absurd and past Retry-After values are ignored, bounded by the retries asked", async () => {
    answers.set("user-alice", status(429, "soon"));
    answers.set("user-bob", status(429, "99999999999999999999999999"));
    answers.set("user-carol", status(503, "Wed, 21 Oct 2015 07:28:00 GMT"));
    answers.set("user-dave", status(502, "1e3"));
    const started = Date.now();
    const res = await runCli(["--format", "text", "--retries", "2", "--timeout-sec", "5"]);
    expect(Date.now() - started).toBeLessThan(15_000);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines.map((l) => /— ([a-z_]+):/u.exec(l)?.[1])).toEqual([
      "rate_limited",
      "rate_limited",
      "server_error",
      "server_error",
    ]);
    expect(requestsOf("user-alice")).toHaveLength(3);
    expect(requestsOf("user-bob")).toHaveLength(1);
    expect(requestsOf("user-carol")).toHaveLength(3);
    expect(requestsOf("user-dave")).toHaveLength(3);
  });
});

describe("bodies that are not what they claim", () => {
  const raw =
    (status: number, headers: Record<string, string>, body: string | Buffer): Answer =>
    (_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    };

  const codes = (stdout: string): Array<string | undefined> =>
    (JSON.parse(stdout) as { profiles: Array<{ error: { code: string } | null }> }).profiles.map((p) => p.error?.code);

  it("100k levels deep, 50 MB, a gzip bomb, empty without content-type: invalid_response, fast, never a crash", async () => {
    const big = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json" });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 50) {
          sent++;
          if (!res.write(chunk)) return void res.once("drain", pump);
        }
        res.end();
      };
      res.on("close", () => (sent = 50));
      pump();
    };
    answers.set("user-alice", raw(200, { "content-type": "application/json" }, `${"[".repeat(1e5)}${"]".repeat(1e5)}`));
    answers.set("user-bob", big);
    answers.set("user-carol", raw(200, { "content-encoding": "gzip" }, gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20))));
    answers.set("user-dave", raw(200, {}, ""));
    const started = Date.now();
    const res = await runCli(["--retries", "2"]);
    expect(res.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(codes(res.stdout)).toEqual(["invalid_response", "invalid_response", "invalid_response", "invalid_response"]);
    expect(seen).toHaveLength(4);
  });

  it("a body dripping a byte a second, headers that never end, a cut body, an HTML 200: bounded by --timeout-sec", async () => {
    const drip = (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json" });
      const timer = setInterval(() => res.write(" "), 1000);
      res.on("close", () => clearInterval(timer));
    };
    const endlessHead = (req: IncomingMessage) => {
      req.socket.write("HTTP/1.1 200 OK\r\n");
      const timer = setInterval(() => req.socket.write("X"), 1000);
      req.socket.on("close", () => clearInterval(timer));
    };
    const cut = (req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      res.write(JSON.stringify(sampleTeamOk(Date.now())).slice(0, 100));
      setTimeout(() => req.socket.destroy(), 50);
    };
    answers.set("user-alice", drip);
    answers.set("user-bob", endlessHead);
    answers.set("user-carol", cut);
    answers.set(
      "user-dave",
      raw(200, { "content-type": "text/html" }, "<html><body>Service unavailable</body></html>"),
    );
    const started = Date.now();
    const res = await runCli(["--timeout-sec", "2", "--retries", "1"]);
    expect(Date.now() - started).toBeLessThan(12_000);
    expect(codes(res.stdout)).toEqual(["timeout", "timeout", "network_error", "invalid_response"]);
    // A timeout is not retried; a cut connection is, once.
    expect(seen.map((s) => s.user).sort()).toEqual(["user-alice", "user-bob", "user-carol", "user-carol", "user-dave"]);
  });

  it("a JSON answer with a byte-order mark, or with no or a wrong content-type, is read", async () => {
    const body = JSON.stringify(sampleTeamOk(Date.now(), 18, 36));
    answers.set("user-alice", raw(200, { "content-type": "application/json; charset=utf-8" }, `\ufeff${body}`));
    answers.set("user-bob", raw(200, {}, body));
    answers.set("user-carol", raw(200, { "content-type": "image/png" }, body));
    const res = await runCli(["--format", "text"]);
    for (const line of res.stdout.trimEnd().split("\n"))
      expect(line).toMatch(/^🟢 `[a-z]+@example\.com` — 5h \*\*82%\*\*/u);
  });

  it("gzip or br that is not: invalid_response (the endpoint was reached), not retried", async () => {
    answers.set("user-alice", raw(200, { "content-encoding": "gzip" }, "this is not gzip at all"));
    answers.set("user-bob", raw(200, { "content-encoding": "br", "content-type": "application/json" }, "nope"));
    answers.set(
      "user-carol",
      raw(200, { "content-encoding": "gzip" }, gzipSync(JSON.stringify(sampleTeamOk(0))).subarray(0, 40)),
    );
    const res = await runCli(["--format", "text", "--retries", "2"]);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines.slice(0, 3).map((l) => /— ([a-z_]+):/u.exec(l)?.[1])).toEqual([
      "invalid_response",
      "invalid_response",
      "invalid_response",
    ]);
    expect(lines[3]).toMatch(/^🟢 `dave@example\.com`/u);
    expect(seen.filter((s) => s.user !== "user-dave")).toHaveLength(3);
  });
});

describe("numbers of every odd kind", () => {
  const windowOf = (used: unknown, seconds: unknown, after: unknown) => ({
    used_percent: used,
    limit_window_seconds: seconds,
    reset_after_seconds: after,
    reset_at: null,
  });
  const body =
    (primary: unknown, secondary: unknown, extra: Record<string, unknown> = {}): Answer =>
    (_req, res) =>
      json(res, 200, {
        plan_type: "plus",
        rate_limit: { allowed: true, limit_reached: false, primary_window: primary, secondary_window: secondary },
        ...extra,
      });

  it("a rate_limit object with nothing of a rate limit in it is invalid, not 🟢 'no limit reported'", async () => {
    const limitOf =
      (rateLimit: unknown): Answer =>
      (_req, res) =>
        json(res, 200, { plan_type: "plus", rate_limit: rateLimit });
    answers.set("user-alice", limitOf({}));
    answers.set("user-bob", limitOf({ limits: { five_hour: { used: 100 } }, allowed: "yes" }));
    answers.set("user-carol", limitOf({ allowed: true, limit_reached: false, primary_window: null }));
    answers.set("user-dave", limitOf(null));
    const res = await runCli(["--format", "text"]);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^🔴 `alice@example\.com` — invalid_response: /u);
    expect(lines[1]).toMatch(/^🔴 `bob@example\.com` — invalid_response: /u);
    // The known shapes of an account without a window stay what they were.
    expect(lines[2]).toBe("🟢 `carol@example.com` — no limit reported");
    expect(lines[3]).toBe("🟢 `dave@example.com` — no limit reported");
  });

  it("numbers sent as strings are read as numbers: a spent 5-hour window is not dropped into a 🟢 line", async () => {
    answers.set("user-alice", body(windowOf("100", "18000", "600"), windowOf(" 36 ", 604800, "86400")));
    answers.set("user-bob", body(windowOf("100.0", 18000, 600), windowOf(36, 604800, 86400)));
    answers.set("user-carol", body(windowOf("NaN", 18000, 600), windowOf("Infinity", 604800, "-Infinity")));
    const res = await runCli(["--format", "text"]);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^🟠 `alice@example\.com` — 5h \*\*0%\*\* \| week \*\*64%\*\* \| r5 \*\*(9|10)m\*\* \| rw /u,
    );
    expect(lines[1]).toMatch(
      /^🟠 `bob@example\.com` — 5h \*\*0%\*\* \| week \*\*64%\*\* \| r5 \*\*(9|10)m\*\* \| rw /u,
    );
    // Words are not numbers: nothing readable is left of the main limit.
    expect(lines[2]).toMatch(/^🔴 `carol@example\.com` — invalid_response: /u);
  });
});

describe("an answer with thousands of per-model limits", () => {
  const many =
    (count: number, sameFeature: boolean): Answer =>
    (_req, res) => {
      const body = sampleTeamOk(Date.now(), 18, 36) as Record<string, unknown>;
      const window = { used_percent: 40, limit_window_seconds: 18000, reset_after_seconds: 600, reset_at: null };
      body.additional_rate_limits = Array.from({ length: count }, (_, i) => ({
        limit_name: "Spark",
        metered_feature: sameFeature ? "spark" : `spark_${i}`,
        rate_limit: { allowed: true, limit_reached: false, primary_window: window, secondary_window: window },
      }));
      json(res, 200, body);
    };

  it("is read in bounded time and size, keeps the main limits, and is served from the cache next time", async () => {
    answers.set("user-alice", many(2000, true));
    answers.set("user-bob", many(2000, false));
    const started = Date.now();
    const text = await runCli(["--format", "text", "--details"]);
    expect(text.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines.filter((l) => !l.startsWith("  ↳"))).toHaveLength(4);
    expect(lines[0]).toMatch(/^🟢 `alice@example\.com` — 5h \*\*82%\*\* \| week \*\*64%\*\*/u);
    for (const line of lines) expect(line.length).toBeLessThan(2_000);
    const report = JSON.parse((await runCli([])).stdout);
    for (const p of report.profiles) expect(p.limits.length).toBeLessThanOrEqual(64);
    expect(report.profiles.map((p: { source: string }) => p.source)).toEqual(["cache", "cache", "cache", "cache"]);
    expect(seen).toHaveLength(4);
  });
});
