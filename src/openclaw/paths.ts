import { join, resolve } from "node:path";

const { homedir } = process.getBuiltinModule("node:os");

/**
 * Where OpenClaw keeps its state, found the way OpenClaw 2026.x does (dist/home-dir, paths, agent-scope-config):
 * - home: $OPENCLAW_HOME, else $HOME, else the OS home;
 * - state dir: $OPENCLAW_STATE_DIR (~ expanded), else <home>/.openclaw, or the legacy <home>/.clawdbot only when
 *   it exists and .openclaw does not;
 * - config: $OPENCLAW_CONFIG_PATH, else <state>/openclaw.json;
 * - agent dir: the configured agentDir (~ expanded), else <state>/agents/<id>/agent.
 * Everything here is pure: it takes the environment and a file-existence probe.
 */
export type Env = Readonly<Record<string, string | undefined>>;
export type ExistsProbe = (path: string) => boolean;

export const DEFAULT_AGENT_ID = "main";

const nonBlank = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

export function resolveHomeDir(env: Env, osHome: () => string = homedir): string {
  const explicit = nonBlank(env.OPENCLAW_HOME);
  if (explicit) return resolve(expandTilde(explicit, nonBlank(env.HOME) ?? osHome()));
  return resolve(nonBlank(env.HOME) ?? osHome());
}

function expandTilde(input: string, home: string): string {
  if (input === "~") return home;
  if (input.startsWith("~/")) return join(home, input.slice(2));
  return input;
}

/** `~` and `~/x` expand against OpenClaw's home; relative paths resolve against the working directory. */
export function resolveUserPath(input: string, env: Env, osHome: () => string = homedir): string {
  const trimmed = input.trim();
  const expanded =
    trimmed === "~" || trimmed.startsWith("~/") ? expandTilde(trimmed, resolveHomeDir(env, osHome)) : trimmed;
  return resolve(expanded);
}

export function resolveStateDir(env: Env, exists: ExistsProbe, osHome: () => string = homedir): string {
  const explicit = nonBlank(env.OPENCLAW_STATE_DIR);
  if (explicit) return resolveUserPath(explicit, env, osHome);
  const home = resolveHomeDir(env, osHome);
  const current = join(home, ".openclaw");
  const legacy = join(home, ".clawdbot");
  if (!exists(current) && exists(legacy)) return legacy;
  return current;
}

export function resolveConfigPath(env: Env, stateDir: string, osHome: () => string = homedir): string {
  const explicit = nonBlank(env.OPENCLAW_CONFIG_PATH);
  return explicit ? resolveUserPath(explicit, env, osHome) : join(stateDir, "openclaw.json");
}

/** OpenClaw compares agent ids case-insensitively. */
export function normalizeAgentId(id: string): string {
  return id.trim().toLowerCase();
}

/** The agents a config names, with their agentDir when set. */
export interface AgentRoster {
  /** Configured agent ids (normalized), in config order. */
  ids: string[];
  agentDirs: Record<string, string | undefined>;
  /** agents.defaults.systemAgent.agentId, or a legacy list entry marked default. */
  defaultId: string | undefined;
}

export type AgentResolution =
  | { ok: true; agentId: string; agentDir: string; configured: boolean }
  | { ok: false; agentId: string; known: string[] };

/**
 * The agent a read is for: the explicit id (which must be configured, or the implicit `main`), else the
 * configured default agent, else the sole configured agent, else `main`.
 */
export function resolveAgent(
  roster: AgentRoster,
  requested: string | undefined,
  stateDir: string,
  env: Env,
  osHome: () => string = homedir,
): AgentResolution {
  const explicit = requested === undefined ? undefined : normalizeAgentId(requested);
  let agentId: string;
  if (explicit !== undefined && explicit !== "") {
    if (!roster.ids.includes(explicit) && explicit !== DEFAULT_AGENT_ID) {
      return { ok: false, agentId: explicit, known: [...new Set([DEFAULT_AGENT_ID, ...roster.ids])] };
    }
    agentId = explicit;
  } else {
    const fallback = roster.defaultId ? normalizeAgentId(roster.defaultId) : undefined;
    agentId = fallback ?? (roster.ids.length === 1 ? roster.ids[0]! : DEFAULT_AGENT_ID);
  }
  const configuredDir = nonBlank(roster.agentDirs[agentId]);
  const agentDir = configuredDir
    ? resolveUserPath(configuredDir, env, osHome)
    : join(stateDir, "agents", agentId, "agent");
  return { ok: true, agentId, agentDir, configured: roster.ids.includes(agentId) };
}

/** The shared SQLite state database (auth from OpenClaw 2026.8.2). */
export const sharedStateDbPath = (stateDir: string): string => join(stateDir, "state", "openclaw.sqlite");

/** The per-agent SQLite database (auth from OpenClaw 2026.6.11; only the per-agent order from 2026.8.2). */
export const agentDbPath = (agentDir: string): string => join(agentDir, "openclaw-agent.sqlite");

/**
 * The shared "main" auth dir that a legacy-main shared store lives in: $OPENCLAW_AGENT_DIR, else
 * <state>/agents/main/agent (the implicit main agent, regardless of the agent being read).
 */
export function resolveSharedMainAgentDir(env: Env, stateDir: string, osHome: () => string = homedir): string {
  const configured = nonBlank(env.OPENCLAW_AGENT_DIR);
  return configured ? resolveUserPath(configured, env, osHome) : join(stateDir, "agents", DEFAULT_AGENT_ID, "agent");
}
