import { StoreError } from "../errors/index.ts";
import { readTextBounded, STORE_FILE_CAP } from "../lib/files.ts";
import {
  coerceState,
  coerceStore,
  damagedStateWarning,
  type RawAuthState,
  type RawAuthStore,
  type SkippedEntry,
  skippedEntriesWarning,
  withState,
} from "./raw-store.ts";

/**
 * The JSON layouts of OpenClaw ≤ 2026.6, read-only:
 * - json-single (≤ 2026.4.6): auth-profiles.json = {version, profiles, order?, lastGood?, usageStats?};
 * - json-split (2026.4.7–2026.6): the same file (its inline state is a legacy fallback) plus auth-state.json
 *   = {version, order?, lastGood?, usageStats?}, which wins key by key.
 */
function readJson(path: string, what: string, shown = path): unknown {
  const read = readTextBounded(path, STORE_FILE_CAP);
  const paths = shown === path ? { path } : {};
  if (!read.ok) {
    if (read.code === "file_not_found")
      throw new StoreError("store_not_found", `${what} ${shown} does not exist`, paths);
    if (read.code === "file_unreadable") {
      throw new StoreError(
        "store_unreadable",
        `cannot read ${what} ${shown} (${read.detail}); check its permissions`,
        paths,
      );
    }
    if (read.code === "file_not_regular") {
      const why = `is not a regular file (${read.detail}); refusing to read it`;
      throw new StoreError("not_a_file", `${what} ${shown} ${why}`, paths);
    }
    throw new StoreError(
      "file_too_large",
      `${what} ${shown} is too large (${read.detail}); refusing to read it`,
      paths,
    );
  }
  try {
    return JSON.parse(read.text) as unknown;
  } catch {
    throw new StoreError("store_invalid", `${what} ${shown} is not valid JSON`, paths);
  }
}

function readProfilesFile(path: string, warnings: string[], shown: string): RawAuthStore {
  const skipped: SkippedEntry[] = [];
  const store = coerceStore(readJson(path, "auth profile file", shown), skipped);
  const paths = shown === path ? { path } : {};
  if (!store) throw new StoreError("store_invalid", `auth profile file ${shown} has no "profiles" object`, paths);
  if (skipped.length > 0) warnings.push(skippedEntriesWarning(shown, skipped));
  return store;
}

/**
 * auth-state.json; when its content is damaged, none (OpenClaw itself then carries on without it), with a warning.
 * A file that cannot be read at all (permissions, not a file, too large) still fails.
 */
function readStateFile(path: string, warnings: string[]): RawAuthState {
  let raw: unknown;
  try {
    raw = readJson(path, "auth state file");
  } catch (error) {
    if (!(error instanceof StoreError && error.code === "store_invalid")) throw error;
    warnings.push(damagedStateWarning(path, "not valid JSON"));
    return {};
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    warnings.push(damagedStateWarning(path, "not a JSON object"));
    return {};
  }
  return coerceState(raw);
}

/**
 * auth-profiles.json, with auth-state.json over its inline state when a state file is given. What could not
 * be read without costing the profiles (damaged state, damaged entries) lands in `warnings`. `shownAs` names the
 * profiles file in messages instead of its path (a typed --auth-path that reads as a token is not repeated).
 */
export function readJsonStore(
  profilesPath: string,
  statePath: string | null,
  warnings: string[] = [],
  shownAs = profilesPath,
): RawAuthStore {
  const store = readProfilesFile(profilesPath, warnings, shownAs);
  return statePath ? withState(store, readStateFile(statePath, warnings)) : store;
}
