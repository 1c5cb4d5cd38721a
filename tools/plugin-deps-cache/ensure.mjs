#!/usr/bin/env node
// Fills a private npm cache with exactly the project's locked runtime dependencies (metadata and tarballs),
// so that tests/e2e/plugin-install.test.ts can let OpenClaw install the plugin offline on any machine.
// `npm ci` alone never caches the registry metadata an offline install needs (issue 8).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const PLUGIN_DEPS_CACHE = join(root, ".tmp/plugin-deps-npm-cache");
const lockText = readFileSync(join(root, "package-lock.json"), "utf8");
const stamp = join(PLUGIN_DEPS_CACHE, ".codex-profiler-filled");
const digest = createHash("sha256").update(lockText).digest("hex");
if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest) process.exit(0);

const specs = Object.entries(JSON.parse(lockText).packages)
  .filter(([path, meta]) => path !== "" && !meta.dev)
  .map(([path, meta]) => `${path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length)}@${meta.version}`);
rmSync(PLUGIN_DEPS_CACHE, { recursive: true, force: true });
const npmCli = process.env.npm_execpath;
const [cmd, args] = npmCli?.endsWith(".js") ? [process.execPath, [npmCli]] : ["npm", []];
const res = spawnSync(cmd, [...args, "cache", "add", ...specs, "--cache", PLUGIN_DEPS_CACHE, "--loglevel=error"], {
  stdio: ["ignore", "inherit", "inherit"],
});
if (res.status !== 0) {
  console.error(`tools/plugin-deps-cache: npm cache add failed (exit ${res.status ?? res.signal})`);
  process.exit(1);
}
writeFileSync(stamp, digest);
console.error(`tools/plugin-deps-cache: ${specs.length} runtime packages cached for the offline plugin-install tests`);
