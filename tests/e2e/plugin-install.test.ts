import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  makeOpenclawRoot,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
  runOpenclaw,
  writeBaseConfig,
} from "../support/openclaw.ts";

/**
 * The package installs into a real OpenClaw 2026.9.6 the two ways users do it, and the runtime
 * inspection lists both commands. Offline: runtime dependencies come from a private npm cache that npm's
 * pretest fills with exactly the locked runtime dependencies (tools/plugin-deps-cache), so a fresh machine
 * with an empty npm cache passes too; each root has its own empty HOME.
 *
 * The -l case links a clean copy of the package (the npm pack contents plus `npm ci --omit=dev` from the
 * project's lockfile, as the README tells developers),
 * not this checkout: the checkout also holds tools/openclaw-cli/node_modules/openclaw, whose nested
 * packages OpenClaw's install records as conflicting children of the plugin (exit 1, although the link
 * is saved and the plugin loads).
 */
interface Inspected {
  plugin: { id: string; status: string; commands: string[]; source: string; rootDir: string; error?: string };
}

async function inspect(root: OpenclawRoot): Promise<Inspected> {
  const res = await runOpenclaw(["plugins", "inspect", "codex-profiler", "--runtime", "--json"], root, 240_000);
  expect(res.code, res.stderr.slice(-800)).toBe(0);
  return JSON.parse(res.stdout) as Inspected;
}

describe("openclaw plugins install + inspect", () => {
  const roots: OpenclawRoot[] = [];
  let packDir: string;
  let tarball: string;
  let npmCache: string;

  beforeAll(() => {
    packDir = mkdtempSync(join(tmpdir(), "cxp-pack-"));
    const packed = spawnSync("npm", ["pack", "--silent", "--pack-destination", packDir], {
      cwd: PROJECT_ROOT,
      encoding: "utf8",
    });
    expect(packed.status, packed.stderr).toBe(0);
    tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz"))!);
    npmCache = join(PROJECT_ROOT, ".tmp/plugin-deps-npm-cache");
    expect(existsSync(npmCache), "npm's pretest fills the private cache (tools/plugin-deps-cache/ensure.mjs)").toBe(
      true,
    );
  });

  afterAll(() => {
    for (const r of roots) removeRoot(r);
    if (packDir) rmSync(packDir, { recursive: true, force: true });
  });

  const freshRoot = () => {
    const r = makeOpenclawRoot("cxp-install-");
    writeBaseConfig(r);
    r.env.npm_config_cache = npmCache;
    r.env.npm_config_offline = "true";
    roots.push(r);
    return r;
  };

  it("installs the npm pack archive (JS entry peer + runtime deps) and inspect lists both commands", async () => {
    const root = freshRoot();
    const installed = await runOpenclaw(
      ["plugins", "install", `npm-pack:${tarball}`, "--force", "--accept-capabilities"],
      root,
      240_000,
    );
    expect(installed.code, installed.stdout + installed.stderr).toBe(0);
    expect(installed.stdout).toContain("Installed plugin: codex-profiler");
    const { plugin } = await inspect(root);
    expect(plugin.status).toBe("loaded");
    expect(plugin.commands).toEqual(expect.arrayContaining(["codex_usage", "codex_auth"]));
    // The CLIs the skill runs, where this install put them (under node_modules): the host's node on PATH.
    expect(plugin.rootDir).toContain("/node_modules/");
    for (const cli of ["codex_usage", "codex_auth", "codex_rotate"]) {
      const r = spawnSync(join(plugin.rootDir, "scripts", cli), ["--help"], { env: root.env, encoding: "utf8" });
      expect([r.status, r.stderr]).toEqual([0, ""]);
      expect(r.stdout).toContain(`Usage: ${cli}`);
    }
  }, 480_000);

  it("links a source copy with -l (development) and inspect lists both commands", async () => {
    const root = freshRoot();
    const extracted = spawnSync("tar", ["-xzf", tarball, "-C", root.root], { encoding: "utf8" });
    expect(extracted.status, extracted.stderr).toBe(0);
    const source = join(root.root, "package");
    copyFileSync(join(PROJECT_ROOT, "package-lock.json"), join(source, "package-lock.json"));
    const deps = spawnSync("npm", ["ci", "--omit=dev", "--offline", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: source,
      encoding: "utf8",
      env: { ...process.env, npm_config_cache: npmCache },
    });
    expect(deps.status, deps.stderr).toBe(0);
    const refused = await runOpenclaw(["plugins", "install", "-l", source, "--force"], root, 240_000);
    expect(refused.code).not.toBe(0); // capability consent is required non-interactively
    const linked = await runOpenclaw(
      ["plugins", "install", "-l", source, "--force", "--accept-capabilities"],
      root,
      240_000,
    );
    expect(linked.code, linked.stdout + linked.stderr).toBe(0);
    const { plugin } = await inspect(root);
    expect(plugin.status).toBe("loaded");
    expect(plugin.source.startsWith(source)).toBe(true);
    expect(plugin.commands).toEqual(expect.arrayContaining(["codex_usage", "codex_auth"]));
  }, 480_000);
});
