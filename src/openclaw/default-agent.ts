import { readOpenclawConfig } from "./config-file.ts";
import { DEFAULT_AGENT_ID, resolveAgent, resolveConfigPath, resolveStateDir } from "./paths.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

/**
 * The agent OpenClaw itself would use when none is named: the configured default, else the sole
 * configured agent, else `main`. A config that cannot be read leaves it at `main`.
 */
export function defaultAgentId(env: NodeJS.ProcessEnv): string {
  const stateDir = resolveStateDir(env, existsSync);
  try {
    const { roster } = readOpenclawConfig(resolveConfigPath(env, stateDir));
    const resolved = resolveAgent(roster, undefined, stateDir, env);
    return resolved.ok ? resolved.agentId : DEFAULT_AGENT_ID;
  } catch {
    return DEFAULT_AGENT_ID;
  }
}
