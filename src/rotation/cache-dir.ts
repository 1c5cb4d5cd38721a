import { homedir } from "node:os";
import { join } from "node:path";

/** The same folder rules as the usage cache: $CODEX_PROFILER_CACHE_DIR, else $XDG_CACHE_HOME/codex-profiler, else ~/.cache/codex-profiler. */
export function profilerCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_PROFILER_CACHE_DIR) return env.CODEX_PROFILER_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "codex-profiler");
  return join(env.HOME || homedir(), ".cache", "codex-profiler");
}
