import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { fakeOpenclawPerTest } from "../support/fake-openclaw.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

/**
 * Ctrl-C during a confirmed change, through the real script against a fake `openclaw` whose `order set` takes
 * 3 s to write (as the real CLI's start-up does). openclaw runs in its own process group, so the terminal's
 * SIGINT reaches only codex_auth.
 */
const A = "openai:alice@example.com";
const B = "openai:bob@example.com";
const fake = fakeOpenclawPerTest();

function start(env: NodeJS.ProcessEnv): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(
    join(PROJECT_ROOT, "scripts", "codex_auth"),
    ["order", "set", B, A, "--yes", "--format", "text"],
    { env: { ...env, PATH: `${dirname(process.execPath)}:${env.PATH}` }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exit: new Promise((resolve) => child.on("close", resolve)) };
}

async function whenSetStarts(calls: () => string[][]): Promise<void> {
  while (!calls().some((c) => c.join(" ").includes("order set"))) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 300));
}

describe("codex_auth interrupted mid-change", () => {
  it("one Ctrl-C: the change is finished and verified, and it says so", async () => {
    const f = fake({ setDelayMs: 3_000 }, { profiles: [A, B], order: [A, B] });
    const run = start(f.env);
    await whenSetStarts(f.calls);
    run.child.kill("SIGINT");
    expect(await run.exit, run.output()).toBe(0);
    expect(run.output()).toContain("interrupted: the change under way is finished and verified first");
    expect(run.output()).toMatch(/verified/i);
    expect(f.state().order).toEqual([B, A]);
    // The verify read came after the write.
    expect(f.calls().findLastIndex((c) => c.includes("get"))).toBeGreaterThan(
      f.calls().findIndex((c) => c.includes("set")),
    );
  }, 60_000);

  it("a second Ctrl-C stops it at once, openclaw's write with it, and says what to check", async () => {
    const f = fake({ setDelayMs: 3_000 }, { profiles: [A, B], order: [A, B] });
    const run = start(f.env);
    await whenSetStarts(f.calls);
    run.child.kill("SIGINT");
    await new Promise((r) => setTimeout(r, 200));
    run.child.kill("SIGINT");
    expect(await run.exit, run.output()).toBe(130);
    expect(run.output()).toContain(
      "stopped; the change may or may not have been applied: check with `codex_auth status`",
    );
    await new Promise((r) => setTimeout(r, 4_000)); // past the fake's write, had it gone on
    expect(f.state().order).toEqual([A, B]);
  }, 60_000);
});
