import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { legacyAuthProfiles } from "../support/fixtures.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

/**
 * Parts of a state this user may not reach (mode 000; as root the read runs as nobody, which must reach this
 * checkout to run at all): said as such, never as "no store, log in first" or as a file to fix.
 */
const PROFILES = join(PROJECT_ROOT, "src/profiles/index.ts");
const asRoot = process.getuid?.() === 0;
const other = asRoot ? { uid: 65534, gid: 65534 } : {};
const canRun =
  spawnSync(process.execPath, ["-e", "require('node:fs').readFileSync(process.argv[1])", PROFILES], other).status === 0;
if (!canRun) console.warn("skipped: unreachable parts of a state (nobody cannot reach this checkout)");

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function state(): { root: string; stateDir: string } {
  const root = mkdtempSync(join(tmpdir(), "cxp-unreachable-"));
  roots.push(root);
  chmodSync(root, 0o755);
  const stateDir = join(root, "state");
  mkdirSync(join(stateDir, "agents/main/agent"), { recursive: true });
  writeFileSync(join(stateDir, "agents/main/agent/auth-profiles.json"), JSON.stringify(legacyAuthProfiles()));
  return { root, stateDir };
}

function loadAsOther(stateDir: string): { code?: string; message?: string } {
  const script =
    `import { loadProfileSet } from ${JSON.stringify(pathToFileURL(PROFILES).href)};\n` +
    `try { await loadProfileSet({ env: { OPENCLAW_STATE_DIR: ${JSON.stringify(stateDir)}, HOME: "/nonexistent" } });` +
    ` console.log("{}"); } catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
  const res = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", ...other });
  expect(res.status, res.stderr.slice(0, 400)).toBe(0);
  return JSON.parse(res.stdout) as never;
}

describe.skipIf(!canRun)("parts of a state this user may not reach", () => {
  it("a config it may not read: config_invalid saying so, and to run as OpenClaw's user", () => {
    const { stateDir } = state();
    writeFileSync(join(stateDir, "openclaw.json"), "{}", { mode: 0o000 });
    const failed = loadAsOther(stateDir);
    expect(failed.code).toBe("config_invalid");
    expect(failed.message).toContain("(unreadable: EACCES); run as OpenClaw's user");
  });

  it("an agent folder it may not enter: store_unreadable naming it, not store_not_found", () => {
    const { stateDir } = state();
    chmodSync(join(stateDir, "agents/main"), 0o000);
    const failed = loadAsOther(stateDir);
    expect(failed).toMatchObject({ code: "store_unreadable", message: expect.stringContaining("(EACCES)") });
    expect(failed.message).toContain(join(stateDir, "agents/main/agent"));
  });
});
