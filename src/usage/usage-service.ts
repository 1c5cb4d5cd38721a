import type { Logger } from "../log/logger.ts";
import type { UsageReport } from "./types.ts";

/** What one /codex_usage or `codex_usage` run asks for. */
export interface UsageCheckOptions {
  /** "all" | "default" | a full profile id | a label | a 1-based number from the profile list. */
  selection: string;
  agentId?: string;
  /** One explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string;
  timeoutSec?: number;
  retries?: number;
  concurrency?: number;
  useCache?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  logger?: Logger;
}

export async function runUsageCheck(_options: UsageCheckOptions): Promise<UsageReport> {
  throw new Error("runUsageCheck: not implemented yet");
}
