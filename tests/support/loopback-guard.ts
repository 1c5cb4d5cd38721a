import { copyFileSync, existsSync, readFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests talk to loopback only, and so must the OpenClaw processes they start. A gateway started with
 * `loopbackGuardEnv` preloads loopback-guard-preload.cjs: every DNS lookup and socket connect beyond loopback
 * (its own and its child processes') is refused and written to the log; `expectLoopbackOnly` fails on any.
 */
const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), "loopback-guard-preload.cjs");

export function loopbackGuardEnv(logFile: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const guard = `--require=${JSON.stringify(PRELOAD)}`;
  const options = env.NODE_OPTIONS?.includes(guard)
    ? env.NODE_OPTIONS
    : [env.NODE_OPTIONS, guard].filter(Boolean).join(" ");
  return { NODE_OPTIONS: options, CODEX_PROFILER_LOOPBACK_LOG: logFile };
}

/**
 * `env` under the guard of this vitest run (tests/support/loopback-run.ts: the workers and every child that
 * inherits process.env carry it), for a child whose environment is built from scratch. Outside a guarded run
 * (a bench run), `env` as it is.
 */
export function withRunGuard<T extends NodeJS.ProcessEnv>(env: T): T {
  const log = process.env.CODEX_PROFILER_LOOPBACK_LOG;
  return log === undefined ? env : { ...env, ...loopbackGuardEnv(log, env) };
}

export interface OffLoopback {
  kind: string;
  host: string;
  port: number | null;
  pid: number;
  threadId: number;
  stack: string[];
}

export function readOffLoopback(logFile: string): OffLoopback[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as OffLoopback);
}

/**
 * One gateway's guard on `logFile`: what it refused, read again while the file exists and kept after. With
 * CODEX_PROFILER_LOOPBACK_KEEP set, a copy goes to the run's log directory (kept, and summed up by its teardown).
 */
export function offLoopbackReader(logFile: string): () => OffLoopback[] {
  let seen: OffLoopback[] = [];
  const keepIn =
    process.env.CODEX_PROFILER_LOOPBACK_KEEP === undefined ? undefined : process.env.CODEX_PROFILER_LOOPBACK_DIR;
  return () => {
    if (!existsSync(logFile)) return seen;
    seen = readOffLoopback(logFile);
    if (keepIn !== undefined)
      copyFileSync(logFile, join(keepIn, `gateway-${basename(dirname(logFile))}.0.jsonl.checked`));
    return seen;
  };
}

/**
 * OpenClaw 2026.9.6's own calls that no setting turns off (tests/e2e, 2026-12-01): refused like any other, so
 * they never leave loopback, but expected. Each is matched by host and by the OpenClaw function on its stack.
 * - the post-ready dashboard prewarm (server-startup-post-attach: listManagedPlugins) loads the hosted official
 *   plugin catalog feed from clawhub.ai, with no offline parameter from config or env;
 * - planning models.json (agents/prepared-model-catalog.worker) runs the openai plugin's live catalog, which
 *   lists the Codex models at chatgpt.com with the OAuth profile's access token;
 * - `models auth login` for openai-codex (loginOpenAICodexOAuth) first GETs auth.openai.com's authorize page to
 *   check the TLS certificates, unconditionally; only a certificate error stops the login, a refused connect
 *   goes on to the authorize URL as offline (tests/integration/models-auth-real-login.test.ts).
 */
const KNOWN_REFUSED = [
  { host: "clawhub.ai", frame: "loadConfiguredHostedOfficialExternalPluginCatalogEntries" },
  { host: "chatgpt.com", frame: "buildOpenAICodexLiveProviderConfig" },
  { host: "auth.openai.com", frame: "runOpenAIOAuthTlsPreflight" },
];

// OpenClaw's installs (its CLI, the older releases, the channel plugins) and Node's own frames. A refused call
// whose stack holds nothing else is OpenClaw's own: expected too, and named by its first OpenClaw function. Two CI
// runs under load (2026-12-01) failed on such calls to chatgpt.com that no quiet run makes; a call with any
// other frame (this project's code, its ky, a test) still fails, and the fetch guard keeps a fetch's caller.
const TOOLS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "tools");
const OPENCLAW_TREES = ["openclaw-cli", "openclaw-eras", "channel-plugins"].map((d) => join(TOOLS, d, "/"));
const isOpenClawFrame = (f: string): boolean => OPENCLAW_TREES.some((tree) => f.includes(tree));
const isNodeFrame = (f: string): boolean => /\((node:|<anonymous>\)|native\))|^\s*at node:/.test(f);
const functionOf = (frame: string): string =>
  /^\s*at (?:async )?(.+?) \(/.exec(frame)?.[1] ?? /([^/]+):\d+:\d+\)?$/.exec(frame)?.[1] ?? "anonymous";

/** The OpenClaw function `e` is expected from: a KNOWN_REFUSED entry's, or the first of OpenClaw's own call. */
export function knownFrameOf(e: OffLoopback): string | undefined {
  const listed = KNOWN_REFUSED.find((k) => e.host === k.host && e.stack.some((f) => f.includes(` ${k.frame} (`)));
  if (listed !== undefined) return listed.frame;
  const own = e.stack.filter(isOpenClawFrame);
  if (own.length === 0 || !e.stack.every((f) => isOpenClawFrame(f) || isNodeFrame(f))) return undefined;
  return `OpenClaw's own: ${functionOf(own.find((f) => !f.includes("/node_modules/undici/")) ?? own[0]!)}`;
}

const isKnown = (e: OffLoopback): boolean => knownFrameOf(e) !== undefined;

/** What `expectLoopbackOnly` fails on, one entry a line: host and the head of its stack. */
export function describeOffLoopback(all: OffLoopback[] | undefined): string[] {
  return (all ?? [])
    .filter((e) => !isKnown(e))
    .map(
      (e) =>
        `${e.kind} ${e.host}${e.port === null ? "" : `:${e.port}`} (pid ${e.pid}, thread ${e.threadId})\n` +
        `      ${e.stack.slice(0, 30).join("\n      ")}`,
    );
}

/** Throws, naming each host and the head of its stack, when a guarded process tried to leave loopback. */
export function expectLoopbackOnly(all: OffLoopback[] | undefined, who = "the gateway"): void {
  const lines = describeOffLoopback(all);
  if (lines.length === 0) return;
  throw new Error(`${who} tried to leave loopback ${lines.length} time(s):\n  ${lines.join("\n  ")}`);
}
