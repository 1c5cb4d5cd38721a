import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/index.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { readAgentAuthRowsLive } from "../../src/profiles/sqlite-live-read.ts";
import { legacyAuthProfiles } from "../support/fixtures.ts";

/**
 * Damaged stores OpenClaw's own files can end up as (a crash, a full disk, a bad copy): a clear error with its
 * stable code, or, where OpenClaw itself carries on, the report with a warning. Never a file created beside them.
 */
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function state(): { stateDir: string; agentDir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), "cxp-damaged-"));
  roots.push(root);
  const stateDir = join(root, "state");
  const agentDir = join(stateDir, "agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  return { stateDir, agentDir, env: { HOME: join(root, "home"), OPENCLAW_STATE_DIR: stateDir } };
}

/** A WAL-mode openclaw-agent.sqlite as OpenClaw leaves it after its last close: no -wal, no -shm. */
function walAgentDb(path: string, state?: string): void {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("CREATE TABLE auth_profile_store(store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER)");
  db.exec("CREATE TABLE auth_profile_state(state_key TEXT PRIMARY KEY, state_json TEXT, updated_at INTEGER)");
  db.exec("CREATE TABLE filler(x BLOB)");
  db.prepare("INSERT INTO auth_profile_store VALUES('primary', ?, 1)").run(JSON.stringify(legacyAuthProfiles()));
  if (state !== undefined) db.prepare("INSERT INTO auth_profile_state VALUES('primary', ?, 1)").run(state);
  for (let i = 0; i < 200; i++) db.prepare("INSERT INTO filler VALUES(randomblob(4000))").run();
  db.close();
}

type Damage = "truncated to a third" | "truncated to its header" | "garbage after the header";

function damage(path: string, how: Damage): void {
  if (how === "truncated to a third") truncateSync(path, Math.floor(statSync(path).size / 3));
  else if (how === "truncated to its header") truncateSync(path, 100);
  else {
    const bytes = readFileSync(path);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
  }
}

describe("a damaged WAL-mode database nobody has open", () => {
  const DAMAGE: Damage[] = ["truncated to a third", "truncated to its header", "garbage after the header"];

  it.each(DAMAGE)("%s: store_unreadable, and no -wal or -shm is created beside it", async (how) => {
    const s = state();
    const db = join(s.agentDir, "openclaw-agent.sqlite");
    walAgentDb(db);
    damage(db, how);
    const before = readdirSync(s.agentDir);
    expect(before).toEqual(["openclaw-agent.sqlite"]);

    const live = readAgentAuthRowsLive(db);
    expect(live).toMatchObject({ ok: false, reason: "unreadable", path: db });
    expect(readdirSync(s.agentDir)).toEqual(before);

    const error = await loadProfileSet({ env: s.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: "store_unreadable", path: db });
    expect(readdirSync(s.agentDir)).toEqual(before);
  });
});
