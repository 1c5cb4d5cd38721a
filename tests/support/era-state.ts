import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { EraVersion } from "./eras.ts";
import { ensureEraBin, era, eraRootAt, jsonOut, makeEraRoot, runEra, writeEraBaseConfig } from "./eras.ts";
import { fakeAccessToken } from "./fake-jwt.ts";
import { FIXTURE_ACCOUNTS, type FixtureAccount, legacyAuthProfiles } from "./fixtures.ts";
import { type OpenclawRoot, PROJECT_ROOT, type RunResult, seedLegacyStore } from "./openclaw.ts";

/** Where the release keeps the Codex credentials once settled, as found on disk. */
export type EraLayout =
  | "auth-profiles.json" // 2026.4.5: credentials and order/lastGood/usageStats in one file
  | "auth-profiles.json+auth-state.json" // 2026.4.12, 5.28 once an order is set: order and usage state apart
  | "agent-sqlite" // 2026.6.11, 7.1: agents/<id>/agent/openclaw-agent.sqlite (credentials and order)
  | "state-sqlite"; // 2026.8.2, 9.6: state/openclaw.sqlite (the agent DB holds only the per-agent order)

/** Each release's layout once its own doctor and order set settled a legacy file (checked in the version matrix). */
export const ERA_LAYOUT: Record<EraVersion, EraLayout> = {
  "2026.4.5": "auth-profiles.json",
  "2026.4.12": "auth-profiles.json+auth-state.json",
  "2026.5.28": "auth-profiles.json+auth-state.json",
  "2026.6.11": "agent-sqlite",
  "2026.7.1": "agent-sqlite",
  "2026.8.2": "state-sqlite",
  "2026.9.6": "state-sqlite",
};

export interface EraStateOptions {
  /** Accounts of the legacy file (default: the first three fixture accounts). */
  accounts?: FixtureAccount[];
  /** Account names to put in order with the release's own `models auth order set` (null: no order). */
  order?: string[] | null;
  /** Run `doctor --fix --non-interactive --yes` also where the legacy file needs no import (4.x, 5.28). */
  forceDoctor?: boolean;
}

export interface EraState {
  version: EraVersion;
  root: OpenclawRoot;
  /** The release's `openclaw` launcher (first on root.env.PATH). */
  bin: string;
  layout: EraLayout;
  /** The provider id the release's own `models status --json` gives the Codex profiles. */
  provider: string;
  /** The Codex profile ids as the release's own `models status --json` lists them. */
  profileIds: string[];
  /** The stored order as the release's own `models auth order get --json` reports it after the set. */
  storedOrder: string[] | null;
  /** Auth files of the state (relative to root): the JSON pair, archives, the databases holding auth. */
  authFiles: string[];
  doctor: { code: number | null; out: string } | null;
}

const DEFAULT_ORDER = ["carol@example.com", "alice@example.com"];
const BUILDER_VERSION = "1";

/**
 * A temporary state the way the release's own users have it: a legacy agents/main/agent/auth-profiles.json
 * with Codex OAuth profiles (provider openai-codex), then the release's own `doctor --fix --non-interactive
 * --yes` where it must import that file (SQLite eras), then an order set by its own `models auth order set
 * --provider <its id> --agent main`. Everything reported comes from the release's own output. Built once per
 * release, options and lockfile under .tmp/ (20–60 s of CPU on 2026.4.x), then copied per call.
 */
export async function eraState(version: EraVersion, options: EraStateOptions = {}): Promise<EraState> {
  const template = await eraTemplate(version, options);
  const root = mkdtempSync(join(tmpdir(), `cxp-era-${version}-`));
  cpSync(template.root.root, root, { recursive: true });
  const r = eraRootAt(root, version);
  rewriteRootPaths(r, template.root.root);
  writeEraBaseConfig(r, version);
  return { ...template, root: r };
}

/**
 * Test setup on a private copy: more profiles in the store the release settled (its auth-profiles.json, or the
 * store cell of its SQLite database), as a store mixing providers holds them.
 */
export function addEraProfiles(s: EraState, profiles: Record<string, unknown>): void {
  editEraStore(s, (saved) => Object.assign(saved, profiles));
}

/** Test setup on a private copy: a profile removed from the store by hand, the only way before 2026.8's logout. */
export function dropEraProfile(s: EraState, id: string): void {
  editEraStore(s, (saved) => {
    if (!(id in saved)) throw new Error(`${id} is not in the store`);
    delete saved[id];
  });
}

/** Test setup on a private copy: the profile sat idle `days` days; its access token lapsed, its refresh token kept. */
export function lapseEraProfile(s: EraState, id: string, days = 12): void {
  const account = FIXTURE_ACCOUNTS.find((a) => id.endsWith(`:${a.name}`));
  if (!account) throw new Error(`no fixture account for ${id}`);
  const lapsed = Math.floor(Date.now() / 1000) - days * 86_400;
  editEraStore(s, (saved) => {
    const credential = saved[id] as { access: string; expires: number };
    credential.access = fakeAccessToken({ ...account, exp: lapsed });
    credential.expires = lapsed * 1000;
  });
}

/** The store the release settled (its auth-profiles.json, or the store cell of its SQLite database), edited. */
function editEraStore(s: EraState, edit: (profiles: Record<string, unknown>) => void): void {
  const agentDir = join(s.root.stateDir, "agents/main/agent");
  if (s.layout.startsWith("auth-profiles.json")) {
    const file = join(agentDir, "auth-profiles.json");
    const doc = JSON.parse(readFileSync(file, "utf8")) as { profiles: Record<string, unknown> };
    edit(doc.profiles);
    writeFileSync(file, JSON.stringify(doc, null, 2));
    return;
  }
  const [db, table, value, key] =
    s.layout === "state-sqlite"
      ? [join(s.root.stateDir, "state/openclaw.sqlite"), "config_machine_state", "value_json", "state_key"]
      : [join(agentDir, "openclaw-agent.sqlite"), "auth_profile_store", "store_json", "store_key"];
  const where = `WHERE ${key} = '${s.layout === "state-sqlite" ? "authProfiles.store" : "primary"}'`;
  const conn = new DatabaseSync(db);
  try {
    const row = conn.prepare(`SELECT ${value} AS j FROM ${table} ${where}`).get() as { j: string };
    const store = JSON.parse(row.j) as { profiles: Record<string, unknown> };
    edit(store.profiles);
    conn.prepare(`UPDATE ${table} SET ${value} = ? ${where}`).run(JSON.stringify(store));
  } finally {
    conn.close();
  }
}

export function removeEraState(s: EraState): void {
  rmSync(s.root.root, { recursive: true, force: true });
}

/** Releases write absolute paths (workspace, log file) into openclaw.json: point them at the copy. */
function rewriteRootPaths(r: OpenclawRoot, from: string): void {
  const path = join(r.stateDir, "openclaw.json");
  if (!existsSync(path)) return;
  const text = readFileSync(path, "utf8");
  if (text.includes(from)) writeFileSync(path, text.split(from).join(r.root));
}

async function eraTemplate(version: EraVersion, options: EraStateOptions): Promise<EraState> {
  const key = createHash("sha256")
    .update(JSON.stringify({ BUILDER_VERSION, version, options }))
    .update(readFileSync(join(era(version).dir, "package-lock.json")))
    .digest("hex")
    .slice(0, 12);
  const finalDir = join(PROJECT_ROOT, ".tmp", `openclaw-era-${version}-${key}`);
  const described = join(finalDir, "era-state.json");
  if (existsSync(described)) {
    const saved = JSON.parse(readFileSync(described, "utf8")) as Omit<EraState, "root" | "bin">;
    return { ...saved, bin: ensureEraBin(version), root: eraRootAt(finalDir, version) };
  }
  const built = await buildEraState(version, options);
  const { root: _root, bin: _bin, ...saved } = built;
  writeFileSync(join(built.root.root, "era-state.json"), JSON.stringify(saved, null, 2));
  mkdirSync(dirname(finalDir), { recursive: true });
  try {
    renameSync(built.root.root, finalDir);
  } catch {
    rmSync(built.root.root, { recursive: true, force: true }); // another worker built it first
  }
  const r = eraRootAt(finalDir, version);
  rewriteRootPaths(r, built.root.root);
  writeEraBaseConfig(r, version);
  return { ...built, root: r };
}

function mustSucceed(version: EraVersion, what: string, res: RunResult): RunResult {
  if (res.code !== 0) throw new Error(`openclaw ${version} ${what} failed (${res.code}): ${res.stderr.slice(-600)}`);
  return res;
}

interface StatusProfiles {
  auth?: { oauth?: { profiles?: Array<{ profileId: string; provider: string }> } };
}

/** Builds the state in a new temporary root, without the cache: see eraState. */
async function buildEraState(version: EraVersion, options: EraStateOptions = {}): Promise<EraState> {
  const r = makeEraRoot(version, `cxp-era-build-${version}-`);
  writeEraBaseConfig(r, version);
  const accounts = options.accounts ?? FIXTURE_ACCOUNTS.slice(0, 3);
  seedLegacyStore(r, legacyAuthProfiles({ accounts }));

  let doctor: EraState["doctor"] = null;
  if (era(version).doctorImportsLegacyFile || options.forceDoctor) {
    const args = ["doctor", "--fix", "--non-interactive", "--yes"];
    const res = mustSucceed(version, "doctor --fix", await runEra(version, args, r, 600_000));
    doctor = { code: res.code, out: res.stdout };
    writeEraBaseConfig(r, version); // doctor may rewrite the config: keep the log and offline settings
  }

  const status = mustSucceed(version, "models status --json", await runEra(version, ["models", "status", "--json"], r));
  const oauth = jsonOut<StatusProfiles>(status).auth?.oauth?.profiles ?? [];
  const codex = oauth.filter((p) => p.provider === "openai-codex" || p.provider === "openai");
  if (codex.length !== accounts.length) {
    const listed = JSON.stringify(oauth);
    throw new Error(`openclaw ${version} lists ${codex.length} Codex profiles, not ${accounts.length}: ${listed}`);
  }
  const provider = codex[0]!.provider;
  const profileIds = codex.map((p) => p.profileId);

  let storedOrder: string[] | null = null;
  const wanted = options.order === undefined ? DEFAULT_ORDER : options.order;
  if (wanted !== null) {
    const ids = wanted.map((name) => {
      const id = profileIds.find((p) => p.endsWith(`:${name}`));
      if (!id) throw new Error(`no profile for ${name} in ${profileIds.join(", ")}`);
      return id;
    });
    const scope = ["--provider", provider, "--agent", "main"];
    mustSucceed(version, "order set", await runEra(version, ["models", "auth", "order", "set", ...scope, ...ids], r));
    const get = await runEra(version, ["models", "auth", "order", "get", ...scope, "--json"], r);
    storedOrder = jsonOut<{ order: string[] | null }>(mustSucceed(version, "order get", get)).order;
  }

  const [bin, layout, files] = [ensureEraBin(version), detectLayout(r), authFiles(r)];
  return { version, root: r, bin, layout, provider, profileIds, storedOrder, authFiles: files, doctor };
}

/** The auth files of a state: main agent's auth-* files and databases, and the whole-state DB. */
function authFiles(r: OpenclawRoot): string[] {
  const agentDir = join(r.stateDir, "agents/main/agent");
  const inAgent = existsSync(agentDir)
    ? readdirSync(agentDir)
        .filter((name) => name.startsWith("auth-") || name === "openclaw-agent.sqlite")
        .map((name) => relative(r.root, join(agentDir, name)))
    : [];
  const stateDb = join(r.stateDir, "state/openclaw.sqlite");
  return [...inAgent, ...(existsSync(stateDb) ? [relative(r.root, stateDb)] : [])].sort();
}

function detectLayout(r: OpenclawRoot): EraLayout {
  const agentDir = join(r.stateDir, "agents/main/agent");
  const stateDb = join(r.stateDir, "state/openclaw.sqlite");
  const sharedStore = "SELECT 1 FROM config_machine_state WHERE state_key = 'authProfiles.store'";
  if (existsSync(stateDb) && sqliteHas(stateDb, sharedStore)) return "state-sqlite";
  if (existsSync(join(agentDir, "openclaw-agent.sqlite"))) return "agent-sqlite";
  if (existsSync(join(agentDir, "auth-state.json"))) return "auth-profiles.json+auth-state.json";
  return "auth-profiles.json";
}

function sqliteHas(path: string, sql: string): boolean {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).get() !== undefined;
  } catch {
    return false; // no such table: not this layout
  } finally {
    db.close();
  }
}
