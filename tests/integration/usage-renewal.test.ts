import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hostRenewer } from "../../src/plugin/host-renewal.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { type CredentialRenewer, runUsageCheck } from "../../src/usage/check.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/*
 * An idle profile whose access token lapsed: with a renewer (the plugin's, OpenClaw's own code and lock inside
 * the gateway) it is renewed first and then read; without one, or when the host cannot be asked, it stays
 * renewal pending and nothing is sent with the lapsed token. The renewer here plays OpenClaw: it stores a new
 * credential in the (test's own) store file, as OpenClaw's renewal does in its store.
 */
const accounts = FIXTURE_ACCOUNTS.slice(0, 2);
const lapsed = legacyAuthProfiles({ provider: "openai", accounts, expSec: Math.floor(Date.now() / 1000) - 3600 });
const renewed = legacyAuthProfiles({ provider: "openai", accounts });

let sim: UsageSimulator;
let tmp: string;
let authPath: string;

beforeAll(async () => {
  sim = await startUsageSimulator({ scenarios: { "user-alice": "ok", "user-bob": "ok" } });
  tmp = mkdtempSync(join(tmpdir(), "cxp-usage-renewal-"));
  authPath = join(tmp, "auth-profiles.json");
});

afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  writeFileSync(authPath, JSON.stringify(lapsed), { mode: 0o600 });
  sim.clearRequests();
});

/** The one profile of `store` whose id names `who`. */
const pick = (store: typeof lapsed, who: string) =>
  Object.fromEntries(Object.entries(store.profiles).filter(([id]) => id.includes(who)));

const check = (renew?: CredentialRenewer) =>
  runUsageCheck({
    selection: "all",
    authPath,
    useCache: false,
    env: { CODEX_PROFILER_USAGE_URL: sim.url, HOME: join(tmp, "home") },
    ...(renew ? { renew } : {}),
  });

describe("a lapsed idle token and OpenClaw's renewal", () => {
  it("a renewal slower than a request's timeout leaves the profile pending; others are read meanwhile", async () => {
    writeFileSync(
      authPath,
      JSON.stringify({ ...renewed, profiles: { ...renewed.profiles, ...pick(lapsed, "alice") } }),
    );
    let renewalDone = false;
    const c = await runUsageCheck({
      selection: "all",
      authPath,
      useCache: false,
      timeoutSec: 1,
      concurrency: 1,
      env: { CODEX_PROFILER_USAGE_URL: sim.url, HOME: join(tmp, "home") },
      renew: () =>
        new Promise((resolve) =>
          setTimeout(() => {
            renewalDone = true;
            resolve("renewed");
          }, 20_000).unref(),
        ),
    });
    // The check answered before OpenClaw's renewal did: it waited one request's timeout, not the renewal.
    expect(renewalDone).toBe(false);
    expect(Object.fromEntries(c.profiles.map((p) => [p.label, [p.status, p.renewalPending]]))).toEqual({
      "alice@example.com": ["ok", true],
      "bob@example.com": ["ok", false],
    });
    expect(sim.requests.map((r) => r.userId)).toEqual(["user-bob"]);
  });

  it("without a renewer: renewal pending, status ok, no request sent", async () => {
    const c = await check();
    expect(c.profiles.map((p) => [p.status, p.renewalPending, p.error])).toEqual([
      ["ok", true, null],
      ["ok", true, null],
    ]);
    expect(sim.requests).toHaveLength(0);
  });

  it("renewed by OpenClaw: the usage is read with the credential it stored, once per profile", async () => {
    const asked: string[] = [];
    const c = await check(async (id) => {
      asked.push(id);
      writeFileSync(authPath, JSON.stringify(renewed), { mode: 0o600 });
      return "renewed";
    });
    expect(asked.sort()).toEqual(["openai:alice@example.com", "openai:bob@example.com"]);
    expect(c.profiles.map((p) => [p.status, p.renewalPending, p.source])).toEqual([
      ["ok", false, "fresh"],
      ["ok", false, "fresh"],
    ]);
    expect(sim.requests.map((r) => r.userId).sort()).toEqual(["user-alice", "user-bob"]);
    expectNoSecrets(JSON.stringify(c), [...secretsOf(lapsed), ...secretsOf(renewed)]);
  });

  it("a set for a non-default agent is read again from that agent's store after the renewal", async () => {
    const stateDir = join(tmp, "state");
    const store = (agent: string) => join(stateDir, "agents", agent, "agent", "auth-profiles.json");
    for (const agent of ["main", "work"]) mkdirSync(join(store(agent), ".."), { recursive: true });
    writeFileSync(
      join(stateDir, "openclaw.json"),
      JSON.stringify({ agents: { list: [{ id: "main" }, { id: "work" }] } }),
    );
    writeFileSync(store("main"), JSON.stringify(legacyAuthProfiles({ provider: "openai", accounts: [] })));
    writeFileSync(store("work"), JSON.stringify(lapsed), { mode: 0o600 });
    const env = { CODEX_PROFILER_USAGE_URL: sim.url, HOME: join(tmp, "home"), OPENCLAW_STATE_DIR: stateDir };
    const set = await loadProfileSet({ env, agentId: "work" });
    const c = await runUsageCheck({
      selection: "all",
      set,
      useCache: false,
      env,
      renew: async () => {
        writeFileSync(store("work"), JSON.stringify(renewed), { mode: 0o600 });
        return "renewed";
      },
    });
    expect(c.agent).toBe("work");
    expect(c.profiles.map((p) => [p.status, p.renewalPending, p.source])).toEqual([
      ["ok", false, "fresh"],
      ["ok", false, "fresh"],
    ]);
  });

  // refresh_failed says: log in again. Pending: a host that cannot be asked, a "renewed" that left the token lapsed.
  it("a recorded failed renewal is refresh_failed; an unaskable host or a lapsed 'renewed' stays pending", async () => {
    const c = await check(async (id) => (id.includes("alice") ? "failed" : "renewed"));
    const [alice, bob] = c.profiles;
    expect(alice).toMatchObject({ status: "unusable", renewalPending: false, error: { code: "refresh_failed" } });
    expect(alice?.error?.hint).toMatch(/log in again/u);
    expect(bob).toMatchObject({ status: "ok", renewalPending: true, error: null });
    const thrown = await check(async () => {
      throw new Error("host went away");
    });
    expect(thrown.profiles.every((p) => p.renewalPending && p.status === "ok")).toBe(true);
    expect(sim.requests).toHaveLength(0);
  });
});

describe("hostRenewer (OpenClaw's plugin SDK, feature-detected)", () => {
  const set = { location: { agentDir: "/state/agents/main/agent" } } as never;

  it("asks resolveApiKeyForProfile for that profile only, no fallback, current config; drops the token", async () => {
    const calls: Record<string, unknown>[] = [];
    let config = { marker: 0 };
    const renew = hostRenewer({
      config: () => config,
      load: async () => ({
        loadAuthProfileStoreWithoutExternalProfiles: (dir: string) => ({ dir }),
        resolveApiKeyForProfile: async (params: Record<string, unknown>) => {
          calls.push(params);
          return { apiKey: "never-looked-at" };
        },
      }),
    });
    // OpenClaw's config as it is when the renewal is asked, not as it was at registration.
    config = { marker: 1 };
    expect(await renew("openai:bob@example.com", set)).toBe("renewed");
    expect(calls).toEqual([
      {
        store: { dir: "/state/agents/main/agent" },
        profileId: "openai:bob@example.com",
        agentDir: "/state/agents/main/agent",
        cfg: { marker: 1 },
        allowProfileFallback: false,
      },
    ]);
  });

  it("failed only when OpenClaw's refresh failed for good, as each release says it; else unavailable", async () => {
    const FENCE = `openclaw-oauth-refresh-fence:v1:${"a".repeat(32)}:failed:access:${"b".repeat(64)}`;
    const named = (message: string, reason?: string | null) =>
      Object.assign(new Error(message), { name: "OAuthRefreshFailureError", reason });
    // What OpenClaw's store holds for bob after the refusal: unchanged, or a failed fence (2026.9).
    const outcome = (error: unknown, afterwards: Record<string, unknown> = { access: "old" }) => {
      let calls = 0;
      const load = async () => ({
        loadAuthProfileStoreWithoutExternalProfiles: () => ({
          profiles: { "openai:bob@example.com": calls++ === 0 ? { access: "old" } : afterwards },
        }),
        resolveApiKeyForProfile: async () => {
          if (error === null) return null;
          throw error;
        },
      });
      return hostRenewer({ config: () => ({}), load })("openai:bob@example.com", set);
    };
    const WRAPPED = "OAuth token refresh failed for openai-codex:";
    // 2026.6–2026.8 wrap every failure; OpenClaw's own reason says which ones are final.
    expect(await outcome(named(`${WRAPPED} invalid_grant. Please try again`, "invalid_grant"))).toBe("failed");
    expect(await outcome(named(`${WRAPPED} fetch failed. Please try again`, null))).toBe("unavailable");
    // 2026.9 fences the credential as failed.
    expect(await outcome(named("refresh rejected", null), { access: FENCE })).toBe("failed");
    expect(await outcome(named("refresh rejected"), { refresh: FENCE })).toBe("failed");
    expect(await outcome(null, { access: FENCE })).toBe("failed");
    expect(await outcome(null)).toBe("unavailable");
    // 2026.5.28: a plain Error, read by its message as OpenClaw reads it.
    expect(await outcome(new Error(`${WRAPPED} 401 {"error":"invalid_grant"}. Please try again`))).toBe("failed");
    expect(await outcome(new Error(`${WRAPPED} Refresh token expired or revoked. Please`))).toBe("failed");
    expect(await outcome(new Error(`${WRAPPED} 500 Internal Server Error. Please try again`))).toBe("unavailable");
    expect(await outcome(new Error("lock busy: invalid_grant"))).toBe("unavailable");
    const sdk = (resolve: () => Promise<unknown>) => async () => ({
      loadAuthProfileStoreWithoutExternalProfiles: () => ({}),
      resolveApiKeyForProfile: resolve,
    });
    const plain = (load: () => Promise<unknown>) =>
      hostRenewer({ config: () => ({}), load })("openai:bob@example.com", set);
    expect(await plain(sdk(async () => null))).toBe("unavailable");
    expect(await plain(async () => ({ resolveApiKeyForProfile: async () => ({}) }))).toBe("unavailable");
    expect(
      await plain(async () => {
        throw new Error("Cannot find package 'openclaw'");
      }),
    ).toBe("unavailable");
  });
});
