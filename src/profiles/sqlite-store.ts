import { existsSync } from "node:fs";
import type { DatabaseSync } from "node:sqlite";
import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { SqliteSnapshotError, StoreError } from "../errors/index.ts";
import { agentDbPath, sharedStateDbPath } from "../openclaw/paths.ts";
import { coerceState, coerceStore, mergeStores, type RawAuthStore, withState } from "./raw-store.ts";
import { tableExists, withSqliteSnapshot } from "./sqlite-snapshot.ts";

/**
 * The SQLite auth store of OpenClaw 2026.7+ (verified against the real 2026.9.6):
 * - per agent, <agentDir>/openclaw-agent.sqlite: auth_profile_store(store_key 'primary', store_json) and
 *   auth_profile_state(state_key 'primary', state_json) — `models auth order set` writes the override there;
 * - shared: after `doctor --fix`, <state>/state/openclaw.sqlite table config_machine_state holds
 *   auth.sharedStore = {"location":"state-db"}, authProfiles.store and authProfiles.state (value_json);
 *   without that marker the shared store is the main agent dir's openclaw-agent.sqlite ("legacy-main").
 * An agent sees the shared store with its own store merged over it. A store row's state applies only
 * when the store row exists (as in OpenClaw).
 */
const JsonRow = Type.Object({ json: Type.String() });

type SharedLocation = "state-db" | "legacy-main";

export interface DbAuthRows {
  store: unknown | undefined;
  state: unknown | undefined;
}

export interface SqliteStoreRead {
  store: RawAuthStore | null;
  sharedLocation: SharedLocation;
  files: string[];
}

function parseCell(raw: unknown, path: string, what: string): unknown {
  if (raw === undefined) return undefined;
  if (!Value.Check(JsonRow, raw))
    throw new StoreError("store_invalid", `${what} in ${path} is not text; run openclaw doctor --fix`, { path });
  try {
    return JSON.parse(raw.json) as unknown;
  } catch {
    throw new StoreError("store_invalid", `${what} in ${path} is not valid JSON; run openclaw doctor --fix`, { path });
  }
}

function snapshot<T>(path: string, read: (db: DatabaseSync) => T): T {
  try {
    return withSqliteSnapshot(path, read);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (error instanceof SqliteSnapshotError)
      throw new StoreError("store_unreadable", `cannot read ${path}: ${error.message}`, { path });
    throw new StoreError("store_unreadable", `cannot read ${path} as SQLite: ${(error as Error).message}`, { path });
  }
}

/** The primary store/state rows of a per-agent database; undefined cells when absent. */
export function readAgentDbRows(path: string): DbAuthRows {
  if (!existsSync(path)) return { store: undefined, state: undefined };
  return snapshot(path, (db) => {
    const cell = (table: string, keyCol: string, jsonCol: string): unknown =>
      tableExists(db, table)
        ? parseCell(
            db.prepare(`SELECT ${jsonCol} AS json FROM ${table} WHERE ${keyCol} = 'primary'`).get(),
            path,
            `${table} row`,
          )
        : undefined;
    return {
      store: cell("auth_profile_store", "store_key", "store_json"),
      state: cell("auth_profile_state", "state_key", "state_json"),
    };
  });
}

/** The shared-store marker and rows of <state>/state/openclaw.sqlite. */
function readSharedStateDbRows(path: string): DbAuthRows & { location: SharedLocation } {
  if (!existsSync(path)) return { store: undefined, state: undefined, location: "legacy-main" };
  return snapshot(path, (db) => {
    if (!tableExists(db, "config_machine_state"))
      return { store: undefined, state: undefined, location: "legacy-main" as const };
    const cell = (key: string): unknown =>
      parseCell(
        db.prepare("SELECT value_json AS json FROM config_machine_state WHERE state_key = ?").get(key),
        path,
        `config_machine_state ${key}`,
      );
    const marker = cell("auth.sharedStore");
    let location: SharedLocation = "legacy-main";
    if (marker !== undefined) {
      const m = marker as { location?: unknown } | null;
      if (m === null || typeof m !== "object" || (m.location !== "state-db" && m.location !== "legacy-main")) {
        throw new StoreError(
          "store_invalid",
          `auth.sharedStore in ${path} has an unknown location; run openclaw doctor --fix`,
          { path },
        );
      }
      location = m.location;
    }
    return { store: cell("authProfiles.store"), state: cell("authProfiles.state"), location };
  });
}

/** A store from its rows; null when there is no store row. A row that is not a store is invalid. */
export function storeFromRows(rows: DbAuthRows, path: string): RawAuthStore | null {
  if (rows.store === undefined) return null;
  const store = coerceStore(rows.store);
  if (!store)
    throw new StoreError(
      "store_invalid",
      `the auth profile store in ${path} has no profiles object; run openclaw doctor --fix`,
      { path },
    );
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
  const stateRows = readSharedStateDbRows(statePath);
  let shared: RawAuthStore | null;
  let sharedPath: string;
  if (stateRows.location === "state-db") {
    sharedPath = statePath;
    shared = storeFromRows(stateRows, statePath);
  } else {
    sharedPath = agentDbPath(params.sharedMainAgentDir);
    shared = storeFromRows(readAgentDbRows(sharedPath), sharedPath);
  }
  if (existsSync(sharedPath)) files.push(sharedPath);
  const ownPath = agentDbPath(params.agentDir);
  let own: RawAuthStore | null = null;
  if (ownPath !== sharedPath) {
    own = storeFromRows(readAgentDbRows(ownPath), ownPath);
    if (existsSync(ownPath)) files.push(ownPath);
  }
  const store = shared && own ? mergeStores(shared, own) : (own ?? shared);
  return { store, sharedLocation: stateRows.location, files };
}
