import { delimiter, join, resolve } from "node:path";

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

/**
 * OPENCLAW_INCLUDE_ROOTS as OpenClaw reads it (resolveIncludeRoots, alike in 2026.5.28 … 2026.9.6): a list split on
 * the platform's delimiter (`:`, `;` on Windows), each entry trimmed, `~` expanded, a relative one resolved against
 * the working directory; blank entries and repeats dropped. Unset or blank: none.
 */
export function resolveIncludeRoots(env: Env, osHome: () => string = homedir): string[] {
  // A Set, as OpenClaw's: the variable may list tens of thousands of folders.
  const roots = new Set<string>();
  for (const entry of env.OPENCLAW_INCLUDE_ROOTS?.trim().split(delimiter) ?? []) {
    if (entry.trim()) roots.add(resolveUserPath(entry, env, osHome));
  }
  return [...roots];
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

/**
 * An agent id as OpenClaw keys it (and names its folder agents/<id>/agent), in every release 2026.4.5 … 2026.9.6:
 * lower case, each run of other characters than a-z, 0-9, "_" and "-" one "-", no dash at either end, at most 64
 * characters; nothing left is `main`. A config entry "Work.Bot" is the agent work-bot.
 */
export function normalizeAgentId(id: string): string {
  const lower = id.trim().toLowerCase();
  if (/^[a-z0-9][a-z0-9_-]{0,63}$/.test(lower)) return lower;
  const mapped = lower
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+/, "")
    .replace(/-+$/, "")
    .slice(0, 64);
  return mapped || DEFAULT_AGENT_ID;
}

/** The agents a config names, with their agentDir when set, and what marks one of them the default. */
export interface AgentRoster {
  /** Configured agent ids (normalized), in config order. */
  ids: string[];
  agentDirs: Record<string, string | undefined>;
  /** Ids of the entries marked `default: true`, in config order. */
  marked: string[];
  /** agents.defaults.systemAgent.agentId (normalized), a key of 2026.8 and later. */
  systemAgentId: string | undefined;
  /** agents.ownership is "explicit" (2026.8 and later). */
  explicitOwnership: boolean;
  /** The config uses keys only 2026.8 and later accept (agents.entries, ownership, systemAgent). */
  modernKeys: boolean;
}

/**
 * How the installed OpenClaw picks the agent when none is named (its `models auth order get` and the agent it
 * runs; seen on each release's own binary, tests/support/era-default-agent.ts):
 * - "first-listed" (2026.4.5 … 2026.7.1): the first entry marked default, else the first listed, else `main`;
 * - "owner" (2026.8.2, 2026.9.6): systemAgent.agentId, else the one entry marked default, else the sole agent,
 *   else `main` without a roster; several agents without an owner (or a config it rejects) are refused.
 * null (release unknown): the agent both rules pick, else refused.
 */
export type DefaultAgentRule = "first-listed" | "owner";

export type AgentResolution =
  | { ok: true; agentId: string; agentDir: string; configured: boolean }
  /** agentId as the caller gave it, so an error can tell a typed token from a name before it is lower-cased. */
  | { ok: false; reason: "unknown_agent"; agentId: string; known: string[] }
  | { ok: false; reason: "agent_required"; why: string; known: string[] };

type DefaultChoice = { ok: true; agentId: string } | { ok: false; why: string };

const firstListed = (r: AgentRoster): string => r.marked[0] ?? r.ids[0] ?? DEFAULT_AGENT_ID;

function owner(r: AgentRoster): DefaultChoice {
  const refuse = (why: string): DefaultChoice => ({ ok: false, why });
  if (r.marked.length > 1) return refuse(`${r.marked.length} agents are marked default (${r.marked.join(", ")})`);
  if (r.explicitOwnership && r.marked.length > 0) return refuse("agents.ownership=explicit has a default=true marker");
  if (r.ids.length > 1 && !r.explicitOwnership && r.marked.length === 0) {
    return refuse("several agents are configured, none marked default and agents.ownership is not explicit");
  }
  if (r.systemAgentId !== undefined) {
    const known = r.ids.length > 0 ? r.ids : [DEFAULT_AGENT_ID];
    return known.includes(r.systemAgentId)
      ? { ok: true, agentId: r.systemAgentId }
      : refuse(`agents.defaults.systemAgent.agentId "${r.systemAgentId}" is not a configured agent`);
  }
  if (r.marked.length === 1) return { ok: true, agentId: r.marked[0]! };
  if (r.ids.length <= 1) return { ok: true, agentId: r.ids[0] ?? DEFAULT_AGENT_ID };
  return refuse("several agents are configured and agents.defaults.systemAgent.agentId names none of them");
}

/** The agent OpenClaw uses when none is named, under the release's rule (null: unknown release). */
function defaultAgentChoice(r: AgentRoster, rule: DefaultAgentRule | null): DefaultChoice {
  if (rule === "first-listed") return { ok: true, agentId: firstListed(r) };
  const current = owner(r);
  // Releases up to 2026.7 reject these keys, so a config holding them is read by 2026.8 or later.
  if (rule === "owner" || r.modernKeys) return current;
  const old = firstListed(r);
  if (current.ok && current.agentId === old) return current;
  const now = current.ok ? `takes "${current.agentId}"` : `refuses (${current.why})`;
  const why = `OpenClaw up to 2026.7 takes "${old}" here and 2026.8 or later ${now}; which release runs is not known`;
  return { ok: false, why };
}

/**
 * The agent a read is for: the explicit id (which must be configured, or the implicit `main`), else the one
 * OpenClaw itself would use (defaultAgentChoice); where OpenClaw would refuse to choose, this refuses too.
 */
export function resolveAgent(
  roster: AgentRoster,
  requested: string | undefined,
  stateDir: string,
  env: Env,
  osHome: () => string = homedir,
  rule: DefaultAgentRule | null = null,
): AgentResolution {
  const explicit = requested === undefined ? undefined : normalizeAgentId(requested);
  const known = [...new Set([DEFAULT_AGENT_ID, ...roster.ids])];
  let agentId: string;
  if (explicit !== undefined && explicit !== "") {
    if (!roster.ids.includes(explicit) && explicit !== DEFAULT_AGENT_ID) {
      return { ok: false, reason: "unknown_agent", agentId: requested ?? explicit, known };
    }
    agentId = explicit;
  } else {
    const choice = defaultAgentChoice(roster, rule);
    if (!choice.ok) return { ok: false, reason: "agent_required", why: choice.why, known: roster.ids };
    agentId = choice.agentId;
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
