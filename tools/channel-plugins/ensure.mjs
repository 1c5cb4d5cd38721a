#!/usr/bin/env node
// Builds, once per machine and spec list, a template OpenClaw state with the fixture accounts and the
// Discord and Slack channel plugins installed as TRUSTED (`openclaw plugins install npm:<spec> --pin`,
// from the npm registry). Tests copy its state per run (tests/support/channel-state.ts); no test talks
// to npm. It is built in place: the install records hold the absolute install path, so the copies load
// the plugin code from here (a record pointing at a missing folder makes the gateway "repair" it from npm).
// The accounts come from the fixture template of tests/support/openclaw.ts, imported BEFORE the install:
// `openclaw doctor --fix` on a state with npm-installed plugins asks the registry (`npm view …`).
// Needs the openclaw harness (tools/openclaw-cli/ensure.mjs runs first in pretest).
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CHANNEL_PLUGIN_SPECS,
  channelPluginsTemplateDir,
  channelPluginsTemplateStamp,
  NODE24,
  OPENCLAW_CLI,
  PROJECT_ROOT,
} from "./template.mjs";

if (!existsSync(NODE24) || !existsSync(OPENCLAW_CLI)) {
  console.error(
    "tools/channel-plugins: the openclaw harness is missing; run node tools/openclaw-cli/ensure.mjs first.",
  );
  process.exit(1);
}
const profileTemplate = fixtureTemplate();
const finalDir = channelPluginsTemplateDir(profileTemplate);
if (channelPluginsTemplateStamp(finalDir)) process.exit(0);

const lock = `${finalDir}.lock`;
try {
  writeFileSync(lock, String(process.pid), { flag: "wx" });
} catch {
  console.error(`tools/channel-plugins: another build holds ${lock} (remove it if no build is running).`);
  process.exit(1);
}
process.on("exit", () => rmSync(lock, { force: true }));
// A folder without the stamp is a build that did not finish: start over.
rmSync(finalDir, { recursive: true, force: true });
const build = finalDir;
mkdirSync(build, { recursive: true });
cpSync(join(profileTemplate, "home"), join(build, "home"), { recursive: true });
cpSync(join(profileTemplate, "state"), join(build, "state"), { recursive: true });
const configPath = join(build, "state", "openclaw.json");
const config = JSON.parse(readFileSync(configPath, "utf8"));
writeFileSync(
  configPath,
  JSON.stringify({ ...config, logging: { ...config.logging, file: join(build, "install.log") } }, null, 2),
);

// npm's own lifecycle variables (npm_config_prefix, npm_config_cache, …) would steer the npm that openclaw
// runs; drop them and give it an empty private cache, as on a fresh machine. The rest of the environment
// stays (proxy and CA settings live there).
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
Object.assign(env, {
  HOME: join(build, "home"),
  OPENCLAW_STATE_DIR: join(build, "state"),
  npm_config_cache: join(build, "npm-cache"),
  npm_config_update_notifier: "false",
  PATH: `${dirname(NODE24)}:${process.env.PATH ?? ""}`,
  NO_COLOR: "1",
  OPENCLAW_NO_AUTO_UPDATE: "1",
});

const started = Date.now();
const timings = {};
for (const spec of CHANNEL_PLUGIN_SPECS) {
  console.error(
    `tools/channel-plugins: openclaw plugins install npm:${spec} (from the npm registry, once; minutes on 2 CPUs)…`,
  );
  const t0 = Date.now();
  const res = spawnSync(NODE24, [OPENCLAW_CLI, "plugins", "install", `npm:${spec}`, "--pin"], {
    env,
    encoding: "utf8",
    timeout: 15 * 60_000,
  });
  timings[spec] = Math.round((Date.now() - t0) / 1000);
  if (res.status !== 0 || !/Installed plugin:/.test(res.stdout)) {
    console.error(
      `tools/channel-plugins: installing ${spec} failed (exit ${res.status ?? res.signal}):`,
      (res.stdout + res.stderr).slice(-3000),
    );
    rmSync(build, { recursive: true, force: true });
    process.exit(1);
  }
}
rmSync(join(build, "npm-cache"), { recursive: true, force: true });

const bytes = duBytes(join(build, "state", "npm"));
const seconds = Math.round((Date.now() - started) / 1000);
const stamp = {
  specs: CHANNEL_PLUGIN_SPECS,
  seconds,
  timings,
  bytes,
  builtAt: new Date().toISOString(),
  profileTemplate: basename(profileTemplate),
};
writeFileSync(join(build, "ready"), JSON.stringify(stamp, null, 2));
console.error(
  `tools/channel-plugins: ${CHANNEL_PLUGIN_SPECS.join(", ")} installed as trusted`,
  `in ${seconds} s (${(bytes / 1e6).toFixed(0)} MB)`,
);

/** The fixture-account template (built by `openclaw doctor --fix` on first use, offline), via its TS helper. */
function fixtureTemplate() {
  const helper = pathToFileURL(join(PROJECT_ROOT, "tests/support/openclaw.ts")).href;
  const script = [
    `const { templateStateDir } = await import(${JSON.stringify(helper)});`,
    "process.stdout.write(await templateStateDir());",
  ].join("\n");
  const res = spawnSync(NODE24, ["--input-type=module", "-e", script], {
    cwd: PROJECT_ROOT,
    encoding: "utf8",
    timeout: 10 * 60_000,
  });
  if (res.status !== 0 || !existsSync(join(res.stdout, "ready"))) {
    console.error(`tools/channel-plugins: building the fixture template failed:\n${res.stderr.slice(-2000)}`);
    process.exit(1);
  }
  return res.stdout;
}

function duBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += duBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}
