import { join } from "node:path";
import type { ExistsProbe } from "../openclaw/paths.ts";

/**
 * Which store layout applies, decided from which files exist. PURE (takes an existence probe).
 *
 * - Any OpenClaw SQLite database (shared state DB, the agent's or the shared main agent's
 *   openclaw-agent.sqlite) means 2026.6.11+: the sqlite layout. Its runtime never reads JSON stores again.
 * - Otherwise auth-profiles.json with auth-state.json is json-split, without it json-single. An agent with no
 *   file of its own reads the main agent's (older OpenClaw copied main's secrets into sub-agents); one with its
 *   own file sees the main agent's files under it (`inherited`), as OpenClaw ≤ 2026.5 does: 2026.5.28's
 *   `models auth order set --agent work` leaves work an empty auth-profiles.json, and it still lists main's.
 *
 * In the sqlite layout a retired *credential* file (auth-profiles.json, auth.json, and for the main dir
 * credentials/oauth.json) beside an owner whose own openclaw-agent.sqlite holds no credentials is
 * unmigrated: OpenClaw fails closed with AUTH_PROFILE_MIGRATION_REQUIRED (verified with 2026.9.6: also
 * when the credentials live in the shared state DB). A lone auth-state.json is only warned about and ignored.
 */
export interface LegacyFiles {
  dir: string;
  profiles: string | null;
  state: string | null;
  legacyAuth: string | null;
  legacyOAuth: string | null;
}

export function legacyFilesIn(dir: string, exists: ExistsProbe, oauthJsonPath: string | null = null): LegacyFiles {
  const at = (path: string): string | null => (exists(path) ? path : null);
  return {
    dir,
    profiles: at(join(dir, "auth-profiles.json")),
    state: at(join(dir, "auth-state.json")),
    legacyAuth: at(join(dir, "auth.json")),
    legacyOAuth: oauthJsonPath ? at(oauthJsonPath) : null,
  };
}

const credentialFiles = (f: LegacyFiles): string[] =>
  [f.profiles, f.legacyAuth, f.legacyOAuth].filter((p): p is string => p !== null);

/** A JSON store: its auth-profiles.json and auth-state.json (null when absent). */
interface JsonStoreFiles {
  profilesFile: string;
  stateFile: string | null;
}

export type LayoutDecision =
  | { layout: "sqlite"; databases: string[] }
  | { layout: "json-single" | "json-split"; own: JsonStoreFiles; inherited: JsonStoreFiles | null }
  | { layout: "none"; lookedAt: string[] };

export interface LayoutFacts {
  /** The SQLite databases that exist (shared state DB, agent DB, shared main agent DB). */
  databases: string[];
  agent: LegacyFiles;
  /** The shared main agent dir's files; the same object as `agent` when the agent is main. */
  main: LegacyFiles;
}

export function detectLayout(facts: LayoutFacts): LayoutDecision {
  if (facts.databases.length > 0) return { layout: "sqlite", databases: facts.databases };
  const own = facts.agent.profiles ? facts.agent : facts.main.profiles ? facts.main : null;
  if (!own?.profiles) {
    const lookedAt = [
      ...new Set([join(facts.agent.dir, "auth-profiles.json"), join(facts.main.dir, "auth-profiles.json")]),
    ];
    return { layout: "none", lookedAt };
  }
  const main = own !== facts.main && facts.main.profiles ? facts.main : null;
  const inherited = main?.profiles ? { profilesFile: main.profiles, stateFile: main.state } : null;
  const split = own.state !== null || Boolean(inherited?.stateFile);
  return {
    layout: split ? "json-split" : "json-single",
    own: { profilesFile: own.profiles, stateFile: own.state },
    inherited,
  };
}

/** The retired credential files OpenClaw would refuse to run beside, given whether the owner's DB holds credentials. */
export function unmigratedFiles(files: LegacyFiles, ownerDbHasCredentials: boolean): string[] {
  return ownerDbHasCredentials ? [] : credentialFiles(files);
}
