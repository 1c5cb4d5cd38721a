import { StoreError } from "../errors/index.ts";
import { agentDbPath, sharedStateDbPath } from "../openclaw/paths.ts";
import {
  coerceState,
  coerceStore,
  damagedStateWarning,
  mergeStores,
  type RawAuthStore,
  type SkippedEntry,
  skippedEntriesWarning,
  withState,
} from "./raw-store.ts";
import { type LiveRead, readAgentAuthRowsLive, readSharedStateAuthRowsLive } from "./sqlite-live-read.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

/**
 * The SQLite auth store of OpenClaw 2026.6.11+ (verified against the real 2026.6.11 … 2026.9.6):
 * - per agent, <agentDir>/openclaw-agent.sqlite: auth_profile_store(store_key 'primary', store_json) and
 *   auth_profile_state(state_key 'primary', state_json) — `models auth order set` writes the override there;
 * - shared: after `doctor --fix`, <state>/state/openclaw.sqlite table config_machine_state holds
 *   auth.sharedStore = {"location":"state-db"}, authProfiles.store and authProfiles.state (value_json);
 *   without that marker the shared store is the main agent dir's openclaw-agent.sqlite ("legacy-main").
 * An agent sees the shared store with its own store merged over it. A store row's state applies only
 * when the store row exists (as in OpenClaw).
 * Every database is read in place by sqlite-live-read.ts: read-only, one short read transaction, never a copy.
 */
type SharedLocation = "state-db" | "legacy-main";

export interface DbAuthRows {
  store: unknown | undefined;
  state: unknown | undefined;
  /** The state cell could not be parsed and is left out (see LiveAuthRows). */
  stateDamaged?: { where: string; why: string };
  /** The database's user_version; absent for a missing database. */
  userVersion?: number;
}

export interface SqliteStoreRead {
  store: RawAuthStore | null;
  sharedLocation: SharedLocation;
  files: string[];
  /** A damaged state cell of a store that applies (its order and cooldowns are left out), damaged entries. */
  warnings: string[];
  /** The user_version of the agent database holding the shared store (null for none, or the whole-state one). */
  schemaVersion: number | null;
}

/** The rows of a live read; a missing database has none. Every failure is a StoreError with the path. */
function rowsOf<T>(read: LiveRead<T>, none: T): T {
  if (read.ok) return read.value;
  if (read.reason === "missing") return none;
  const code =
    read.reason === "invalid" ? "store_invalid" : read.reason === "not_a_file" ? "not_a_file" : "store_unreadable";
  throw new StoreError(code, read.message, { path: read.path });
}

/** The primary store/state rows of a per-agent database; undefined cells when absent. */
export function readAgentDbRows(path: string): DbAuthRows {
  return rowsOf<DbAuthRows>(readAgentAuthRowsLive(path), { store: undefined, state: undefined });
}

/**
 * A store from its rows; null when there is no store row. A row that is not a store is invalid. Entries that
 * cannot be read are named in `warnings`.
 */
export function storeFromRows(rows: DbAuthRows, path: string, warnings: string[] = []): RawAuthStore | null {
  if (rows.store === undefined) return null;
  const skipped: SkippedEntry[] = [];
  const store = coerceStore(rows.store, skipped);
  if (!store)
    throw new StoreError(
      "store_invalid",
      `the auth profile store in ${path} has no profiles object; run openclaw doctor --fix`,
      { path },
    );
  if (skipped.length > 0) warnings.push(skippedEntriesWarning(path, skipped));
  return withState(store, coerceState(rows.state));
}

export function hasCredentials(store: RawAuthStore | null): boolean {
  return store !== null && Object.keys(store.profiles).length > 0;
}

/** Reads the shared store and the agent's own store, and merges them as OpenClaw does for that agent. */
export function readSqliteStore(params: {
  stateDir: string;
  agentDir: string;
  sharedMainAgentDir: string;
}): SqliteStoreRead {
  const files: string[] = [];
  const statePath = sharedStateDbPath(params.stateDir);
  const stateRows = rowsOf<DbAuthRows & { location: SharedLocation }>(readSharedStateAuthRowsLive(statePath), {
    store: undefined,
    state: undefined,
    location: "legacy-main",
  });
  const warnings: string[] = [];
  const storeOf = (rows: DbAuthRows, path: string): RawAuthStore | null => {
    const store = storeFromRows(rows, path, warnings);
    if (store && rows.stateDamaged) warnings.push(damagedStateWarning(rows.stateDamaged.where, rows.stateDamaged.why));
    return store;
  };
  let shared: RawAuthStore | null;
  let sharedPath: string;
  let sharedRows: DbAuthRows = stateRows;
  if (stateRows.location === "state-db") {
    sharedPath = statePath;
    shared = storeOf(stateRows, statePath);
  } else {
    sharedPath = agentDbPath(params.sharedMainAgentDir);
    sharedRows = readAgentDbRows(sharedPath);
    shared = storeOf(sharedRows, sharedPath);
  }
  if (existsSync(sharedPath)) files.push(sharedPath);
  const ownPath = agentDbPath(params.agentDir);
  let own: RawAuthStore | null = null;
  if (ownPath !== sharedPath) {
    own = storeOf(readAgentDbRows(ownPath), ownPath);
    if (existsSync(ownPath)) files.push(ownPath);
  }
  const store = shared && own ? mergeStores(shared, own) : (own ?? shared);
  return { store, sharedLocation: stateRows.location, files, warnings, schemaVersion: sharedRows.userVersion ?? null };
}
