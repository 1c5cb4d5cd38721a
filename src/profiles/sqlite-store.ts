import type { DatabaseSync } from "node:sqlite";
import { StoreError } from "../errors/index.ts";
import { agentDbPath, sharedStateDbPath } from "../openclaw/paths.ts";
import { parseStampVersion } from "../openclaw/version.ts";
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
import {
  type LiveQuery,
  type LiveRead,
  type LiveReadOptions,
  LiveRowInvalid,
  withLiveSqliteRead,
  withLiveSqliteReadAsync,
} from "./sqlite-live-read.ts";

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
 * Every database is read in place by sqlite-live-read.ts: read-only, one short read transaction, never a copy;
 * the product's reads are the async ones (a writer's lock is waited for between attempts, never blocking).
 */
export interface SqliteStoreRead {
  store: RawAuthStore | null;
  sharedLocation: LiveSharedLocation;
  files: string[];
  /** A damaged state cell of a store that applies (its order and cooldowns are left out), damaged entries. */
  warnings: string[];
  /** The user_version of the agent database holding the shared store (null for none, or the whole-state one). */
  schemaVersion: number | null;
}

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

const userVersionOf = (db: DatabaseSync): number =>
  Number((db.prepare("PRAGMA user_version").get() as { user_version?: unknown } | undefined)?.user_version ?? 0);

/** Parsed cells; undefined when the table or row is absent. */
export interface LiveAuthRows {
  store: unknown | undefined;
  state: unknown | undefined;
  /** A state cell that could not be parsed: left out (state undefined) instead of failing the whole read. */
  stateDamaged?: { where: string; why: string };
  /** An agent database's PRAGMA user_version: the schema the newest OpenClaw that opened it migrated it to. */
  userVersion?: number;
}

type LiveSharedLocation = "state-db" | "legacy-main";

export interface LiveSharedRows extends LiveAuthRows {
  /** Where the shared store lives: `auth.sharedStore` in config_machine_state, else the main agent's DB. */
  location: LiveSharedLocation;
  /** The auth rows are not where any known OpenClaw keeps them: a newer layout, never read as an older one. */
  newerLayout?: NewerLayout;
}

interface NewerLayout {
  why: string;
  schema: number;
  /** The OpenClaw release stamped in schema_meta, when it says one. */
  release: string | null;
}

function parseCell(row: unknown, path: string, what: string): unknown {
  if (row === undefined) return undefined;
  const json = (row as { json?: unknown }).json;
  if (typeof json !== "string") throw new LiveRowInvalid(`${what} in ${path}`, "not text");
  try {
    return JSON.parse(json) as unknown;
  } catch {
    // Never JSON.parse's own message: it quotes the cell, which holds tokens.
    throw new LiveRowInvalid(`${what} in ${path}`, "not valid JSON");
  }
}

/** A state cell (order, cooldowns) that cannot be parsed is left out, not the whole read: OpenClaw carries on too. */
function stateCell(parse: () => unknown): Pick<LiveAuthRows, "state" | "stateDamaged"> {
  try {
    return { state: parse() };
  } catch (error) {
    if (!(error instanceof LiveRowInvalid)) throw error;
    return { state: undefined, stateDamaged: { where: error.where, why: error.why } };
  }
}

/** `auth_profile_store` / `auth_profile_state` primary rows of a per-agent openclaw-agent.sqlite. */
const agentRowsQuery =
  (path: string): LiveQuery<LiveAuthRows> =>
  (db) => {
    const cell = (table: string, keyCol: string, jsonCol: string): unknown => {
      if (!tableExists(db, table)) return undefined;
      const row = db.prepare(`SELECT ${jsonCol} AS json FROM ${table} WHERE ${keyCol} = 'primary'`).get();
      return parseCell(row, path, `${table} row`);
    };
    return {
      store: cell("auth_profile_store", "store_key", "store_json"),
      ...stateCell(() => cell("auth_profile_state", "state_key", "state_json")),
      userVersion: userVersionOf(db),
    };
  };

/** The agent rows, read synchronously: SQLite may block the thread up to the busy timeout (tests, probes). */
export function readAgentAuthRowsLive(path: string, options?: LiveReadOptions): LiveRead<LiveAuthRows> {
  return withLiveSqliteRead(path, agentRowsQuery(path), options);
}

/**
 * The schema (user_version) from which state/openclaw.sqlite keeps auth in config_machine_state(state_key,
 * value_json): 15 (2026.8.2; 18 in 2026.9.6). Schema 1 (2026.6.11, 2026.7.1) has no such table: the shared
 * store is then the main agent's database. Without it, or its columns, from 15 on, the layout is a newer one.
 */
const FIRST_MACHINE_STATE_SCHEMA = 15;

function newerLayoutOf(db: DatabaseSync): NewerLayout | null {
  const info = db.prepare("SELECT name FROM pragma_table_info('config_machine_state')").all();
  const columns = new Set(info.map((c) => (c as { name?: unknown }).name));
  const schema = userVersionOf(db);
  let why: string;
  if (columns.size === 0) {
    if (schema < FIRST_MACHINE_STATE_SCHEMA) return null;
    why = "no config_machine_state table";
  } else {
    const missing = ["state_key", "value_json"].filter((c) => !columns.has(c));
    if (missing.length === 0) return null;
    why = `no ${missing.join(" or ")} column in config_machine_state`;
  }
  return { why, schema, release: stampedRelease(db) };
}

/** The release schema_meta says last migrated the database (`app_version`), when it is a version. */
function stampedRelease(db: DatabaseSync): string | null {
  try {
    const row = db.prepare("SELECT app_version AS v FROM schema_meta WHERE meta_key = 'primary'").get();
    const v = (row as { v?: unknown } | undefined)?.v;
    return typeof v === "string" && v.length < 40 && parseStampVersion(v) ? v.trim() : null;
  } catch {
    return null;
  }
}

/** The shared-store marker and the `authProfiles.store` / `authProfiles.state` rows of state/openclaw.sqlite. */
const sharedRowsQuery =
  (path: string): LiveQuery<LiveSharedRows> =>
  (db) => {
    const newerLayout = newerLayoutOf(db);
    if (newerLayout) return { store: undefined, state: undefined, location: "legacy-main", newerLayout };
    if (!tableExists(db, "config_machine_state")) {
      return { store: undefined, state: undefined, location: "legacy-main" };
    }
    const select = db.prepare("SELECT value_json AS json FROM config_machine_state WHERE state_key = ?");
    const cell = (key: string): unknown => parseCell(select.get(key), path, `config_machine_state ${key}`);
    const marker = cell("auth.sharedStore");
    let location: LiveSharedLocation = "legacy-main";
    if (marker !== undefined) {
      const m = marker as { location?: unknown } | null;
      if (m === null || typeof m !== "object" || (m.location !== "state-db" && m.location !== "legacy-main")) {
        throw new LiveRowInvalid(`auth.sharedStore in ${path}`, "not a known location");
      }
      location = m.location;
    }
    return { store: cell("authProfiles.store"), ...stateCell(() => cell("authProfiles.state")), location };
  };

/** The shared rows, read synchronously: SQLite may block the thread up to the busy timeout (tests, probes). */
export function readSharedStateAuthRowsLive(path: string, options?: LiveReadOptions): LiveRead<LiveSharedRows> {
  return withLiveSqliteRead(path, sharedRowsQuery(path), options);
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
export async function readAgentDbRows(path: string): Promise<LiveAuthRows> {
  const read = await withLiveSqliteReadAsync(path, agentRowsQuery(path));
  return rowsOf<LiveAuthRows>(read, { store: undefined, state: undefined });
}

function newerLayoutError(path: string, layout: NewerLayout): StoreError {
  const by = layout.release ? `OpenClaw ${layout.release}, schema ${layout.schema}` : `schema ${layout.schema}`;
  return new StoreError(
    "store_layout_newer",
    `${path} has a newer layout than this codex-profiler knows (${by}: ${layout.why}), so its auth profiles ` +
      "cannot be read; update codex-profiler",
    { path },
  );
}

/**
 * A store from its rows; null when there is no store row. A row that is not a store is invalid. Entries that
 * cannot be read are named in `warnings`.
 */
export function storeFromRows(rows: LiveAuthRows, path: string, warnings: string[] = []): RawAuthStore | null {
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
export async function readSqliteStore(params: {
  stateDir: string;
  agentDir: string;
  sharedMainAgentDir: string;
}): Promise<SqliteStoreRead> {
  const files: string[] = [];
  const statePath = sharedStateDbPath(params.stateDir);
  const stateRows = rowsOf<LiveSharedRows>(await withLiveSqliteReadAsync(statePath, sharedRowsQuery(statePath)), {
    store: undefined,
    state: undefined,
    location: "legacy-main",
  });
  if (stateRows.newerLayout) throw newerLayoutError(statePath, stateRows.newerLayout);
  const warnings: string[] = [];
  const storeOf = (rows: LiveAuthRows, path: string): RawAuthStore | null => {
    const store = storeFromRows(rows, path, warnings);
    if (store && rows.stateDamaged) warnings.push(damagedStateWarning(rows.stateDamaged.where, rows.stateDamaged.why));
    return store;
  };
  let shared: RawAuthStore | null;
  let sharedPath: string;
  let sharedRows: LiveAuthRows = stateRows;
  if (stateRows.location === "state-db") {
    sharedPath = statePath;
    shared = storeOf(stateRows, statePath);
  } else {
    sharedPath = agentDbPath(params.sharedMainAgentDir);
    sharedRows = await readAgentDbRows(sharedPath);
    shared = storeOf(sharedRows, sharedPath);
  }
  if (existsSync(sharedPath)) files.push(sharedPath);
  const ownPath = agentDbPath(params.agentDir);
  let own: RawAuthStore | null = null;
  if (ownPath !== sharedPath) {
    own = storeOf(await readAgentDbRows(ownPath), ownPath);
    if (existsSync(ownPath)) files.push(ownPath);
  }
  const store = shared && own ? mergeStores(shared, own) : (own ?? shared);
  return { store, sharedLocation: stateRows.location, files, warnings, schemaVersion: sharedRows.userVersion ?? null };
}
