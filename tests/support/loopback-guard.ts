import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Tests talk to loopback only, and so must the OpenClaw processes they start. A gateway started with
 * `loopbackGuardEnv` preloads loopback-guard-preload.cjs: every DNS lookup and socket connect beyond loopback
 * (its own and its child processes') is refused and written to the log; `expectLoopbackOnly` fails on any.
 */
const PRELOAD = join(dirname(fileURLToPath(import.meta.url)), "loopback-guard-preload.cjs");

export function loopbackGuardEnv(logFile: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const options = [env.NODE_OPTIONS, `--require=${JSON.stringify(PRELOAD)}`].filter(Boolean).join(" ");
  return { NODE_OPTIONS: options, CODEX_PROFILER_LOOPBACK_LOG: logFile };
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

/** One gateway's guard on `logFile`: what it refused, read again while the file exists and kept after. */
export function offLoopbackReader(logFile: string): () => OffLoopback[] {
  let seen: OffLoopback[] = [];
  return () => {
    if (existsSync(logFile)) seen = readOffLoopback(logFile);
    return seen;
  };
}

/**
 * OpenClaw 2026.9.6's own calls that no setting turns off (tests/e2e, 2026-12-01): refused like any other, so
 * they never leave loopback, but expected. Each is matched by host and by the OpenClaw function on its stack.
 * - the post-ready dashboard prewarm (server-startup-post-attach: listManagedPlugins) loads the hosted official
 *   plugin catalog feed from clawhub.ai, with no offline parameter from config or env;
 * - planning models.json (agents/prepared-model-catalog.worker) runs the openai plugin's live catalog, which
 *   lists the Codex models at chatgpt.com with the OAuth profile's access token.
 */
const KNOWN_REFUSED = [
  { host: "clawhub.ai", frame: "loadConfiguredHostedOfficialExternalPluginCatalogEntries" },
  { host: "chatgpt.com", frame: "buildOpenAICodexLiveProviderConfig" },
];

const isKnown = (e: OffLoopback): boolean =>
  KNOWN_REFUSED.some((k) => e.host === k.host && e.stack.some((f) => f.includes(` ${k.frame} (`)));

/** Throws, naming each host and the head of its stack, when a guarded process tried to leave loopback. */
export function expectLoopbackOnly(all: OffLoopback[] | undefined, who = "the gateway"): void {
  const seen = (all ?? []).filter((e) => !isKnown(e));
  if (seen.length === 0) return;
  const lines = seen.map(
    (e) =>
      `${e.kind} ${e.host}${e.port === null ? "" : `:${e.port}`} (pid ${e.pid}, thread ${e.threadId})\n      ${e.stack.slice(0, 16).join("\n      ")}`,
  );
  throw new Error(`${who} tried to leave loopback ${seen.length} time(s):\n  ${lines.join("\n  ")}`);
}
