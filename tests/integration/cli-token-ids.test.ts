import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential } from "../support/fixtures.ts";
import { withRunGuard } from "../support/loopback-guard.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * A stored profile id shaped like a token (a JWT, an `sk-` key) is the user's own bad input, but it is never
 * printed as is by the CLIs' real entry points: not as a Codex profile's line, nor as 2026.5.28's API-key backup
 * that a rotation would end (named in the plan and in the job's line, which OpenClaw's cron delivers to chat).
 * The other profiles still report.
 */
const EXP = Math.floor(Date.now() / 1000) + 365 * 86_400;
const JWT_ID = fakeAccessToken({ accountId: "acc-x", userId: "user-x", email: "x@example.com", exp: EXP });
const SK_ID = "sk-proj-Abc123Def456Ghi789Jkl012";
const PIECES = [...JWT_ID.split(".").filter((p) => p.length > 8), SK_ID];

let sim: UsageSimulator;
let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  sim = await startUsageSimulator({ defaultScenario: { kind: "ok", fiveHourUsed: 20 } });
  sim.setScenario(FIXTURE_ACCOUNTS[0]!.userId, { kind: "ok", fiveHourUsed: 100 });
  root = mkdtempSync(join(tmpdir(), "cxp-token-ids-"));
  const agentDir = join(root, "state/agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  const profiles = {
    "openai-codex:alice": fixtureCredential(FIXTURE_ACCOUNTS[0]!, "openai-codex", EXP),
    "openai-codex:bob": fixtureCredential(FIXTURE_ACCOUNTS[1]!, "openai-codex", EXP),
    [`openai-codex:${JWT_ID}`]: fixtureCredential(FIXTURE_ACCOUNTS[2]!, "openai-codex", EXP),
    [`openai:${JWT_ID}`]: { type: "api_key", provider: "openai", key: "sk-test-0000000000" },
    [`openai:${SK_ID}`]: { type: "api_key", provider: "openai", key: "sk-test-1111111111" },
  };
  writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
  env = withRunGuard({
    PATH: "/usr/bin:/bin",
    HOME: join(root, "home"),
    OPENCLAW_STATE_DIR: join(root, "state"),
    CODEX_PROFILER_USAGE_URL: sim.url,
    CODEX_PROFILER_CACHE_DIR: join(root, "cache"),
  });
});

afterAll(async () => {
  await sim.close();
  rmSync(root, { recursive: true, force: true });
});

function run(script: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(join(PROJECT_ROOT, "scripts", script), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

describe("a stored id shaped like a token is never printed by the CLIs", () => {
  it.each([
    ["codex_usage", ["--format", "text", "--no-cache"], "🟢 `bob`"],
    ["codex_usage", ["--format", "json", "--no-cache"], '"openai-codex:bob"'],
    ["codex_rotate", ["plan", "--format", "text"], "storing this order ends OpenClaw's use of its API-key backup"],
    ["codex_rotate", ["plan", "--format", "json"], '"ends_backups"'],
    ["codex_rotate", ["job", "run"], "the job leaves that to you"],
  ])("%s %j", async (script, args, shown) => {
    const { code, out } = await run(script, args);
    expect(code, out).toBe(0);
    expect(out).toContain(shown);
    for (const piece of PIECES) expect(out).not.toContain(piece);
  });
});
