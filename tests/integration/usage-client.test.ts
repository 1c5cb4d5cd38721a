import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import { createLogger } from "../../src/lib/logger.ts";
import { redactText, Secret } from "../../src/secrets/redact.ts";
import { resolveUsageEndpoint } from "../../src/usage/endpoint.ts";
import type { UsageReading } from "../../src/usage/model.ts";
import type { UsageOutcome } from "../../src/usage/types.ts";
import { type FetchUsageOptions, fetchUsage } from "../../src/usage/usage-client.ts";
import { USER_AGENT } from "../../src/usage/user-agent.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { type Scenario, sampleTeamOk, startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/*
 * fetchUsage against the loopback simulator over real HTTP: every status and failure the client
 * maps, retry counts read from the simulator's request log, and no token in any result or log line.
 */

const alice = FIXTURE_ACCOUNTS[0]!;
const token = fakeAccessToken({
  accountId: alice.accountId,
  userId: alice.userId,
  email: alice.email,
  plan: alice.plan,
  exp: 2_000_000_000,
});
const credential = { access: new Secret(token), accountId: alice.accountId };

let sim: UsageSimulator;
let elsewhere: UsageSimulator;
const logLines: string[] = [];
const logger = createLogger({
  debug: true,
  redact: redactText,
  destination: new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  }),
});
const results: unknown[] = [];

beforeAll(async () => {
  sim = await startUsageSimulator();
  elsewhere = await startUsageSimulator();
});
afterAll(async () => {
  await sim.close();
  await elsewhere.close();
  // Everything the client produced in this file: results and debug logs.
  expect(logLines.length).toBeGreaterThan(0);
  expectNoSecrets([...logLines, JSON.stringify(results)], [token]);
});
beforeEach(() => {
  sim.clearRequests();
  elsewhere.clearRequests();
});

async function run(scenario: Scenario, options: Partial<FetchUsageOptions> = {}): Promise<UsageOutcome> {
  sim.setScenario(alice.userId, scenario);
  const result = await fetchUsage(credential, {
    endpoint: resolveUsageEndpoint({ CODEX_PROFILER_USAGE_URL: sim.url }),
    timeoutMs: 2_000,
    retries: 1,
    minRetryDelayMs: 10,
    logger,
    ...options,
  });
  results.push(result);
  expectNoSecrets(JSON.stringify(result), [token]);
  return result;
}

const errorOf = (r: UsageOutcome) => {
  if (r.ok) throw new Error("expected an error");
  return r.error;
};
const snapshotOf = (r: UsageOutcome) => {
  if (!r.ok) throw new Error(`expected a reading, got ${r.error.code}`);
  return r.reading;
};
const limit = (r: UsageReading, key: string) => r.limits.find((l) => l.key === key) ?? null;

describe("fetchUsage: answers", () => {
  it("sends the bearer token, account id, Accept and User-Agent, and reads the Team sample", async () => {
    const s = snapshotOf(await run("ok"));
    expect(s.plan).toBe("team");
    expect(limit(s, "main:five_hour")).toMatchObject({ usedPercent: 7, leftPercent: 93, windowSeconds: 18000 });
    expect(limit(s, "main:weekly")).toMatchObject({ usedPercent: 2, leftPercent: 98, windowSeconds: 604800 });
    expect(limit(s, "code_review:weekly")).toMatchObject({ usedPercent: 0, scope: "code_review" });
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({
      method: "GET",
      path: "/backend-api/wham/usage",
      userId: alice.userId,
      accountId: alice.accountId,
      userAgent: USER_AGENT,
      hadAuthorization: true,
    });
  });

  it("omits ChatGPT-Account-Id when the account is unknown", async () => {
    sim.setScenario(alice.userId, "ok");
    const r = await fetchUsage(
      { access: credential.access, accountId: null },
      { endpoint: new URL(sim.url), timeoutMs: 2000, retries: 0 },
    );
    expect(r.ok).toBe(true);
    expect(sim.requests[0]?.accountId).toBeNull();
  });

  it("reads a limited 5h account (b)", async () => {
    const s = snapshotOf(await run("limited_5h"));
    expect(s).toMatchObject({ allowed: false, limitReached: true, plan: "plus", reachedType: "rate_limit_reached" });
    expect(limit(s, "main:five_hour")?.leftPercent).toBe(0);
    expect(limit(s, "main:weekly")?.leftPercent).toBe(23);
  });

  it("reads a weekly-only exhausted account (c): no 5h window", async () => {
    const s = snapshotOf(await run("weekly_only_exhausted"));
    expect(s.limits.map((l) => l.key)).toEqual(["main:weekly"]);
    expect(limit(s, "main:weekly")).toMatchObject({ usedPercent: 100, windowSeconds: 604800, reached: true });
  });

  it("classifies swapped main windows by duration and keeps the additional limits apart (d)", async () => {
    const s = snapshotOf(await run("with_additional"));
    expect(limit(s, "main:five_hour")?.usedPercent).toBe(30);
    expect(limit(s, "main:weekly")?.usedPercent).toBe(55);
    expect(limit(s, "model:gpt_5_3_codex_spark:five_hour")).toMatchObject({ scope: "model", usedPercent: 40 });
  });

  it("keeps the main windows when optional parts are malformed", async () => {
    const s = snapshotOf(await run("malformed_optional_parts"));
    expect(s.plan).toBe("prolite_future_plan");
    expect(limit(s, "main:five_hour")?.leftPercent).toBe(82);
    expect(limit(s, "main:weekly")?.leftPercent).toBe(36);
  });

  it("counts reset times from the server's reset_at while the clocks agree within 90 s", async () => {
    const fixed = Date.now() - 60_000;
    sim.setNow(fixed);
    try {
      // reset_at = the server's clock (a minute behind this host's) + 4851 s.
      const r = await run("ok");
      const s = snapshotOf(r);
      expect(limit(s, "main:five_hour")?.resetAtMs).toBe((Math.floor(fixed / 1000) + 4851) * 1000);
      expect(r.ok && r.clockOffsetMs).toBe(0);
    } finally {
      sim.setNow(null);
    }
  });

  it("counts them from reset_after_seconds where this host's clock is an hour off the server's", async () => {
    for (const offMs of [-3_600_000, 3_600_000]) {
      sim.setNow(Date.now() + offMs);
      try {
        // reset_at says 1251 s (or 8451 s) from this host's now; reset_after_seconds says 4851 s, which is true.
        const before = Date.now();
        const r = await run("ok");
        const s = snapshotOf(r);
        // The offset the answer showed: the server's clock ahead of this host's (negative: behind), to the second.
        expect(Math.abs((r.ok ? (r.clockOffsetMs ?? 0) : 0) - offMs)).toBeLessThan(Date.now() - before + 1000);
        const reset = limit(s, "main:five_hour")?.resetAtMs ?? 0;
        expect(reset).toBeGreaterThanOrEqual(before + 4851_000);
        expect(reset).toBeLessThanOrEqual(Date.now() + 4851_000);
        expect(limit(s, "main:weekly")?.resetAtMs).toBe(reset - 4851_000 + 592_029_000);
      } finally {
        sim.setNow(null);
      }
    }
  });
});

describe("fetchUsage: errors, each with its code and attempt count", () => {
  it.each([
    ["token_expired", "auth_not_accepted_by_usage_endpoint", 401, "token_expired"],
    ["token_invalidated", "auth_not_accepted_by_usage_endpoint", 401, "token_invalidated"],
    ["cloudflare_403", "forbidden_by_usage_endpoint", 403, "cloudflare_challenge"],
    ["deactivated_402", "account_deactivated", 402, "deactivated_workspace"],
    ["not_found_404", "account_deactivated", 404, undefined],
    ["not_json", "invalid_response", 200, undefined],
    ["wrong_schema", "invalid_response", 200, undefined],
  ] as const)("%s → %s, never retried", async (scenario, code, status, detail) => {
    const error = errorOf(await run(scenario, { retries: 2 }));
    expect(error).toMatchObject({ code, status });
    expect(error.detail).toBe(detail);
    expect(error.hint.length).toBeGreaterThan(10);
    expect(sim.requests).toHaveLength(1);
  });

  it("a 401 hint points at /codex_auth, and a Cloudflare page is never kept", async () => {
    expect(errorOf(await run("token_expired")).hint).toContain("/codex_auth");
    const forbidden = JSON.stringify(await run("cloudflare_403"));
    expect(forbidden).not.toMatch(/Just a moment|<html|cf_chl/i);
  });

  it("a 302 is refused and not followed, even to a loopback host", async () => {
    const error = errorOf(await run({ kind: "redirect", location: elsewhere.url }, { retries: 2 }));
    expect(error).toMatchObject({ code: "redirect_refused", status: 302 });
    expect(sim.requests).toHaveLength(1);
    expect(elsewhere.requests).toHaveLength(0);
    expect(errorOf(await run("redirect")).code).toBe("redirect_refused");
  });

  it.each([0, 1, 2])("a 500 is retried %i time(s), then server_error", async (retries) => {
    const error = errorOf(await run("server_error_500", { retries }));
    expect(error).toMatchObject({ code: "server_error", status: 500 });
    expect(sim.requests).toHaveLength(retries + 1);
  });

  it("flaky: one 502 then ok succeeds on the retry", async () => {
    const s = snapshotOf(await run({ kind: "flaky", failures: 1 }));
    expect(s.plan).toBe("team");
    expect(sim.requests).toHaveLength(2);
  });

  it("flaky: more failures than retries ends in server_error", async () => {
    expect(errorOf(await run({ kind: "flaky", failures: 3 }, { retries: 1 })).code).toBe("server_error");
    expect(sim.requests).toHaveLength(2);
  });

  it("a dropped connection is a network_error, retried", async () => {
    expect(errorOf(await run("connection_reset", { retries: 1 })).code).toBe("network_error");
    expect(sim.requests).toHaveLength(2);
    const recovered = snapshotOf(await run({ kind: "flaky", failures: 1, status: "reset" }));
    expect(recovered.plan).toBe("team");
  });

  it("a connection reset in the middle of a 200 body is a network_error, retried, never a crash", async () => {
    expect(errorOf(await run("reset_mid_body", { retries: 1 })).code).toBe("network_error");
    expect(sim.requests).toHaveLength(2);
  });

  it("an account id or token that cannot be a header value is invalid_credentials, and nothing is sent", async () => {
    sim.setScenario(alice.userId, "ok");
    for (const bad of [
      { access: credential.access, accountId: "acc\r\nX-Injected: 1" },
      { access: credential.access, accountId: "cuenta-ñandú-账户" },
      { access: new Secret(`${token}\n`), accountId: credential.accountId },
      { access: new Secret(token.padEnd(8193, "A")), accountId: credential.accountId },
    ]) {
      const r = await fetchUsage(bad, {
        endpoint: resolveUsageEndpoint({ CODEX_PROFILER_USAGE_URL: sim.url }),
        timeoutMs: 2000,
        retries: 1,
        logger,
      });
      expect(errorOf(r)).toMatchObject({ code: "invalid_credentials", hint: expect.stringContaining("8,192") });
      expectNoSecrets(JSON.stringify(r), [token]);
    }
    expect(sim.requests).toHaveLength(0);
  });

  it("nothing listening is a network_error", async () => {
    const closed = await startUsageSimulator();
    const url = new URL(closed.url);
    await closed.close();
    const r = await fetchUsage(credential, { endpoint: url, timeoutMs: 2000, retries: 1, minRetryDelayMs: 10, logger });
    results.push(r);
    expect(errorOf(r).code).toBe("network_error");
  });

  it("a 429 waits for Retry-After when it fits in the budget", async () => {
    // biome-ignore lint/suspicious/noThenProperty: the simulator's flaky scenario names what follows `then`
    const s = snapshotOf(await run({ kind: "flaky", failures: 1, status: 429, then: "ok" }));
    expect(s.plan).toBe("team");
    sim.clearRequests();
    const error = errorOf(await run({ kind: "rate_limited_429", retryAfterSec: 1 }, { retries: 1, timeoutMs: 3000 }));
    expect(error).toMatchObject({ code: "rate_limited", status: 429 });
    expect(sim.requests).toHaveLength(2);
    const [first, second] = sim.requests;
    // Behaviour, not speed: the second request came no earlier than Retry-After allowed.
    expect(second!.atMs - first!.atMs).toBeGreaterThanOrEqual(950);
  });

  it("a Retry-After date is counted from the answer's own Date, whatever this host's clock says", async () => {
    for (const offMs of [3_600_000, -3_600_000]) {
      sim.clearRequests();
      // The server's clock an hour ahead (behind): "retry at" is a second after its Date, an hour off this host's.
      const serverNow = Date.now() + offMs;
      const httpDate = (afterSec: number) => new Date(serverNow + afterSec * 1000).toUTCString();
      const scenario: Scenario = ({ requestIndex, nowMs }) => {
        const headers: Record<string, string> = { "content-type": "application/json", date: httpDate(0) };
        if (requestIndex > 0) return { status: 200, headers, body: sampleTeamOk(nowMs) };
        return { status: 429, headers: { ...headers, "retry-after": httpDate(1) }, body: { error: {} } };
      };
      const r = await run(scenario, { retries: 1, timeoutMs: 3000 });
      expect(r.ok, `${offMs}`).toBe(true);
      const [first, second] = sim.requests;
      expect(second!.atMs - first!.atMs, `${offMs}`).toBeGreaterThanOrEqual(950);
    }
  });

  it("after a long Retry-After, a retry the budget cuts short reports the 429, not a timeout", async () => {
    const scenario: Scenario = ({ requestIndex }) =>
      requestIndex > 0
        ? "hang"
        : { status: 429, headers: { "content-type": "application/json", "retry-after": "2" }, body: { error: {} } };
    // Budget 3 s: the retry goes out after 2 s with about 1 s left, less than its 1.5 s timeout.
    const error = errorOf(await run(scenario, { retries: 1, timeoutMs: 1500 }));
    expect(error).toMatchObject({ code: "rate_limited", status: 429 });
    expect(sim.requests).toHaveLength(2);
  });

  it("a 429 whose Retry-After does not fit in the budget is not retried", async () => {
    const error = errorOf(
      await run({ kind: "rate_limited_429", retryAfterSec: 3600 }, { retries: 3, timeoutMs: 2000 }),
    );
    expect(error.code).toBe("rate_limited");
    expect(sim.requests).toHaveLength(1);
  });

  it("a retry whose slot comes after the budget is spent is not sent: the last answer's error stands", async () => {
    let asked = 0;
    const slots = async <T>(send: () => Promise<T>): Promise<T> => {
      // The other profiles hold every slot until this one's budget is over.
      if (++asked > 1) await new Promise((done) => setTimeout(done, 400));
      return send();
    };
    // biome-ignore lint/suspicious/noThenProperty: the simulator's flaky scenario names what follows `then`
    const scenario = { kind: "flaky", failures: 1, status: 502, then: "ok" } as const;
    const error = errorOf(await run(scenario, { retries: 1, budgetMs: 300, slots }));
    expect(error).toMatchObject({ code: "server_error", status: 502 });
    expect(sim.requests).toHaveLength(1);
    expect(asked).toBe(2);
  });

  it("a server that never answers is a timeout, not retried", async () => {
    const error = errorOf(await run("hang", { timeoutMs: 300, retries: 2 }));
    expect(error.code).toBe("timeout");
    expect(sim.requests).toHaveLength(1);
  });

  it("a body that stops half way is a timeout within the attempt's time", async () => {
    const error = errorOf(await run("stall_body", { timeoutMs: 300, retries: 1 }));
    expect(error.code).toBe("timeout");
    expect(sim.requests).toHaveLength(1);
  });

  it("refuses nonsense retry and timeout values as programming errors", async () => {
    const endpoint = new URL(sim.url);
    await expect(fetchUsage(credential, { endpoint, timeoutMs: 1000, retries: -1 })).rejects.toThrow(RangeError);
    await expect(fetchUsage(credential, { endpoint, timeoutMs: 0, retries: 0 })).rejects.toThrow(RangeError);
    expect(sim.requests).toHaveLength(0);
  });

  it("a function scenario sees the user and its request index", async () => {
    const seen: Array<{ userId: string | null; requestIndex: number }> = [];
    const scenario: Scenario = (ctx) => {
      seen.push({ userId: ctx.userId, requestIndex: ctx.requestIndex });
      return ctx.requestIndex === 0
        ? { status: 503, body: "busy" }
        : { status: 200, body: { plan_type: "plus", rate_limit: null } };
    };
    const s = snapshotOf(await run(scenario));
    expect(s.limits).toEqual([]);
    expect(seen).toEqual([
      { userId: alice.userId, requestIndex: 0 },
      { userId: alice.userId, requestIndex: 1 },
    ]);
  });
});

describe("fetchUsage: the endpoint guard", () => {
  it.each([`https://example.com/backend-api/wham/usage`, `http://chatgpt.com/backend-api/wham/usage`])(
    "refuses %s before anything is sent",
    async (href) => {
      await expect(
        fetchUsage(credential, { endpoint: new URL(href), timeoutMs: 1000, retries: 0 }),
      ).rejects.toBeInstanceOf(InputError);
    },
  );

  it("refuses a loopback URL with credentials, and the simulator sees nothing", async () => {
    const withCredentials = sim.url.replace("http://", "http://user:pass@");
    expect(() => resolveUsageEndpoint({ CODEX_PROFILER_USAGE_URL: withCredentials })).toThrow(InputError);
    await expect(
      fetchUsage(credential, { endpoint: new URL(withCredentials), timeoutMs: 1000, retries: 0 }),
    ).rejects.toBeInstanceOf(InputError);
    expect(sim.requests).toHaveLength(0);
  });
});
