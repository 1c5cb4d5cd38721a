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
const packages = Object.entries(JSON.parse(lockText).packages)
  .filter(([path, meta]) => path !== "" && !meta.dev)
  .map(([path, meta]) => ({ name: path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length), ...meta }));

// What an offline install asks the cache for: each package's metadata and its tarball, by npm's request keys
// (under the registry npm uses here: npm hands a lifecycle script its config, a mirror included).
const REGISTRY = (process.env.npm_config_registry ?? "https://registry.npmjs.org/").replace(/\/?$/, "/");
const inCache = (url) => {
  const h = createHash("sha256").update(`make-fetch-happen:request-cache:${url}`).digest("hex");
  return existsSync(join(PLUGIN_DEPS_CACHE, "_cacache/index-v5", h.slice(0, 2), h.slice(2, 4), h.slice(4)));
};
const complete = () =>
  packages.every(
    ({ name, version }) =>
      inCache(`${REGISTRY}${name.replace("/", "%2f")}`) &&
      inCache(`${REGISTRY}${name}/-/${name.slice(name.lastIndexOf("/") + 1)}-${version}.tgz`),
  );
// The stamp alone once said "filled" over a cache that had lost its entries: the entries are checked too.
if (existsSync(stamp) && readFileSync(stamp, "utf8") === digest && complete()) process.exit(0);

const specs = packages.map(({ name, version }) => `${name}@${version}`);
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
if (!complete()) {
  console.error("tools/plugin-deps-cache: npm cache add left packages out of the cache");
  process.exit(1);
}
writeFileSync(stamp, digest);
console.error(`tools/plugin-deps-cache: ${specs.length} runtime packages cached for the offline plugin-install tests`);
