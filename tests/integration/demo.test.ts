import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectLoopbackOnly, loopbackGuardEnv, readOffLoopback } from "../support/loopback-guard.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

const dir = mkdtempSync(join(tmpdir(), "cxp-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npm run demo (README's first command)", () => {
  it("prints the chat lines and the JSON of the sample state, and talks to loopback only", async () => {
    const log = join(dir, "guard.jsonl");
    // npm's own update check is not the demo's: switched off, as on a CI.
    const env = { ...process.env, npm_config_update_notifier: "false" };
    const child = spawn("npm", ["run", "demo"], {
      cwd: PROJECT_ROOT,
      env: { ...env, ...loopbackGuardEnv(log, env) },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 90_000,
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));

    expect(code, out).toBe(0);
    expect(out).toMatch(/usage endpoint simulated at http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain("🟠 `bob@example.com` — 5h **0%**");
    expect(out).toContain("🔴 `dave@example.com` — auth_not_accepted_by_usage_endpoint");
    expect(out).toContain('"data": "cache"');
    expect(out.match(/\(exit 0\)/g)).toHaveLength(2);
    expectLoopbackOnly(readOffLoopback(log), "npm run demo");
    expect(readOffLoopback(log)).toEqual([]);
  });
});
