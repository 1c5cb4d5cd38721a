import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { usageCommand } from "../../src/cli/usage-command.ts";
import type { UsageReport } from "../../src/format/usage-json.ts";
import { captureRuntime } from "../support/capture-runtime.ts";
import { legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { withRunGuard } from "../support/loopback-guard.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { stateBytes } from "../support/state-bytes.ts";
import { snapshotTree } from "../support/tree-snapshot.ts";
import { answeredAt, sampleTeamOk, startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

const LINE_READ =
  /^(🟢|🟠) `[^`]+` — (5h \*\*\d{1,3}%\*\* \| )?week \*\*\d{1,3}%\*\* \|( r5 \*\*[^*]+\*\* \|)? rw \*\*[^*]+\*\*$/u;
const LINE_UNUSABLE = /^🔴 `[^`]+` — [a-z_]+: .+$/u;
const LINE = new RegExp(`${LINE_READ.source}|${LINE_UNUSABLE.source}`, "u");

let sim: UsageSimulator;
let tmp: string;
let stateDir: string;
const store = legacyAuthProfiles({ provider: "openai" });
const secrets = secretsOf(store);

function envFor(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return withRunGuard({
    PATH: process.env.PATH,
    HOME: join(tmp, "home"),
    OPENCLAW_STATE_DIR: stateDir,
    CODEX_PROFILER_USAGE_URL: sim.url,
    CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"),
    ...extra,
  });
}

/** The CLI as a user runs it: a process, through the host launcher. */
function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(PROJECT_ROOT, "scripts/codex_usage"), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  sim = await startUsageSimulator({
    scenarios: {
      "user-alice": { kind: "ok", fiveHourUsed: 18, weeklyUsed: 36 },
      "user-bob": "limited_5h",
      "user-carol": "weekly_only_exhausted",
      "user-dave": "token_invalidated",
    },
  });
  tmp = mkdtempSync(join(tmpdir(), "cxp-usage-cli-"));
  stateDir = join(tmp, "state");
  const agentDir = join(stateDir, "agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
  writeFileSync(
    join(agentDir, "auth-state.json"),
    JSON.stringify({ version: 1, order: { openai: ["openai:alice@example.com", "openai:bob@example.com"] } }),
  );
});

afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

beforeEach(() => {
  rmSync(join(tmp, "cache"), { recursive: true, force: true });
  sim.clearRequests();
});

describe("codex_usage as a process", () => {
  it("prints one strict line per profile and nothing else, reading the store unchanged", async () => {
    const before = snapshotTree(stateDir);
    const res = await runCli(["--format", "text"], envFor());
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    for (const line of lines) expect(line).toMatch(LINE);
    expect(lines[0]).toBe("🟢 `alice@example.com` — 5h **82%** | week **64%** | r5 **1h 20m** | rw **6d 20h**");
    expect(lines[1]?.startsWith("🟠 `bob@example.com` — 5h **0%** | week **23%**")).toBe(true);
    // A weekly-only account shows the weekly field alone: nothing is invented for the 5-hour one.
    expect(lines[2]).toMatch(/^🟠 `carol@example\.com` — week \*\*0%\*\* \| rw \*\*[^*]+\*\*$/u);
    expect(lines[3]).toMatch(/^🔴 `dave@example.com` — auth_not_accepted_by_usage_endpoint: .*\/codex_auth/u);
    expect(res.stderr).toBe("");
    expectNoSecrets([res.stdout, res.stderr], secrets);
    expect(snapshotTree(stateDir)).toEqual(before);
    expect(sim.requests).toHaveLength(4);
  });

  it("writes the JSON contract, then serves a repeat from the token-free cache", async () => {
    const first = await runCli(["--profile", "all"], envFor());
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as UsageReport;
    expect(Object.keys(report)).toEqual([
      "summary",
      "profiles",
      "formatted_profiles",
      "suggested_user_message",
      "forecast_lines",
    ]);
    expect(report.summary).toMatchObject({
      total: 4,
      ok: 1,
      limited: 2,
      unusable: 1,
      data: "fresh",
      agent: "main",
      store_layout: "json-split",
    });
    const dave = report.profiles.find((p) => p.label === "dave@example.com");
    expect(dave?.error).toMatchObject({
      code: "auth_not_accepted_by_usage_endpoint",
      status: 401,
      detail: "token_invalidated",
    });
    const carol = report.profiles.find((p) => p.label === "carol@example.com");
    expect(carol?.windows.five_hour).toBeNull();
    expect(carol?.local.shares_account_with).toEqual(["openai:dave@example.com"]);
    expect(report.profiles[0]?.local.in_order).toBe(true);
    expect(report.suggested_user_message).toContain("alice@example.com");
    expectNoSecrets(first.stdout, secrets);

    const second = await runCli(["--profile", "all"], envFor());
    const cached = JSON.parse(second.stdout) as UsageReport;
    // dave's error is not cached: only readings are, so his request is made again.
    expect(sim.requests).toHaveLength(5);
    expect(cached.profiles.filter((p) => p.source === "cache")).toHaveLength(3);
    expect(cached.summary.data).toBe("cache");
    const { readFileSync, readdirSync, statSync } = await import("node:fs");
    for (const f of readdirSync(join(tmp, "cache"))) {
      const file = join(tmp, "cache", f);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expectNoSecrets(readFileSync(file, "utf8"), secrets);
    }

    await runCli(["--no-cache", "--profile", "alice@example.com"], envFor());
    expect(sim.requests).toHaveLength(6);
  });

  it("an unwritable cache folder costs the cache and the forecast, and says so in JSON and on stderr", async () => {
    const blocked = join(tmp, "cache-is-a-file");
    writeFileSync(blocked, "");
    const env = envFor({ CODEX_PROFILER_CACHE_DIR: join(blocked, "sub") });
    const json = await runCli(["--profile", "all"], env);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as UsageReport;
    expect(report.formatted_profiles).toHaveLength(4);
    expect(report.warnings).toEqual([
      `the usage cache ${join(blocked, "sub/usage-cache.json")} could not be written; the next check asks again`,
      expect.stringMatching(/^the usage history \S+ could not be written \(ENOTDIR\); no forecast this time$/),
    ]);
    expect(json.stderr).toBe("");
    const text = await runCli(["--profile", "all", "--format", "text"], env);
    expect(text.stderr.split("\n").filter(Boolean)).toEqual([
      expect.stringMatching(/^codex_usage: warning: the usage cache .* could not be written/),
      expect.stringMatching(/^codex_usage: warning: the usage history .* could not be written/),
    ]);
  });

  it("a reading cached for one endpoint never serves another (a simulator's is not chatgpt.com's)", async () => {
    const other = await startUsageSimulator({ scenarios: { "user-alice": { kind: "ok", fiveHourUsed: 50 } } });
    try {
      const alice = async (url: string) =>
        (
          await runCli(
            ["--profile", "alice@example.com", "--format", "text"],
            envFor({ CODEX_PROFILER_USAGE_URL: url }),
          )
        ).stdout;
      expect(await alice(sim.url)).toContain("5h **82%**");
      expect(await alice(other.url)).toContain("5h **50%**");
      expect(other.requests).toHaveLength(1);
      expect(await alice(sim.url)).toContain("5h **82%**");
      expect(sim.requests).toHaveLength(1);
    } finally {
      await other.close();
    }
  });

  it("selects default, a label, a full id with the old provider prefix, and a profile number", async () => {
    const run = async (sel: string) =>
      JSON.parse((await runCli(["--profile", sel, "--no-cache"], envFor())).stdout) as UsageReport;
    expect((await run("default")).profiles.map((p) => p.profile)).toEqual(["openai:alice@example.com"]);
    expect((await run("bob@example.com")).profiles.map((p) => p.profile)).toEqual(["openai:bob@example.com"]);
    expect((await run("openai-codex:carol@example.com")).profiles.map((p) => p.profile)).toEqual([
      "openai:carol@example.com",
    ]);
    // Profiles are numbered 1..N in set order (as in chat); `all` is a word, not a number.
    const all = (await run("all")).profiles.map((p) => p.profile);
    expect(all).toHaveLength(4);
    expect((await run("2")).profiles.map((p) => p.profile)).toEqual([all[1]]);
  });

  it("refuses bad flags and a non-loopback endpoint with exit 2, sending nothing", async () => {
    for (const args of [
      ["--format", "xml"],
      ["--timeout-sec", "0"],
      ["--concurrency", "x"],
      ["--bogus"],
      ["--agent", "a;b"],
    ]) {
      const res = await runCli(args, envFor());
      expect(res.code, args.join(" ")).toBe(2);
      expect(JSON.parse(res.stdout).error.code, args.join(" ")).toMatch(/^(bad_flags|invalid_agent_id)$/);
    }
    const text = await runCli(["--format", "text", "--bogus"], envFor());
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^codex_usage: /);
    const refused = await runCli(
      [],
      envFor({ CODEX_PROFILER_USAGE_URL: "https://example.com/backend-api/wham/usage" }),
    );
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: "usage_url_refused" } });
    const unknown = await runCli(["--profile", "nobody"], envFor());
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe("unknown_profile");
    expect(sim.requests).toHaveLength(0);
  });

  it("exits 3 naming the path when there is no store", async () => {
    const empty = join(tmp, "empty-state");
    mkdirSync(empty, { recursive: true });
    const res = await runCli(["--format", "text"], envFor({ OPENCLAW_STATE_DIR: empty }));
    expect(res.code).toBe(3);
    expect(res.stderr).toContain(empty);
    expect(sim.requests).toHaveLength(0);
  });

  it("--debug prints timings to stderr and never a secret", async () => {
    const res = await runCli(["--debug", "--format", "text", "--no-cache"], envFor());
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/usage check done/);
    expectNoSecrets([res.stdout, res.stderr], secrets);
  });
});

describe("codex_usage in-process", () => {
  it("answers --help without loading the engine", async () => {
    const rt = captureRuntime();
    await usageCommand(["--help"], rt, { env: {} });
    expect(rt.code).toBe(0);
    expect(rt.out.join("\n")).toMatch(/--profile all\|default/);
  });

  // Renewal pending, not broken: every line 🟢, none says "log in again".
  it("never sends a locally expired token: an idle profile with a refresh token is renewal pending", async () => {
    const expired = legacyAuthProfiles({ provider: "openai", expSec: Math.floor(Date.now() / 1000) - 3600 });
    const file = join(tmp, "expired.json");
    writeFileSync(file, JSON.stringify(expired), { mode: 0o600 });
    const rt = captureRuntime();
    await usageCommand(["--auth-path", file, "--no-cache"], rt, { env: envFor() });
    expect(rt.code).toBe(0);
    const report = rt.json[0] as UsageReport;
    expect(report.profiles.every((p) => p.renewal_pending && p.status === "ok" && p.error === null)).toBe(true);
    expect(report.summary).toMatchObject({ ok: 4, unusable: 0, renewal_pending: 4 });
    for (const line of report.formatted_profiles)
      expect(line).toMatch(/^🟢 `[^`]+` — renewal pending: OpenClaw renews/u);
    expect(report.formatted_profiles.join("\n")).not.toMatch(/log in again/iu);
    expect(sim.requests).toHaveLength(0);
    expectNoSecrets(rt.all(), secretsOf(expired));
  });
});

describe("codex_usage on a host whose clock is off", () => {
  it("counts resets from the answers, warns ahead or behind in JSON and on stderr, never in the lines", async () => {
    for (const [offMs, words] of [
      [-2 * 3_600_000, "2h ahead of"],
      [45 * 60_000, "45m behind"],
    ] as const) {
      sim.setNow(Date.now() + offMs);
      try {
        const json = captureRuntime();
        await usageCommand(["--format", "json", "--no-cache"], json, { env: envFor() });
        expect(json.code).toBe(0);
        const report = json.json[0] as UsageReport;
        expect(report.warnings).toEqual([
          expect.stringMatching(new RegExp(`^This host's clock is ${words} the usage`)),
        ]);
        const alice = report.profiles.find((p) => p.label === "alice@example.com");
        // ok's 5h window resets 4851 s after the answer, whatever the clocks say.
        const reset = Date.parse(alice?.limits.find((l) => l.key === "main:five_hour")?.reset_at ?? "");
        expect(Math.abs(reset - (Date.now() + 4_851_000))).toBeLessThan(10_000);

        const text = captureRuntime();
        await usageCommand(["--format", "text", "--no-cache"], text, { env: envFor() });
        expect(text.code).toBe(0);
        expect(text.err.join("\n")).toMatch(new RegExp(`^codex_usage: warning: This host's clock is ${words}`, "m"));
        for (const line of text.out.join("\n").trimEnd().split("\n")) expect(line).toMatch(LINE);
      } finally {
        sim.setNow(null);
      }
    }
    const agreed = captureRuntime();
    await usageCommand(["--format", "json", "--no-cache"], agreed, { env: envFor() });
    expect((agreed.json[0] as UsageReport).warnings).toBeUndefined();
  });
});

describe("codex_usage without --agent where OpenClaw would not pick an agent", () => {
  it("refuses (agent_required, exit 2) naming the agents, sending nothing; --agent reads that agent", async () => {
    const state = join(tmp, "two-agents");
    for (const agent of ["main", "alpha"]) {
      mkdirSync(join(state, "agents", agent, "agent"), { recursive: true });
      writeFileSync(join(state, "agents", agent, "agent", "auth-profiles.json"), JSON.stringify(store), {
        mode: 0o600,
      });
    }
    // Two agents, none marked default: 2026.4.x-7.x would take alpha, 2026.8+ refuse; the release is not known.
    writeFileSync(
      join(state, "openclaw.json"),
      JSON.stringify({ agents: { list: [{ id: "alpha" }, { id: "beta" }] } }),
    );
    const rt = captureRuntime();
    await usageCommand(["--format", "json"], rt, { env: envFor({ OPENCLAW_STATE_DIR: state }) });
    expect(rt.code).toBe(2);
    const { error } = rt.json[0] as { error: { code: string; message: string } };
    expect(error.code).toBe("agent_required");
    expect(error.message).toMatch(/configured agents: alpha, beta/);
    expect(sim.requests).toHaveLength(0);

    const chosen = captureRuntime();
    await usageCommand(["--agent", "alpha", "--no-cache"], chosen, { env: envFor({ OPENCLAW_STATE_DIR: state }) });
    expect(chosen.code).toBe(0);
    expect((chosen.json[0] as UsageReport).summary.agent).toBe("alpha");
  });
});

describe("a malformed stored token", () => {
  it("is that profile's missing_access_token, never the whole report's failure, and is not printed", async () => {
    const broken = legacyAuthProfiles({ provider: "openai" });
    const bob = broken.profiles["openai:bob@example.com"] as { access: string };
    bob.access = `${bob.access}\nX-Injected: 1`;
    const file = join(tmp, "broken.json");
    writeFileSync(file, JSON.stringify(broken), { mode: 0o600 });
    const rt = captureRuntime();
    await usageCommand(["--auth-path", file, "--no-cache"], rt, { env: envFor() });
    expect(rt.code).toBe(0);
    const report = rt.json[0] as UsageReport;
    expect(report.profiles.find((p) => p.label === "bob@example.com")?.error?.code).toBe("missing_access_token");
    expect(report.profiles.filter((p) => p.error === null).map((p) => p.label)).toEqual([
      "alice@example.com",
      "carol@example.com",
    ]);
    expect(sim.requests.map((r) => r.userId)).not.toContain("user-bob");
    expectNoSecrets(rt.all(), secretsOf(broken));
  });
});

describe("codex_usage --forecast", () => {
  it("records readings in the local history and projects the 5h window from the recent pace", async () => {
    const t0 = Date.parse("2026-11-22T10:00:00Z");
    // Within one window period the endpoint's reset time stays put: the body is built from t0, answered at `at`.
    const run = async (at: number, used: number): Promise<string[]> => {
      sim.setScenario("user-alice", () => ({ status: 200, body: answeredAt(sampleTeamOk(t0, used, 10), at) }));
      const rt = captureRuntime();
      await usageCommand(["--profile", "alice@example.com", "--format", "text", "--forecast", "--no-cache"], rt, {
        env: envFor(),
        now: () => at,
      });
      expect(rt.code).toBe(0);
      return rt.out;
    };
    try {
      const first = await run(t0, 30);
      expect(first[1]).toMatch(/^alice@example.com: 5h no pace yet/);
      // 30 % → 60 % used in 20 minutes: 90 %/h, so the 40 % left lasts ~26m, before the reset in 1h.
      const second = await run(t0 + 20 * 60_000, 60);
      expect(second[0]).toMatch(/^🟢 `alice@example.com` — 5h \*\*40%\*\*/u);
      expect(second[1]).toMatch(/^alice@example.com: 5h runs out in ~26m at this pace, resets in 1h;/);
      // The JSON carries the pool's runway once there is a pace: here the week does not move, so it lasts.
      const rt = captureRuntime();
      await usageCommand(["--profile", "alice@example.com", "--no-cache"], rt, {
        env: envFor(),
        now: () => t0 + 25 * 60_000,
      });
      const json = rt.json[0] as UsageReport;
      expect(json.summary.pool).toMatchObject({ accounts: 1, short_by_hours: 0 });
      expect(json.suggested_user_message).toMatch(/The pool .*: enough until then\.$/);
      const history = (await import("node:fs")).readFileSync(join(tmp, "cache", "usage-history.json"), "utf8");
      expectNoSecrets(history, secrets);
    } finally {
      sim.setScenario("user-alice", { kind: "ok", fiveHourUsed: 18, weeklyUsed: 36 });
    }
  });
});

describe("codex_usage on a SQLite state written by the real openclaw", () => {
  let oc: OpenclawRoot;
  beforeAll(async () => {
    oc = await copyTemplateState();
  });
  afterAll(() => removeRoot(oc));

  it("reads the imported profiles in place and leaves OpenClaw's data unchanged", async () => {
    const before = stateBytes(oc.stateDir);
    const res = await runCli(
      ["--format", "text", "--no-cache"],
      envFor({ OPENCLAW_STATE_DIR: oc.stateDir, HOME: oc.home }),
    );
    expect(res.code).toBe(0);
    const labels = res.stdout
      .trimEnd()
      .split("\n")
      .map((l) => /`([^`]+)`/u.exec(l)?.[1]);
    expect(labels.sort()).toEqual(["alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"]);
    expect(stateBytes(oc.stateDir)).toEqual(before);
    expectNoSecrets(
      [res.stdout, res.stderr],
      secrets.filter((s) => !s.includes(".")),
    );
  });
});
