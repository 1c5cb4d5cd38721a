import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConfigFileError, InputError, StoreError } from "../errors/index.ts";
import { EMPTY_CONFIG, type OpenclawConfig, readOpenclawConfig } from "../openclaw/config-file.ts";
import {
  agentDbPath,
  DEFAULT_AGENT_ID,
  type Env,
  type ExistsProbe,
  resolveAgent,
  resolveConfigPath,
  resolveSharedMainAgentDir,
  resolveStateDir,
  resolveUserPath,
  sharedStateDbPath,
} from "../openclaw/paths.ts";
import { type CodexProviderId, isCodexProvider, profileLabel } from "../openclaw/provider.ts";
import { Secret } from "../secrets/secret.ts";
import { codexProviderOf, defaultProfileIdOf, resolveEffectiveOrder } from "./effective-order.ts";
import { identityFrom } from "./identity.ts";
import { readJsonStore } from "./json-store.ts";
import { localStateOf, renewalOf } from "./local-state.ts";
import { OAUTH_FENCE_PREFIX, type RawAuthStore } from "./raw-store.ts";
import { detectLayout, legacyFilesIn, unmigratedFiles } from "./store-layout.ts";
import type { CodexProfile, ProfileSet, StoreLocation } from "./types.ts";

export interface LoadProfileSetOptions {
  env?: Env;
  /** `--agent <id>`; must be configured or `main`. */
  agentId?: string;
  /** `--auth-path <file>`: one explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string;
  now?: number | (() => number);
}

const FIX_HINT = "run `openclaw doctor --fix` (OpenClaw migrates and archives the old files), then try again";

/**
 * Reads every Codex profile of one agent, read-only, from whichever store layout the state uses.
 * Throws StoreError (or InputError for an agent that is not configured) naming the path looked at and what to do.
 * node:sqlite loads only for the SQLite layout.
 */
export async function loadProfileSet(options: LoadProfileSetOptions = {}): Promise<ProfileSet> {
  const env: Env = options.env ?? process.env;
  const now = typeof options.now === "function" ? options.now() : (options.now ?? Date.now());
  const exists: ExistsProbe = (p) => existsSync(p);
  const stateDir = resolveStateDir(env, exists);
  const configPath = resolveConfigPath(env, stateDir);

  if (options.authPath !== undefined) {
    if (options.authPath.trim() === "")
      throw new StoreError("store_not_found", "--auth-path is empty; name an auth-profiles.json file");
    const file = resolveUserPath(options.authPath, env);
    const store = readJsonStore(file, null);
    const location: StoreLocation = {
      layout: "explicit-file",
      agentId: options.agentId?.trim().toLowerCase() || DEFAULT_AGENT_ID,
      stateDir,
      configPath,
      agentDir: dirname(file),
      files: [file],
    };
    // An explicit file stands alone: only its own inline order applies, not the config's.
    return buildProfileSet(store, EMPTY_CONFIG, location, now);
  }

  if (!exists(stateDir)) {
    throw new StoreError(
      "state_not_found",
      `no OpenClaw state dir at ${stateDir}; set OPENCLAW_STATE_DIR (or OPENCLAW_HOME) to where OpenClaw keeps its ` +
        `state, or pass --auth-path <auth-profiles.json>`,
      { path: stateDir },
    );
  }
  let config: OpenclawConfig;
  try {
    config = readOpenclawConfig(configPath);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      throw new StoreError(
        "config_invalid",
        `${error.message}; fix the file (or run \`openclaw doctor\`) and try again`,
        { path: configPath },
      );
    }
    throw error;
  }
  const agent = resolveAgent(config.roster, options.agentId, stateDir, env);
  if (!agent.ok) {
    throw new InputError(
      "unknown_agent",
      `agent "${agent.agentId}" is not configured in ${configPath}; known agents: ${agent.known.join(", ")}`,
      { path: configPath },
    );
  }
  const sharedMainAgentDir = resolveSharedMainAgentDir(env, stateDir);
  const oauthDir = env.OPENCLAW_OAUTH_DIR?.trim()
    ? resolveUserPath(env.OPENCLAW_OAUTH_DIR, env)
    : join(stateDir, "credentials");
  const mainFiles = legacyFilesIn(sharedMainAgentDir, exists, join(oauthDir, "oauth.json"));
  const agentFiles = agent.agentDir === sharedMainAgentDir ? mainFiles : legacyFilesIn(agent.agentDir, exists);
  const databases = [
    ...new Set([sharedStateDbPath(stateDir), agentDbPath(agent.agentDir), agentDbPath(sharedMainAgentDir)]),
  ].filter(exists);
  const decision = detectLayout({ databases, agent: agentFiles, main: mainFiles });
  const base = { agentId: agent.agentId, stateDir, configPath, agentDir: agent.agentDir };

  if (decision.layout === "none") {
    throw new StoreError(
      "store_not_found",
      `no OpenClaw auth store for agent "${agent.agentId}": looked for ${decision.lookedAt.join(" and ")} and the ` +
        `SQLite stores under ${stateDir}; log in with \`openclaw models auth login --provider openai\` first`,
      { path: agent.agentDir },
    );
  }
  if (decision.layout !== "sqlite") {
    const stateFile = decision.layout === "json-split" ? decision.stateFile : null;
    const store = readJsonStore(decision.profilesFile, stateFile);
    const files = stateFile ? [decision.profilesFile, stateFile] : [decision.profilesFile];
    return buildProfileSet(store, config, { layout: decision.layout, ...base, files }, now);
  }

  const { hasCredentials, readAgentDbRows, readSqliteStore, storeFromRows } = await import("./sqlite-store.ts");
  const blocked: string[] = [];
  for (const files of agentFiles === mainFiles ? [mainFiles] : [agentFiles, mainFiles]) {
    if (files.profiles === null && files.legacyAuth === null && files.legacyOAuth === null) continue;
    const dbPath = agentDbPath(files.dir);
    blocked.push(...unmigratedFiles(files, hasCredentials(storeFromRows(readAgentDbRows(dbPath), dbPath))));
  }
  if (blocked.length > 0) {
    throw new StoreError(
      "migration_required",
      `OpenClaw keeps auth profiles in SQLite here, but ${blocked.join(", ")} still ` +
        `hold${blocked.length === 1 ? "s" : ""} unmigrated credentials and OpenClaw refuses this state ` +
        `(AUTH_PROFILE_MIGRATION_REQUIRED); ${FIX_HINT}`,
      { path: blocked[0]! },
    );
  }
  const read = readSqliteStore({ stateDir, agentDir: agent.agentDir, sharedMainAgentDir });
  if (!read.store) {
    throw new StoreError(
      "store_not_found",
      `the OpenClaw SQLite state under ${stateDir} holds no auth profile store for agent "${agent.agentId}"; log in ` +
        `with \`openclaw models auth login --provider openai\` first`,
      { path: sharedStateDbPath(stateDir) },
    );
  }
  return buildProfileSet(read.store, config, { layout: "sqlite", ...base, files: read.files }, now);
}

function isCodexOAuth(store: RawAuthStore, id: string): boolean {
  const c = store.profiles[id];
  return c !== undefined && c.type === "oauth" && isCodexProvider(c.provider);
}

function buildProfileSet(
  store: RawAuthStore,
  config: OpenclawConfig,
  location: StoreLocation,
  now: number,
): ProfileSet {
  const codexIds = Object.keys(store.profiles).filter((id) => isCodexOAuth(store, id));
  if (codexIds.length === 0) {
    const total = Object.keys(store.profiles).length;
    throw new StoreError(
      "no_codex_profiles",
      `${location.files.join(", ") || location.stateDir} holds ${total} auth profile${total === 1 ? "" : "s"} but no ` +
        `Codex (ChatGPT OAuth, provider openai/openai-codex) profile; add one with \`openclaw models auth login ` +
        `--provider openai\``,
      { path: location.files[0] ?? location.stateDir },
    );
  }
  const order = resolveEffectiveOrder({
    store,
    configOrder: config.authOrder,
    configProfiles: config.authProfiles,
    now,
  });
  const effectiveOrder = order.ids.filter((id) => isCodexOAuth(store, id));
  const ordered = [...effectiveOrder, ...codexIds.filter((id) => !effectiveOrder.includes(id)).sort()];
  const profiles: CodexProfile[] = ordered.map((id) => {
    const c = store.profiles[id]!;
    const access = c.access && usableAccess(c.access) ? c.access : null;
    const index = effectiveOrder.indexOf(id);
    const state = localStateOf(store.usageStats?.[id], now);
    return {
      id,
      label: profileLabel(id),
      provider: c.provider as CodexProviderId,
      identity: identityFrom(access, c),
      state,
      orderIndex: index >= 0 ? index : null,
      access: access ? new Secret(access) : null,
      // A stored token that is not a fence yet cannot be sent is not OpenClaw's to renew: it would use it as is.
      renewal: c.access && !access && !c.access.startsWith(OAUTH_FENCE_PREFIX) ? "none" : renewalOf(c, state),
    };
  });
  const storedOrder =
    store.order?.[order.provider] ?? store.order?.[order.provider === "openai" ? "openai-codex" : "openai"] ?? null;
  return {
    location,
    profiles,
    effectiveOrder,
    orderSource: order.source,
    defaultProfileId: defaultProfileIdOf(effectiveOrder, ordered),
    orderProvider: codexProviderOf(store),
    storedOrder: storedOrder ? [...storedOrder] : null,
  };
}

/**
 * A token that can travel in an Authorization header: not fenced by a failed refresh, and visible ASCII
 * only (a stored value with a newline or NUL would make the request itself fail, with the token in the
 * error). Anything else counts as no token: missing_access_token, ask for a re-login.
 */
const usableAccess = (access: string): boolean =>
  !access.startsWith(OAUTH_FENCE_PREFIX) && /^[\x21-\x7e]+$/.test(access);
