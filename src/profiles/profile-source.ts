import type { Stats } from "node:fs";
import { basename, dirname, join } from "node:path";
import { ConfigFileError, StoreError } from "../errors/index.ts";
import { EMPTY_CONFIG, type OpenclawConfig, readOpenclawConfig } from "../openclaw/config-file.ts";
import { agentResolutionError } from "../openclaw/default-agent.ts";
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
import { defaultAgentRuleFor } from "../openclaw/version.ts";
import { canQuoteInput, looksLikeSecret } from "../secrets/redact.ts";
import { codexProviderFor, type OrderRules, orderRulesFor } from "./effective-order.ts";
import { readJsonStore } from "./json-store.ts";
import { buildProfileSet } from "./profile-set.ts";
import { coerceStore, inheritMainStore, type RawAuthStore } from "./raw-store.ts";
import { detectLayout, legacyFilesIn, unmigratedFiles } from "./store-layout.ts";
import type { HostAuthReader, ProfileSet, StoreLocation } from "./types.ts";

const { statSync } = process.getBuiltinModule("node:fs");

/**
 * The path's stat, or null when it is not there. Only ENOENT and ENOTDIR mean absent: a path this user may not
 * reach, or a link loop, is told as such, never as "no store, log in first".
 */
function statIfThere(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "stat failed";
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw new StoreError("store_unreadable", `cannot reach ${path} (${code}); run as OpenClaw's user`, { path });
  }
}
const exists: ExistsProbe = (path) => statIfThere(path) !== null;

export interface LoadProfileSetOptions {
  env?: Env;
  /** `--agent <id>`; must be configured or `main`. */
  agentId?: string;
  /** `--auth-path <file>`: one explicit legacy auth-profiles.json instead of OpenClaw's state. */
  authPath?: string;
  now?: number | (() => number);
  /**
   * Inside a gateway: the host's own reader, asked first. Any failure of it (or a store it returns that is
   * not one) falls back to reading OpenClaw's files in place, which is also the only way for the CLIs.
   */
  host?: HostAuthReader;
  /**
   * Whose order rules (and Codex provider). Without them: those of `openclawVersion`, else of the release that last
   * wrote openclaw.json (meta.lastTouchedVersion), where that release reads this kind of store; else SQLite by its
   * agent database's user_version, JSON by orderRulesOf the store (effective-order.ts orderRulesFor). The layout
   * does not tell 6.11/7.1 from 8.2+, nor 2026.4.x from 5.28 (5.28 keeps the single file too until an order is set).
   */
  orderRules?: OrderRules;
  /**
   * The installed OpenClaw's version, when known: whose rules pick the agent when none is named, and order, and
   * whether `$include` may read the folders of OPENCLAW_INCLUDE_ROOTS.
   */
  openclawVersion?: string | undefined;
}

const FIX_HINT = "run `openclaw doctor --fix` (OpenClaw migrates and archives the old files), then try again";

/**
 * Reads every Codex profile of one agent, read-only, from whichever store layout the state uses: once per
 * request, through the host's reader when one is given, else from OpenClaw's files in place (SQLite is never
 * copied). Throws StoreError (or InputError for an agent that is not configured) naming the path looked at and
 * what to do. node:sqlite loads only for the SQLite layout.
 */
export async function loadProfileSet(options: LoadProfileSetOptions = {}): Promise<ProfileSet> {
  const env: Env = options.env ?? process.env;
  const now = typeof options.now === "function" ? options.now() : (options.now ?? Date.now());
  // Which of ~/.openclaw and ~/.clawdbot: one that cannot be reached counts as there, and is then said so below.
  const stateDir = resolveStateDir(env, (p) => {
    try {
      return exists(p);
    } catch {
      return true;
    }
  });
  const configPath = resolveConfigPath(env, stateDir);

  if (options.authPath !== undefined) {
    if (options.authPath.trim() === "")
      throw new StoreError("store_not_found", "--auth-path is empty; name an auth-profiles.json file");
    const file = resolveUserPath(options.authPath, env);
    const warnings: string[] = [];
    // A pasted token piece in place of a file name is described, not repeated. Folders of random mixed case
    // (mktemp's) are no such piece: only the file name is judged so, and a name with an extension is a name.
    const name = basename(options.authPath);
    const quotable = !looksLikeSecret(options.authPath) && (name.includes(".") || canQuoteInput(name));
    const shownAs = quotable ? file : "the --auth-path given (it looks like a token or OAuth code; not shown)";
    const store = readJsonStore(file, null, warnings, shownAs);
    const location: StoreLocation = {
      layout: "explicit-file",
      agentId: options.agentId?.trim().toLowerCase() || DEFAULT_AGENT_ID,
      stateDir,
      configPath,
      agentDir: dirname(file),
      files: [file],
      reader: "file",
    };
    // An explicit file stands alone: only its own inline order applies, not the config's.
    return withWarnings(
      () => buildProfileSet(store, EMPTY_CONFIG, location, now, undefined, options.orderRules),
      warnings,
    );
  }

  const state = statIfThere(stateDir);
  if (!state?.isDirectory()) {
    const what = state ? `${stateDir} is not a folder` : `no OpenClaw state dir at ${stateDir}`;
    throw new StoreError(
      "state_not_found",
      `${what}; set OPENCLAW_STATE_DIR to where OpenClaw keeps its state (or OPENCLAW_HOME to the folder that ` +
        "holds its .openclaw)",
      { path: stateDir },
    );
  }
  let config: OpenclawConfig;
  try {
    config = readOpenclawConfig(configPath, { env, openclawVersion: options.openclawVersion });
  } catch (error) {
    const file =
      error instanceof ConfigFileError && error.problem.kind === "unreadable" ? error.problem.file : undefined;
    if (file)
      throw new StoreError(file, `${error instanceof Error ? error.message : ""}; refusing to read it`, {
        path: configPath,
      });
    if (error instanceof ConfigFileError) {
      // A config this user may not read is not one to fix: the file is OpenClaw's, as it is.
      const todo =
        error.problem.kind === "unreadable"
          ? "run as OpenClaw's user"
          : "fix the file (or run `openclaw doctor`) and try again";
      throw new StoreError("config_invalid", `${error.message}; ${todo}`, { path: configPath });
    }
    throw error;
  }
  const rule = defaultAgentRuleFor(options.openclawVersion);
  const agent = resolveAgent(config.roster, options.agentId, stateDir, env, undefined, rule);
  if (!agent.ok) throw agentResolutionError(agent, configPath);
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
  const rulesFor = (store: RawAuthStore, layout: StoreLocation["layout"], schema: number | null = null): OrderRules =>
    options.orderRules ??
    orderRulesFor(store, layout === "sqlite", [options.openclawVersion, config.lastTouchedVersion], schema);
  const viaHost = (layout: StoreLocation["layout"], files: string[]): ProfileSet | null => {
    const read = options.host ? readThroughHost(options.host, agent.agentDir, (s) => rulesFor(s, layout)) : null;
    if (!read) return null;
    const location: StoreLocation = { layout, ...base, files, reader: "host" };
    return buildProfileSet(read.store, config, location, now, read.order, read.rules);
  };

  if (decision.layout === "none") {
    throw new StoreError(
      "store_not_found",
      `no OpenClaw auth store for agent "${agent.agentId}": looked for ${decision.lookedAt.join(" and ")} and the ` +
        `SQLite stores under ${stateDir}; log in with \`openclaw models auth login --provider openai\` first`,
      { path: agent.agentDir },
    );
  }
  if (decision.layout !== "sqlite") {
    const stores = decision.inherited ? [decision.own, decision.inherited] : [decision.own];
    const files = stores.flatMap((f) => (f.stateFile ? [f.profilesFile, f.stateFile] : [f.profilesFile]));
    const hosted = viaHost(decision.layout, files);
    if (hosted) return hosted;
    const warnings: string[] = [];
    const own = readJsonStore(decision.own.profilesFile, decision.own.stateFile, warnings);
    const inherited = decision.inherited;
    const store = inherited
      ? inheritMainStore(readJsonStore(inherited.profilesFile, inherited.stateFile, warnings), own)
      : own;
    const location: StoreLocation = { layout: decision.layout, ...base, files, reader: "file" };
    const rules = rulesFor(store, decision.layout);
    return withWarnings(() => buildProfileSet(store, config, location, now, undefined, rules), warnings);
  }

  const { hasCredentials, readAgentDbRows, readSqliteStore, storeFromRows } = await import("./sqlite-store.ts");
  const blocked: string[] = [];
  for (const files of agentFiles === mainFiles ? [mainFiles] : [agentFiles, mainFiles]) {
    if (files.profiles === null && files.legacyAuth === null && files.legacyOAuth === null) continue;
    const dbPath = agentDbPath(files.dir);
    blocked.push(...unmigratedFiles(files, hasCredentials(storeFromRows(await readAgentDbRows(dbPath), dbPath))));
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
  const hosted = viaHost("sqlite", decision.databases);
  if (hosted) return hosted;
  const read = await readSqliteStore({ stateDir, agentDir: agent.agentDir, sharedMainAgentDir });
  if (!read.store) {
    throw new StoreError(
      "store_not_found",
      `the OpenClaw SQLite state under ${stateDir} holds no auth profile store for agent "${agent.agentId}"; log in ` +
        `with \`openclaw models auth login --provider openai\` first`,
      { path: sharedStateDbPath(stateDir) },
    );
  }
  const location: StoreLocation = { layout: "sqlite", ...base, files: read.files, reader: "file" };
  const { store } = read;
  return withWarnings(
    () => buildProfileSet(store, config, location, now, undefined, rulesFor(store, "sqlite", read.schemaVersion)),
    read.warnings,
  );
}

/** The set with what could not be read; when no Codex profile is left, the error says what was left out. */
function withWarnings(build: () => ProfileSet, warnings: string[]): ProfileSet {
  try {
    const set = build();
    return warnings.length > 0 ? { ...set, warnings: [...warnings, ...(set.warnings ?? [])] } : set;
  } catch (error) {
    if (!(error instanceof StoreError && error.code === "no_codex_profiles") || warnings.length === 0) throw error;
    throw new StoreError(error.code, `${error.message}. ${warnings.join(". ")}`, { path: error.path ?? undefined });
  }
}

/** The store and order as the host reads them; null when it cannot (the caller then reads the files). */
function readThroughHost(
  host: HostAuthReader,
  agentDir: string,
  rulesFor: (store: RawAuthStore) => OrderRules,
): { store: RawAuthStore; order: string[]; rules: OrderRules } | null {
  try {
    const raw = host.loadStore(agentDir);
    const store = coerceStore(raw);
    // An empty store is not an answer: the files then say precisely what is there.
    if (!store || Object.keys(store.profiles).length === 0) return null;
    const rules = rulesFor(store);
    const order = host.resolveOrder(raw, codexProviderFor(rules));
    return Array.isArray(order) && order.every((id) => typeof id === "string") ? { store, order, rules } : null;
  } catch {
    return null;
  }
}
