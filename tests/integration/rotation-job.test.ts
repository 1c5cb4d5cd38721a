import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { readRotationState } from "../../src/rotation/rotation-state.ts";
import { legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { freePort, quietGatewayConfig } from "../support/gateway.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  NODE24,
  OPENCLAW_CLI,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
  runOpenclaw,
  storedOrderOf,
  writeBaseConfig,
} from "../support/openclaw.ts";
import { captureRuntime } from "../support/rotation-fakes.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * rotate apply and the job against the real openclaw 2026.9.6 CLI on a copy of the template state, with
 * usage from the loopback simulator: the order changes only through the models-auth pipeline
 * (`openclaw models auth order set`), and the job is installed, run and removed through a real Gateway
 * with `openclaw cron`.
 */
const SECRETS = secretsOf(legacyAuthProfiles());
const ALICE = "openai:alice@example.com";
const BOB = "openai:bob@example.com";
const CAROL = "openai:carol@example.com";
const DAVE = "openai:dave@example.com";

const okBody = (nowMs: number, fiveUsed: number, weeklyUsed = 10) => ({
  plan_type: "plus",
  rate_limit: {
    allowed: fiveUsed < 100,
    limit_reached: fiveUsed >= 100,
    primary_window: {
      used_percent: fiveUsed,
      limit_window_seconds: 18_000,
      reset_after_seconds: 3600,
      reset_at: Math.floor(nowMs / 1000) + 3600,
    },
    secondary_window: {
      used_percent: weeklyUsed,
      limit_window_seconds: 604_800,
      reset_after_seconds: 400_000,
      reset_at: Math.floor(nowMs / 1000) + 400_000,
    },
  },
});

let root: OpenclawRoot;
let sim: UsageSimulator;
let cacheDir: string;
let env: NodeJS.ProcessEnv;
const fiveUsed: Record<string, number> = { "user-alice": 100, "user-bob": 20, "user-carol": 50, "user-dave": 85 };

async function rotate(...argv: string[]) {
  const rt = captureRuntime();
  await rotateCommand(argv, rt, { env });
  expectNoSecrets([...rt.out, ...rt.err, JSON.stringify(rt.json)], SECRETS);
  return rt;
}

beforeAll(async () => {
  ensureOpenclawBin();
  root = await copyTemplateState("cxp-rot-job-");
  cacheDir = mkdtempSync(join(tmpdir(), "cxp-rot-job-cache-"));
  sim = await startUsageSimulator();
  sim.setDefault((ctx) => ({ status: 200, body: okBody(ctx.nowMs, fiveUsed[ctx.userId ?? ""] ?? 0) }));
  env = { ...root.env, CODEX_PROFILER_USAGE_URL: sim.url, CODEX_PROFILER_CACHE_DIR: cacheDir };
});

afterAll(async () => {
  await sim?.close();
  if (root) removeRoot(root);
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

const CAROL_FIRST_NOW =
  /^Codex order changed: carol@example\.com is first now, was bob@example\.com \(bob@example\.com 5h used up, back in/;

describe("rotate with the real openclaw CLI", () => {
  // Real openclaw calls take 2–7 s each and much longer while other suites run on the same 2 cores.
  const SLOW = 400_000;

  it(
    "plan proposes from real profiles and usage, and changes nothing",
    async () => {
      const before = await storedOrderOf(root);
      const rt = await rotate("plan", "--format", "json");
      expect(rt.code).toBe(0);
      const plan = rt.json[0] as {
        current: string[];
        proposed: string[];
        changed: boolean;
        reasons: Array<{ profile: string; reason: string }>;
      };
      expect(plan.proposed).toEqual([BOB, CAROL, DAVE, ALICE]);
      expect(plan.changed).toBe(true);
      expect(plan.reasons.find((r) => r.profile === ALICE)?.reason).toMatch(/^limited: 5h used up, back in/);
      expect(await storedOrderOf(root)).toEqual(before);
    },
    SLOW,
  );

  it(
    "apply --yes sets the order through preflight → order set → verify",
    async () => {
      const rt = await rotate("apply", "--yes", "--format", "json");
      expect(rt.code, JSON.stringify(rt.json)).toBe(0);
      expect(rt.json[0]).toMatchObject({ applied: true, result: { ok: true, verify: { matches: true } } });
      expect(await storedOrderOf(root)).toEqual([BOB, CAROL, DAVE, ALICE]);
    },
    SLOW,
  );

  it(
    "job run stays quiet while nothing changes, then switches and says so in one line",
    async () => {
      const quiet = await rotate("job", "run");
      expect(quiet.out).toEqual(["NO_REPLY"]);
      fiveUsed["user-bob"] = 100;
      // The usage cache holds readings for 60 s; the job reads through it, so drop it for this step.
      rmSync(join(cacheDir, "usage-cache.json"), { force: true });
      const loud = await rotate("job", "run");
      expect(loud.out).toHaveLength(1);
      expect(loud.out[0]).toMatch(CAROL_FIRST_NOW);
      expect((await storedOrderOf(root))?.[0]).toBe(CAROL);
      const state = readRotationState(join(cacheDir, "rotation-state.json"));
      expect(state.agents.main?.job?.outcome).toBe("applied");
      // alice and bob are both limited until about the same second: their relative order is not asserted.
      expect(state.agents.main?.job?.order.slice(0, 2)).toEqual([CAROL, DAVE]);
    },
    SLOW,
  );
});

describe("the auto-switch job in a real Gateway", () => {
  let gateway: ChildProcess | null = null;

  beforeAll(async () => {
    const port = await freePort();
    const current = JSON.parse(readFileSync(join(root.stateDir, "openclaw.json"), "utf8")) as Record<string, unknown>;
    writeBaseConfig(root, {
      gateway: { mode: "local", port, auth: { token: "cxp-rotation-test-token-0123456789" } },
      ...quietGatewayConfig(current),
    });
    gateway = spawn(NODE24, [OPENCLAW_CLI, "gateway", "run", "--port", String(port), "--bind", "loopback"], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("gateway not ready in 90 s")), 90_000);
      gateway?.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("[gateway] ready")) {
          clearTimeout(timer);
          resolve();
        }
      });
      gateway?.on("exit", (code) => reject(new Error(`gateway exited ${code}`)));
    });
  }, 120_000);

  afterAll(async () => {
    if (!gateway || gateway.exitCode !== null) return;
    const exited = new Promise((resolve) => gateway?.on("exit", resolve));
    gateway.kill("SIGTERM");
    const timer = setTimeout(() => gateway?.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(timer);
  });

  it("install needs --yes, then adds one command job; a second install updates it in place", async () => {
    expect((await rotate("job", "install")).code).toBe(4);
    const rt = await rotate("job", "install", "--yes", "--quiet", "--format", "json");
    expect(rt.code, JSON.stringify(rt.json) + rt.err.join("\n")).toBe(0);
    const job = (
      rt.json[0] as { job: { id: string; payload: { kind: string; argv: string[] }; schedule: { everyMs: number } } }
    ).job;
    expect(job.payload).toEqual({
      kind: "command",
      argv: [
        join(PROJECT_ROOT, "scripts/codex_rotate"),
        ...["job", "run", "--agent", "main", "--policy", "expiry-first", "--margin", "15"],
      ],
      timeoutSeconds: 180,
    });
    expect(job.schedule.everyMs).toBe(600_000);
    const again = await rotate("job", "install", "--yes", "--quiet", "--format", "json");
    expect((again.json[0] as { job: { id: string } }).job.id).toBe(job.id);
  }, 400_000);

  it("the Gateway runs the job: it reads usage, records its decision and prints NO_REPLY", async () => {
    const status = await rotate("job", "status", "--format", "json");
    const id = (status.json[0] as { job: { id: string } }).job.id;
    rmSync(join(cacheDir, "rotation-state.json"), { force: true });
    const res = await runOpenclaw(["cron", "run", id, "--wait", "--wait-timeout", "120s", "--json"], root, 150_000);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toContain('"completionStatus": "succeeded"');
    expect(res.stdout).toContain("NO_REPLY");
    expectNoSecrets([res.stdout, res.stderr], SECRETS);
    const state = readRotationState(join(cacheDir, "rotation-state.json"));
    expect(state.agents.main?.job).toMatchObject({ outcome: "kept", signature: "ok", message: null });
    expect(state.agents.main?.job?.order[0]).toBe(CAROL);
  }, 400_000);

  it("remove takes it out through openclaw cron", async () => {
    expect((await rotate("job", "remove", "--yes")).out).toEqual(["Removed the auto-switch job."]);
    expect((await rotate("job", "status")).out).toEqual([
      "Auto-switch job not installed.",
      expect.stringMatching(/^Last run /),
    ]);
    expect((await rotate("job", "remove", "--yes")).out).toEqual(["No auto-switch job was installed."]);
  }, 400_000);
});
