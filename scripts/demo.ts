/**
 * The main job on a machine without OpenClaw: the real codex_usage CLI against the bundled loopback
 * simulator of chatgpt.com's usage endpoint and a sample OpenClaw state (four profiles, 2026.6 layout).
 * Nothing leaves 127.0.0.1 and nothing outside a temporary folder is touched.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { legacyAuthProfiles } from "../tests/support/fixtures.ts";
import { startUsageSimulator } from "../tests/support/usage-simulator.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tmp = mkdtempSync(join(tmpdir(), "codex-profiler-demo-"));
const stateDir = join(tmp, "state");
const agentDir = join(stateDir, "agents/main/agent");
mkdirSync(agentDir, { recursive: true });

const store = legacyAuthProfiles({ provider: "openai" });
writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify(store, null, 2), { mode: 0o600 });
writeFileSync(
  join(agentDir, "auth-state.json"),
  JSON.stringify(
    {
      version: 1,
      order: {
        openai: [
          "openai:bob@example.com",
          "openai:alice@example.com",
          "openai:carol@example.com",
          "openai:dave@example.com",
        ],
      },
    },
    null,
    2,
  ),
  { mode: 0o600 },
);

const sim = await startUsageSimulator({
  latencyMs: 150,
  scenarios: {
    "user-alice": { kind: "ok", fiveHourUsed: 18, weeklyUsed: 36, plan: "plus" },
    "user-bob": "limited_5h",
    "user-carol": { kind: "ok", fiveHourUsed: 55, weeklyUsed: 71 },
    "user-dave": "token_invalidated",
  },
});

const env = {
  ...process.env,
  OPENCLAW_STATE_DIR: stateDir,
  CODEX_PROFILER_USAGE_URL: sim.url,
  CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"),
};

try {
  console.log(`codex-profiler demo: usage endpoint simulated at ${sim.origin}, sample OpenClaw state in ${stateDir}`);
  await run(["--format", "text"]);
  // The second run is served from the 60 s cache: no request reaches the endpoint.
  await run(["--profile", "default", "--format", "json"]);
} finally {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
}

/** The CLI runs as a child while this process keeps serving the simulator, so never spawnSync here. */
async function run(args: string[]): Promise<void> {
  console.log(`\n$ codex_usage ${args.join(" ")}`);
  const child = spawn(join(root, "scripts/codex_usage"), args, { env, stdio: ["ignore", "inherit", "inherit"] });
  const code = await new Promise<number | null>((done) => child.on("close", done));
  console.log(`(exit ${code})`);
}
