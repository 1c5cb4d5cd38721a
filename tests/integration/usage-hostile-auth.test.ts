import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Answer, hostileEndpoint, json, ok, userOf } from "../support/hostile-endpoint.ts";
import { sampleTeamOk } from "../support/usage-samples.ts";

/*
 * A hostile usage endpoint on loopback (tests/support/hostile-endpoint.ts), through scripts/codex_usage and the
 * plugin's /codex_usage: echoes of the bearer token, 401/403 bodies, redirects, 429 and 5xx with Retry-After.
 * Whatever it answers, each profile is one line, nothing hangs and nothing of the token comes back out.
 */

const h = hostileEndpoint();
const { answers, seen, runCli } = h;
beforeAll(h.start);
afterAll(h.close);
beforeEach(h.reset);
const { runChat } = h;

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

  it("the CLI (text --details, json, --debug) and its cache keep none of it; profiles stay one line each", async () => {
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
    h.expectNoTokenPiece([text.stdout, text.stderr, asJson.stdout, asJson.stderr, h.cacheText()]);
  });

  it("the plugin's /codex_usage keeps none of it either", async () => {
    answers.set("user-alice", echoing);
    answers.set("user-bob", echoing401);
    const reply = await runChat("all details");
    expect(reply).toContain("alice@example.com");
    expect(reply).toContain("auth_not_accepted_by_usage_endpoint");
    h.expectNoTokenPiece([reply, h.cacheText()]);
  });
});

describe("an endpoint that puts a link in a limit's name", () => {
  it("the chat reply and the CLI carry no link from it: the name is dropped, the limit kept", async () => {
    const named =
      (name: string): Answer =>
      (_req, res) => {
        const body = sampleTeamOk(Date.now(), 18, 36) as Record<string, unknown>;
        const window = { used_percent: 40, limit_window_seconds: 18000, reset_after_seconds: 600, reset_at: null };
        body.additional_rate_limits = [
          { limit_name: name, metered_feature: "spark", rate_limit: { allowed: true, primary_window: window } },
        ];
        json(res, 200, body);
      };
    answers.set("user-alice", named("Spark [log in again](https://evil.example.com/x)"));
    answers.set("user-bob", named("Spark, sign in at https://evil.example.com/login"));
    answers.set("user-carol", named("GPT-5.3-Codex-Spark"));
    const reply = await runChat("all details");
    const cli = await runCli(["--format", "text", "--details", "--no-cache"]);
    for (const text of [reply, cli.stdout]) {
      expect(text).not.toMatch(/evil|\]\(|:\/\//);
      expect(text).toContain("GPT-5.3-Codex-Spark 5h **60%**");
    }
    expect(cli.stdout.match(/ 5h \*\*60%\*\*/g)).toHaveLength(3);
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
  it("to another port, a loop, another host, plain http: each one 🔴 line, one request, named in --debug", async () => {
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
      h.expectNoTokenPiece([res.stdout, res.stderr]);
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

  it("every profile under 429: each waits out its own Retry-After, asks once more, and is one 🔴 line", async () => {
    for (const user of ["user-alice", "user-bob", "user-carol", "user-dave"]) answers.set(user, status(429, "2"));
    const started = Date.now();
    const res = await runCli(["--format", "text", "--retries", "1", "--concurrency", "4"]);
    expect(Date.now() - started).toBeLessThan(10_000);
    for (const line of res.stdout.trimEnd().split("\n"))
      expect(line).toMatch(/^🔴 `[a-z]+@example\.com` — rate_limited: /u);
    for (const user of ["user-alice", "user-bob", "user-carol", "user-dave"]) {
      const [first, second, ...more] = requestsOf(user);
      expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(1_900);
      expect(more).toEqual([]);
    }
  });

  it("a profile waiting out its Retry-After holds no slot: the others are asked meanwhile", async () => {
    answers.set("user-alice", status(429, "2", true));
    const res = await runCli(["--format", "text", "--retries", "1", "--concurrency", "1"]);
    expect(res.stdout).toMatch(/^🟢 `alice@example\.com` — 5h \*\*82%\*\*/u);
    expect(seen.map((s) => s.user)).toEqual(["user-alice", "user-bob", "user-carol", "user-dave", "user-alice"]);
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
