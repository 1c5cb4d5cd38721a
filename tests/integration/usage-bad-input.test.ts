import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageCommand } from "../../src/cli/usage-command.ts";
import { captureRuntime } from "../support/capture-runtime.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { type FixtureAccount, fixtureCredential, secretsOf } from "../support/fixtures.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * One bad value costs one profile, never the report: hostile profile ids, account ids that cannot be a header,
 * an answer with resets past any date, a connection cut in the middle of the body, next to a healthy profile.
 */
const EXP = Math.floor(Date.now() / 1000) + 365 * 86_400;
const account = (name: string, accountId: string): FixtureAccount => ({
  name,
  email: `${name.toLowerCase()}@example.com`,
  accountId,
  userId: `user-${name.toLowerCase()}`,
  plan: "plus",
});
const good = account("alice", "acc-alice");
const store = {
  version: 1,
  profiles: {
    "openai:alice": fixtureCredential(good, "openai", EXP),
    constructor: fixtureCredential(account("Constructor", "acc-c"), "openai", EXP),
    "openai:toString": fixtureCredential(account("toString", "acc-t"), "openai", EXP),
    "openai:__proto__": fixtureCredential(account("proto", "acc-p"), "openai", EXP),
    "openai:crlf": {
      ...fixtureCredential(account("crlf", "acc-x"), "openai", EXP),
      access: fakeAccessToken({ accountId: "acc\r\nX-Evil: 1", userId: "user-crlf", email: "c@example.com", exp: EXP }),
    },
    "openai:unicode": {
      ...fixtureCredential(account("unicode", "acc-u"), "openai", EXP),
      access: "opaque-access-token-0123456789",
      accountId: "cuenta-ñandú-账户",
    },
    "openai:faraway": fixtureCredential(account("faraway", "acc-f"), "openai", EXP),
    "openai:cut": fixtureCredential(account("cut", "acc-cut"), "openai", EXP),
  },
};

let sim: UsageSimulator;
let tmp: string;
let file: string;

beforeAll(async () => {
  sim = await startUsageSimulator({
    scenarios: {
      "user-faraway": () => ({
        status: 200,
        body: {
          plan_type: "plus",
          rate_limit: {
            allowed: true,
            limit_reached: false,
            primary_window: {
              used_percent: 10,
              limit_window_seconds: 18_000,
              reset_after_seconds: 1e20,
              reset_at: 1e20,
            },
            secondary_window: {
              used_percent: 20,
              limit_window_seconds: 604_800,
              reset_after_seconds: -5,
              reset_at: -1e15,
            },
          },
        },
      }),
      "user-cut": "reset_mid_body",
    },
  });
  tmp = mkdtempSync(join(tmpdir(), "cxp-bad-input-"));
  file = join(tmp, "auth-profiles.json");
  writeFileSync(file, JSON.stringify(store), { mode: 0o600 });
});

afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

const run = async (format: "json" | "text") => {
  const rt = captureRuntime();
  await usageCommand(["--auth-path", file, "--no-cache", "--retries", "0", "--format", format], rt, {
    env: { CODEX_PROFILER_USAGE_URL: sim.url, CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"), HOME: tmp },
  });
  return rt;
};

describe("a malformed profile is one 🔴 line, never the report", () => {
  it("reports every profile, the healthy one read, each broken one with a closed code", async () => {
    const rt = await run("json");
    expect(rt.code, rt.all()).toBe(0);
    const report = rt.json[0] as { profiles: { profile: string; status: string; error: { code: string } | null }[] };
    const byId = Object.fromEntries(report.profiles.map((p) => [p.profile, p]));
    expect(Object.keys(byId).sort()).toEqual(
      [
        "constructor",
        "openai:__proto__",
        "openai:alice",
        "openai:crlf",
        "openai:cut",
        "openai:faraway",
        "openai:toString",
        "openai:unicode",
      ].sort(),
    );
    expect(byId["openai:alice"]).toMatchObject({ status: "ok", error: null });
    expect(byId.constructor).toMatchObject({ status: "ok" });
    expect(byId["openai:toString"]).toMatchObject({ status: "ok" });
    expect(byId["openai:__proto__"]).toMatchObject({ status: "ok" });
    expect(byId["openai:crlf"]).toMatchObject({ status: "unusable", error: { code: "invalid_credentials" } });
    expect(byId["openai:unicode"]).toMatchObject({ status: "unusable", error: { code: "invalid_credentials" } });
    expect(byId["openai:cut"]).toMatchObject({ status: "unusable", error: { code: "network_error" } });
    // Resets past any date are not believed: each window is kept with its reset unknown, never invented.
    expect(byId["openai:faraway"]).toMatchObject({ status: "ok", error: null });
    expect(JSON.stringify(report)).not.toContain("internal_error");
    expectNoSecrets(rt.all(), secretsOf(store));
    // The header values that could not be sent never reached the wire.
    expect(sim.requests.map((r) => r.userId)).not.toContain("user-crlf");
    expect(sim.requests.map((r) => r.userId)).not.toContain("user-unicode");
  });

  it("prints one line per profile in text, the broken ones 🔴 with their code", async () => {
    const rt = await run("text");
    expect(rt.code).toBe(0);
    expect(rt.out).toHaveLength(8);
    expect(rt.out.filter((l) => l.startsWith("🔴"))).toHaveLength(3);
    expect(rt.out.join("\n")).toMatch(/🔴 `crlf` — invalid_credentials/);
    expect(rt.out).toContain("🟢 `faraway` — 5h **90%** | week **80%** | r5 **unknown** | rw **unknown**");
  });
});

describe("OpenClaw's order state damaged (real 2026.4.12 lists every profile): a warning, never the report", () => {
  const runState = async (format: "json" | "text") => {
    const stateDir = join(tmp, "state");
    const agentDir = join(stateDir, "agents/main/agent");
    mkdirSync(agentDir, { recursive: true });
    const alice = { "openai:alice": store.profiles["openai:alice"] };
    writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles: alice }));
    writeFileSync(join(agentDir, "auth-state.json"), '{"version":1,"order":{');
    const rt = captureRuntime();
    await usageCommand(["--no-cache", "--retries", "0", "--format", format], rt, {
      env: { CODEX_PROFILER_USAGE_URL: sim.url, OPENCLAW_STATE_DIR: stateDir, HOME: tmp },
    });
    return { rt, statePath: join(agentDir, "auth-state.json") };
  };

  it("json: the profile read, and `warnings` names the state file", async () => {
    const { rt, statePath } = await runState("json");
    expect(rt.code, rt.all()).toBe(0);
    const report = rt.json[0] as { profiles: { profile: string; status: string }[]; warnings?: string[] };
    expect(report.profiles).toMatchObject([{ profile: "openai:alice", status: "ok" }]);
    expect(report.warnings).toHaveLength(1);
    expect(report.warnings?.[0]).toContain(statePath);
  });

  it("text: the profile's line on stdout, the warning on stderr", async () => {
    const { rt, statePath } = await runState("text");
    expect(rt.code, rt.all()).toBe(0);
    expect(rt.out).toHaveLength(1);
    expect(rt.out[0]).toMatch(/^🟢 `alice`/);
    expect(rt.err).toEqual([expect.stringMatching(/^codex_usage: warning: OpenClaw's order and cooldowns in /)]);
    expect(rt.err[0]).toContain(statePath);
  });
});

describe("a damaged Codex entry in the store: named in `warnings` and on stderr, its content never", () => {
  const SECRET = "sk-proj-DamagedEntrySecretValue0123456789abcdef";
  const runEntry = async (format: "json" | "text") => {
    const stateDir = join(tmp, `state-entry-${format}`);
    const agentDir = join(stateDir, "agents/main/agent");
    mkdirSync(agentDir, { recursive: true });
    const profiles = {
      "openai:alice": store.profiles["openai:alice"],
      "openai:later": { type: "oauth2", provider: "openai", access: SECRET },
      "anthropic:claude": { type: "oauth2", provider: "anthropic", access: SECRET },
    };
    writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles }));
    const rt = captureRuntime();
    await usageCommand(["--no-cache", "--retries", "0", "--format", format], rt, {
      env: { CODEX_PROFILER_USAGE_URL: sim.url, OPENCLAW_STATE_DIR: stateDir, HOME: tmp },
    });
    return rt;
  };

  it("json", async () => {
    const rt = await runEntry("json");
    expect(rt.code, rt.all()).toBe(0);
    const report = rt.json[0] as { profiles: { profile: string }[]; warnings?: string[] };
    expect(report.profiles.map((p) => p.profile)).toEqual(["openai:alice"]);
    expect(report.warnings).toEqual([expect.stringContaining('"openai:later" (no credential type OpenClaw knows)')]);
    expect(rt.all()).not.toContain("anthropic");
    expectNoSecrets([rt.all()], [SECRET]);
  });

  it("text", async () => {
    const rt = await runEntry("text");
    expect(rt.code, rt.all()).toBe(0);
    expect(rt.out).toEqual([expect.stringMatching(/^🟢 `alice`/)]);
    expect(rt.err).toEqual([expect.stringMatching(/^codex_usage: warning: 1 auth profile in .* "openai:later"/)]);
    expectNoSecrets([rt.all()], [SECRET]);
  });
});
