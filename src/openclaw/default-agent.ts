import { InputError } from "../errors/index.ts";
import { quoteInput } from "../secrets/redact.ts";
import { readOpenclawConfig } from "./config-file.ts";
import { type AgentResolution, DEFAULT_AGENT_ID, resolveAgent, resolveConfigPath, resolveStateDir } from "./paths.ts";
import { defaultAgentRuleFor } from "./version.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

const AGENT_HINT = "Pass --agent <id> (CLI), or set the plugin's agentId (chat), to say whose profiles to read.";

/** The refusal of resolveAgent as the caller's input error: an unknown agent, or one OpenClaw would not pick. */
export function agentResolutionError(res: Extract<AgentResolution, { ok: false }>, configPath: string): InputError {
  if (res.reason === "unknown_agent") {
    return new InputError(
      "unknown_agent",
      `agent ${quoteInput(res.agentId, "agent")} is not configured in ${configPath}; ` +
        `known agents: ${res.known.join(", ")}`,
      { path: configPath },
    );
  }
  return new InputError(
    "agent_required",
    `no agent named and OpenClaw would not pick one: ${res.why} (${configPath}); configured agents: ` +
      `${res.known.join(", ") || "none"}`,
    { path: configPath, hint: AGENT_HINT },
  );
}

/**
 * The agent OpenClaw itself would use when none is named (paths.ts defaultAgentChoice, under the rule of
 * `openclawVersion` when known). Throws agent_required where OpenClaw would refuse to choose; a config that
 * cannot be read leaves it at `main` (reading the profiles then reports the config).
 */
export function defaultAgentId(env: NodeJS.ProcessEnv, openclawVersion?: string): string {
  const stateDir = resolveStateDir(env, existsSync);
  const configPath = resolveConfigPath(env, stateDir);
  let config: ReturnType<typeof readOpenclawConfig>;
  try {
    config = readOpenclawConfig(configPath, { env, openclawVersion });
  } catch {
    return DEFAULT_AGENT_ID;
  }
  const rule = defaultAgentRuleFor(openclawVersion);
  const resolved = resolveAgent(config.roster, undefined, stateDir, env, undefined, rule);
  if (!resolved.ok) throw agentResolutionError(resolved, configPath);
  return resolved.agentId;
}
