import { readFileSync } from "node:fs";
import { ProfileSourceError } from "./profile-source-error.ts";
import { coerceState, coerceStore, withState, type RawAuthState, type RawAuthStore } from "./raw-store.ts";

/**
 * The JSON layouts of OpenClaw ≤ 2026.6, read-only:
 * - json-single (≤ 2026.4.6): auth-profiles.json = {version, profiles, order?, lastGood?, usageStats?};
 * - json-split (2026.4.7–2026.6): the same file (its inline state is a legacy fallback) plus auth-state.json
 *   = {version, order?, lastGood?, usageStats?}, which wins key by key.
 */
function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new ProfileSourceError("store_not_found", `${what} ${path} does not exist`, path);
    throw new ProfileSourceError("store_unreadable", `cannot read ${what} ${path} (${code ?? "read failed"}); check its permissions`, path);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    throw new ProfileSourceError("store_invalid", `${what} ${path} is not valid JSON`, path);
  }
}

export function readProfilesFile(path: string): RawAuthStore {
  const store = coerceStore(readJson(path, "auth profile file"));
  if (!store) throw new ProfileSourceError("store_invalid", `auth profile file ${path} has no "profiles" object`, path);
  return store;
}

export function readStateFile(path: string): RawAuthState {
  const raw = readJson(path, "auth state file");
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ProfileSourceError("store_invalid", `auth state file ${path} is not a JSON object`, path);
  }
  return coerceState(raw);
}

/** auth-profiles.json, with auth-state.json over its inline state when a state file is given. */
export function readJsonStore(profilesPath: string, statePath: string | null): RawAuthStore {
  const store = readProfilesFile(profilesPath);
  return statePath ? withState(store, readStateFile(statePath)) : store;
}
