import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Answer, hostileEndpoint, json } from "../support/hostile-endpoint.ts";
import { sampleTeamOk } from "../support/usage-samples.ts";

/*
 * A hostile usage endpoint on loopback (tests/support/hostile-endpoint.ts), through scripts/codex_usage: bodies
 * that are not what they claim, numbers of every odd kind, thousands of limits, and a damaged or tampered cache.
 * Whatever it answers, each profile is one line with a closed code, and every wait is bounded.
 */

const h = hostileEndpoint();
const { answers, seen, tmp, runCli } = h;
beforeAll(h.start);
afterAll(h.close);
beforeEach(h.reset);

describe("bodies that are not what they claim", () => {
  const raw =
    (status: number, headers: Record<string, string>, body: string | Buffer): Answer =>
    (_req, res) => {
      res.writeHead(status, headers);
      res.end(body);
    };

  const codes = (stdout: string): Array<string | undefined> =>
    (JSON.parse(stdout) as { profiles: Array<{ error: { code: string } | null }> }).profiles.map((p) => p.error?.code);

  it("100k levels deep, 50 MB, a gzip bomb, empty without content-type: invalid_response, fast, no crash", async () => {
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

  it("a body dripping 1 byte/s, endless headers, a cut body, an HTML 200: bounded by --timeout-sec", async () => {
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

  it("a reset_at already past when the answer came is no reset: a spent window stays spent", async () => {
    const hourAgo = Math.floor(Date.now() / 1000) - 3600;
    const spent = (after: number | null) => ({
      used_percent: 100,
      limit_window_seconds: 18000,
      reset_after_seconds: after,
      reset_at: hourAgo,
    });
    const limited =
      (after: number | null): Answer =>
      (_req, res) =>
        json(res, 200, {
          plan_type: "plus",
          rate_limit: { allowed: false, limit_reached: true, primary_window: spent(after), secondary_window: null },
        });
    answers.set("user-alice", limited(null));
    answers.set("user-bob", limited(630));
    const lines = (await runCli(["--format", "text"])).stdout.split("\n");
    // It read 🟢 5h **100%** r5 **<1m**: the window counted as reset the moment it was read.
    expect(lines[0]).toBe("🟠 `alice@example.com` — 5h **0%** | r5 **unknown**");
    expect(lines[1]).toMatch(/^🟠 `bob@example\.com` — 5h \*\*0%\*\* \| r5 \*\*1\dm\*\*$/u);
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

describe("the cache file, damaged or tampered with: read as empty or refused, never trusted blindly", () => {
  const cacheFile = () => join(tmp, "cache", "usage-cache.json");
  const prepare = (content: string | (() => void)) => {
    mkdirSync(join(tmp, "cache"), { recursive: true, mode: 0o700 });
    if (typeof content === "string") writeFileSync(cacheFile(), content, { mode: 0o600 });
    else content();
  };

  it.each([
    ["damaged", () => prepare('{"version":2,"entries":{"x":')],
    ["huge", () => prepare(`{"version":2,"entries":{},"pad":"${" ".repeat(9 * 1024 * 1024)}"}`)],
    ["a folder", () => prepare(() => mkdirSync(cacheFile()))],
  ])("%s: every profile fetched, the report whole", async (_what, setup) => {
    setup();
    const res = await runCli(["--format", "text"]);
    expect(res.code).toBe(0);
    expect(res.stdout.trimEnd().split("\n")).toHaveLength(4);
    expect(seen).toHaveLength(4);
  });

  it("a symlink to another file: that file is left as it was, the link replaced by our own file", async () => {
    const victim = join(tmp, "victim.txt");
    writeFileSync(victim, "not yours\n");
    prepare(() => symlinkSync(victim, cacheFile()));
    await runCli(["--format", "text"]);
    expect(readFileSync(victim, "utf8")).toBe("not yours\n");
    expect(lstatSync(cacheFile()).isSymbolicLink()).toBe(false);
    expect(lstatSync(cacheFile()).mode & 0o777).toBe(0o600);
  });

  it("a reading from the future is not served; another profile's entry serves no one else", async () => {
    await runCli([]);
    const file = JSON.parse(readFileSync(cacheFile(), "utf8"));
    const [aliceKey, bobKey] = Object.keys(file.entries).sort();
    const future = file.entries[aliceKey!];
    future.fetchedAtMs += 3_600_000;
    future.plan = "future";
    const stranger = { ...file.entries[bobKey!], plan: "stranger" };
    file.entries = { [aliceKey!]: future, "openai:mallory@example.com#acc-m#user-m": stranger };
    writeFileSync(cacheFile(), JSON.stringify(file));
    seen.length = 0;
    const report = JSON.parse((await runCli([])).stdout);
    expect(report.profiles.map((p: { source: string }) => p.source)).toEqual(["fresh", "fresh", "fresh", "fresh"]);
    expect(JSON.stringify(report)).not.toMatch(/future|stranger/);
    expect(seen).toHaveLength(4);
  });
});
