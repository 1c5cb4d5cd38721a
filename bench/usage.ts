/**
 * Usage-engine figures, all measured in this one run: the codex_usage CLI (as a user runs it, a
 * process) against the loopback simulator answering after 400 ms, for 1, 4, 10 and 50 profiles, at
 * the default concurrency and one request at a time; and CLI start-up (`--help`).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FixtureAccount, fixtureCredential } from "../tests/support/fixtures.ts";
import { withRunGuard } from "../tests/support/loopback-guard.ts";
import { PROJECT_ROOT } from "../tests/support/openclaw.ts";
import { startUsageSimulator } from "../tests/support/usage-simulator.ts";

const LATENCY_MS = 400;
const CLI = join(PROJECT_ROOT, "scripts/codex_usage");

function timeCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(CLI, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`exit ${code}: ${stderr}`)),
    );
  });
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

export function writeState(root: string, n: number): string {
  const stateDir = join(root, `state-${n}`);
  const agentDir = join(stateDir, "agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  const exp = Math.floor(Date.now() / 1000) + 86400 * 30;
  const profiles: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const a: FixtureAccount = {
      name: `p${i}`,
      email: `p${i}@example.com`,
      accountId: `acc-${i}`,
      userId: `user-${i}`,
      plan: "plus",
    };
    profiles[`openai:p${i}`] = fixtureCredential(a, "openai", exp);
  }
  writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles }), { mode: 0o600 });
  return stateDir;
}

/** A CLI's environment for the bench: a home, usage cache and endpoint of its own under `root`. */
export const benchEnv = (root: string, usageUrl: string): NodeJS.ProcessEnv =>
  withRunGuard({
    PATH: process.env.PATH,
    HOME: join(root, "home"),
    CODEX_PROFILER_USAGE_URL: usageUrl,
    CODEX_PROFILER_CACHE_DIR: join(root, "cache"),
  });

export default async function benchUsage(): Promise<void> {
  const sim = await startUsageSimulator({ latencyMs: LATENCY_MS });
  const root = mkdtempSync(join(tmpdir(), "cxp-bench-"));
  const base = benchEnv(root, sim.url);
  try {
    await timeCli(["--help"], base); // warms Node's compile cache, as any second run on a host
    const help: number[] = [];
    for (let i = 0; i < 15; i++) help.push(await timeCli(["--help"], base));

    console.log(`\n## Usage check: CLI wall time, simulator latency ${LATENCY_MS} ms (median of 3)`);
    console.log("profiles | concurrency 4 (default) | ratio to 1 | one at a time | ratio to 1 | requests/profile");
    const rows: Array<{ n: number; par: number; seq: number }> = [];
    for (const n of [1, 4, 10, 50]) {
      const env = { ...base, OPENCLAW_STATE_DIR: writeState(root, n) };
      sim.clearRequests();
      const par: number[] = [];
      for (let i = 0; i < 3; i++) par.push(await timeCli(["--no-cache", "--format", "json"], env));
      const perProfile = sim.requests.length / (3 * n);
      const seq = [await timeCli(["--no-cache", "--format", "json", "--concurrency", "1"], env)];
      if (n <= 10)
        for (let i = 0; i < 2; i++)
          seq.push(await timeCli(["--no-cache", "--format", "json", "--concurrency", "1"], env));
      rows.push({ n, par: median(par), seq: median(seq) });
      const one = rows[0] as { par: number; seq: number };
      console.log(
        `${String(n).padStart(8)} | ${median(par).toFixed(0).padStart(7)} ms | ` +
          `${(median(par) / one.par).toFixed(2)}x | ${median(seq).toFixed(0).padStart(7)} ms | ` +
          `${(median(seq) / one.seq).toFixed(2)}x | ${perProfile.toFixed(1)}`,
      );
    }
    const one = rows[0]?.par ?? NaN;
    const ratio = (n: number): number => (rows.find((r) => r.n === n)?.par ?? NaN) / one;
    console.log(
      `targets: 4 profiles ≤ 1.30x → ${ratio(4).toFixed(2)}x ${ratio(4) <= 1.3 ? "met" : "MISSED"}; 10 profiles ≤ ` +
        `2.20x → ${ratio(10).toFixed(2)}x ${ratio(10) <= 2.2 ? "met" : "MISSED"}`,
    );
    // At concurrency 4, ten profiles take ⌈10/4⌉ = 3 rounds of the endpoint's latency: the 2.2x target
    // holds only while start-up outweighs most of a round. Five at once makes it two rounds.
    const env10 = { ...base, OPENCLAW_STATE_DIR: join(root, "state-10") };
    const c5: number[] = [];
    for (let i = 0; i < 3; i++) c5.push(await timeCli(["--no-cache", "--format", "json", "--concurrency", "5"], env10));
    console.log(
      `10 profiles at --concurrency 5: ${median(c5).toFixed(0)} ms → ${(median(c5) / one).toFixed(2)}x (2 rounds ` +
        `instead of 3)`,
    );
    // A cached answer: the 4-profile state read again within the cache's minute, nothing fetched.
    const env4 = { ...base, OPENCLAW_STATE_DIR: join(root, "state-4") };
    await timeCli(["--format", "json"], env4);
    sim.clearRequests();
    const cached: number[] = [];
    for (let i = 0; i < 15; i++) cached.push(await timeCli(["--format", "json"], env4));
    const c = median(cached);
    console.log(
      `cached answer (codex_usage, 4 profiles, every reading from the cache, median of 15): ${c.toFixed(0)} ms; ` +
        `target ≤ 150 ms → ${c <= 150 ? "met" : "MISSED"}; requests sent: ${sim.requests.length}`,
    );
    // The floor under both: starting the same Node with nothing to run.
    const bare: number[] = [];
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now();
      await new Promise((r) => spawn(process.execPath, ["-e", "0"]).on("close", r));
      bare.push(performance.now() - t0);
    }
    const floor = median(bare);
    console.log(`bare Node start (node -e 0, median of 15), the floor under both: ${floor.toFixed(0)} ms`);
    const h = median(help);
    console.log(
      `CLI start (codex_usage --help, median of 15, compile cache warm): ${h.toFixed(0)} ms; target ≤ 150 ms → ` +
        `${h <= 150 ? "met" : "MISSED"}`,
    );
    // The machine's own speed moves the floor from run to run; what is ours is the part above it.
    console.log(
      `above the floor (ours: launcher, modules, work): cached answer ${(c - floor).toFixed(0)} ms, ` +
        `CLI start ${(h - floor).toFixed(0)} ms`,
    );
  } finally {
    await sim.close();
    rmSync(root, { recursive: true, force: true });
  }
}
