import { spawnSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRunGuard } from "../support/loopback-guard.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

// The launcher as installed on a host: scripts/ beside src/, no node_modules/.bin/node of ours.
let host: string;
let bin: string;
/** PATH with bash and nothing else: no node of the machine's own gets in. */
let sys: string;

/** A `node` that answers --version with `version`, records its argv, and hands the run to the real Node. */
function fakeNode(name: string, version: string): string {
  const path = join(bin, name);
  writeFileSync(
    path,
    `#!/usr/bin/env bash\n[ "$1" = --version ] && { echo ${version}; exit 0; }\n` +
      `echo "$@" > "${path}.args"\nexec "${process.execPath}" "$@"\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

function run(env: NodeJS.ProcessEnv) {
  const r = spawnSync(join(host, "scripts/codex_usage"), ["--help"], {
    env: withRunGuard({ HOME: host, ...env }),
    encoding: "utf8",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  host = mkdtempSync(join(tmpdir(), "cxp-node-run-"));
  mkdirSync(join(host, "scripts"));
  for (const f of ["codex_usage", "node-run", "strip-types.mjs"])
    copyFileSync(join(PROJECT_ROOT, "scripts", f), join(host, "scripts", f));
  symlinkSync(join(PROJECT_ROOT, "src"), join(host, "src"));
  bin = join(host, "bin");
  mkdirSync(bin);
  sys = join(host, "sys");
  mkdirSync(sys);
  const bash = spawnSync("bash", ["-c", "command -v bash"], { encoding: "utf8" }).stdout.trim();
  symlinkSync(bash, join(sys, "bash"));
});

afterAll(() => rmSync(host, { recursive: true, force: true }));

describe("scripts/node-run on a host without the project's own Node", () => {
  it("takes $CODEX_PROFILER_NODE when it is new enough", () => {
    const r = run({ PATH: sys, CODEX_PROFILER_NODE: fakeNode("node24", "v24.1.0") });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: codex_usage");
    expect(readFileSync(join(bin, "node24.args"), "utf8")).toMatch(
      /^--import \S+\/strip-types\.mjs --disable-warning=ExperimentalWarning \S+codex-usage\.ts --help$/m,
    );
  });

  it("switches type stripping on for Node 22.6-22.17 found on PATH", () => {
    const dir = join(bin, "path22");
    mkdirSync(dir);
    const old = fakeNode("too-old", "v20.11.0");
    copyFileSync(fakeNode("node22", "v22.10.0"), join(dir, "node"));
    chmodSync(join(dir, "node"), 0o755);
    const r = run({ PATH: `${dir}:${sys}`, CODEX_PROFILER_NODE: old });
    expect(r.code).toBe(0);
    expect(readFileSync(join(bin, "node22.args"), "utf8")).toMatch(
      /^--experimental-strip-types .*codex-usage\.ts --help$/m,
    );
  });

  it("refuses with exit 2 when no Node is new enough", () => {
    const r = run({ PATH: sys, CODEX_PROFILER_NODE: fakeNode("node18", "v18.19.0") });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("codex-profiler needs Node >= 22.6");
    expect(r.stdout).toBe("");
  });
});

describe("the three scripts where HOME is unset (cron, systemd, env -i)", () => {
  it("each starts, its compile cache under the password file's home", () => {
    const node = join(bin, "node-cache-dir");
    writeFileSync(
      node,
      `#!/usr/bin/env bash\n[ "$1" = --version ] && { echo v24.1.0; exit 0; }\necho "$NODE_COMPILE_CACHE"\n`,
    );
    chmodSync(node, 0o755);
    for (const script of ["codex_usage", "codex_auth", "codex_rotate"]) {
      const r = spawnSync(join(PROJECT_ROOT, "scripts", script), ["--help"], {
        env: { PATH: sys, CODEX_PROFILER_NODE: node },
        encoding: "utf8",
      });
      expect([script, r.status, r.stderr]).toEqual([script, 0, ""]);
      expect(r.stdout.trim()).toBe(join(userInfo().homedir, ".cache/codex-profiler/node-compile-cache"));
    }
  });
});

/** The scripts and src as `openclaw plugins install` lays them out at `pkg`: real files, not links. */
function installAt(pkg: string): string {
  mkdirSync(join(pkg, "scripts"), { recursive: true });
  for (const f of ["codex_usage", "node-run", "strip-types.mjs"])
    copyFileSync(join(PROJECT_ROOT, "scripts", f), join(pkg, "scripts", f));
  cpSync(join(PROJECT_ROOT, "src"), join(pkg, "src"), { recursive: true });
  return pkg;
}

describe("scripts/node-run where OpenClaw installs an npm pack: under node_modules", () => {
  it("runs the TypeScript there, where Node itself refuses to strip types", () => {
    // <state>/npm/projects/codex-profiler/node_modules/codex-profiler, as openclaw 2026.9.6 installs it; real
    // files, not a link (Node would follow a link out of node_modules).
    const pkg = installAt(join(host, "npm/projects/codex-profiler/node_modules/codex-profiler"));
    const node = fakeNode("node24-nm", "v24.1.0");
    for (const cwd of [host, join(pkg, "scripts")]) {
      const entry = cwd === host ? join(pkg, "scripts/codex_usage") : "./codex_usage";
      const r = spawnSync(entry, ["--help"], {
        cwd,
        env: withRunGuard({ HOME: host, PATH: sys, CODEX_PROFILER_NODE: node }),
        encoding: "utf8",
      });
      expect(r.stderr).toBe("");
      expect([r.status, r.stdout]).toEqual([0, expect.stringContaining("Usage: codex_usage")]);
    }
  });

  it("runs there whatever characters the state folder's path holds (#, %, ?, a space)", () => {
    const pkg = installAt(join(host, "C# 100% ?x y/npm/projects/codex-profiler/node_modules/codex-profiler"));
    const r = spawnSync(join(pkg, "scripts/codex_usage"), ["--help"], {
      env: withRunGuard({ HOME: host, PATH: sys, CODEX_PROFILER_NODE: fakeNode("node24-odd", "v24.1.0") }),
      encoding: "utf8",
    });
    expect(r.stderr).toBe("");
    expect([r.status, r.stdout]).toEqual([0, expect.stringContaining("Usage: codex_usage")]);
  });
});
