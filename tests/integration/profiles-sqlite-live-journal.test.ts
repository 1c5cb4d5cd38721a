import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { type LiveRead, withLiveSqliteRead } from "../../src/profiles/sqlite-live-read.ts";
import { readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { stateBytes } from "../support/state-bytes.ts";

/**
 * Rollback-journal databases (OpenClaw uses journal_mode=DELETE on network volumes: NFS, SMB, 9p) and
 * files that are not databases. The journal database is OpenClaw's own state/openclaw.sqlite, switched to
 * DELETE mode in a test copy; a second process writes to it as OpenClaw would.
 */
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");
const CHILD = join(PROJECT_ROOT, "tests/support/live-read-child.ts");
const roots: OpenclawRoot[] = [];
const dirs: string[] = [];
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) w.kill("SIGKILL");
  roots.forEach(removeRoot);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Store = { profiles: Record<string, Record<string, string>>; h4Gen?: number; uncommitted?: boolean };
const storeOf = (r: LiveRead<{ store: unknown }>): Store => {
  if (!r.ok) throw new Error(`expected rows, got ${r.reason}: ${r.message}`);
  return r.value.store as Store;
};

async function journalDb(): Promise<{ r: OpenclawRoot; db: string; secrets: string[] }> {
  const r = await copyTemplateState("cxp-journal-");
  roots.push(r);
  const db = join(r.stateDir, "state/openclaw.sqlite");
  const conn = new DatabaseSync(db);
  expect((conn.prepare("PRAGMA journal_mode = DELETE").get() as { journal_mode: string }).journal_mode).toBe("delete");
  conn.close();
  const store = storeOf(readSharedStateAuthRowsLive(db));
  const secrets = Object.values(store.profiles).flatMap((c) => [c.access!, c.refresh!]);
  return { r, db, secrets };
}

async function startWriter(db: string, mode: "hold" | "spill"): Promise<ChildProcess> {
  const spec = JSON.stringify({ db, layout: "shared", mode });
  const child = spawn(process.execPath, [WRITER, spec], { stdio: ["ignore", "pipe", "inherit"] });
  writers.push(child);
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once("data", (d: Buffer) => resolve(d.toString().trim()));
    child.once("exit", (code) => reject(new Error(`writer exited ${code}`)));
  });
  expect(line).toBe(mode === "hold" ? "held" : "spilled");
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  child.kill("SIGKILL");
  if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once("exit", resolve));
}

describe("rollback-journal database", () => {
  it("a writer mid-transaction (RESERVED lock): the old committed rows, nothing changed", async () => {
    const { r, db } = await journalDb();
    const writer = await startWriter(db, "hold");
    expect(existsSync(`${db}-journal`)).toBe(true);
    const before = stateBytes(r.root);
    const result = readSharedStateAuthRowsLive(db);
    expect(stateBytes(r.root)).toEqual(before);
    expect(result.ok && result.mode).toBe("rollback");
    expect(storeOf(result).uncommitted).toBeUndefined();
    await kill(writer);
  });

  it("uncommitted pages spilled into the file: busy, never read; killed there, a hot journal is refused", async () => {
    const { r, db, secrets } = await journalDb();
    const sizeBefore = statSync(db).size;
    const writer = await startWriter(db, "spill");
    // The writer holds the EXCLUSIVE lock and its uncommitted pages are in the database file.
    expect(statSync(db).size).toBeGreaterThan(sizeBefore);
    const busy = readSharedStateAuthRowsLive(db, { busyTimeoutMs: 200 });
    expect(busy).toMatchObject({ ok: false, reason: "busy", path: db });

    await kill(writer);
    expect(existsSync(`${db}-journal`)).toBe(true);
    const before = stateBytes(r.root);
    const hot = readSharedStateAuthRowsLive(db);
    // Not rolled back, not deleted, not read: the database and its journal are byte for byte as they were.
    expect(stateBytes(r.root)).toEqual(before);
    expect(hot).toMatchObject({ ok: false, reason: "hot_journal", path: db });
    expectNoSecrets(hot.ok ? "" : hot.message, secrets);

    // Ignoring the journal (as a copy of the file alone would) does not give the committed rows.
    const asCopy = new DatabaseSync(`file:${db}?immutable=1`, { readOnly: true });
    let copyView: string;
    try {
      copyView = JSON.stringify(asCopy.prepare("SELECT count(*) AS n FROM session_state_events").get());
    } catch (error) {
      copyView = (error as Error).message;
    } finally {
      asCopy.close();
    }
    expect(copyView).not.toBe(JSON.stringify({ n: 0 }));

    // OpenClaw's next writable open rolls it back; then the reader sees the last committed rows.
    const writable = new DatabaseSync(db);
    writable.prepare("SELECT count(*) FROM config_machine_state").get();
    writable.close();
    expect(existsSync(`${db}-journal`)).toBe(false);
    expect(storeOf(readSharedStateAuthRowsLive(db)).uncommitted).toBeUndefined();
  });
});

describe("a writer holding the lock, seen from a gateway's event loop", () => {
  it("the read waits for the lock between timers: the 10 ms ticks never stop; then busy, nothing changed", async () => {
    const { r, db, secrets } = await journalDb();
    const writer = await startWriter(db, "spill");
    const before = stateBytes(r.root);
    const child = spawn(process.execPath, [CHILD, "ticks", r.stateDir], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise((resolve) => child.once("exit", resolve));
    await kill(writer);
    expect(code).toBe(0);
    const seen = JSON.parse(out) as { code: string; message: string; maxGapMs: number; ms: number };
    console.log(`locked read: ${seen.code} after ${seen.ms} ms, longest event-loop gap ${seen.maxGapMs} ms`);
    expect(seen).toMatchObject({ code: "store_unreadable" });
    expect(seen.message).toContain(`${db} stayed locked by a writer`);
    expectNoSecrets(seen.message, secrets);
    // Synchronously, SQLite's busy timeout held the loop for the whole 2 s (2,055 ms measured); now no attempt
    // waits for the lock (20–120 ms measured on a loaded 2-CPU machine: scheduling, not the read).
    expect(seen.maxGapMs).toBeLessThan(250);
    expect(stateBytes(r.root)).toEqual(before);
  });
});

describe("files that are not a database", () => {
  function scratch(): string {
    const d = mkdtempSync(join(tmpdir(), "cxp-live-files-"));
    dirs.push(d);
    return d;
  }

  it("a FIFO, a link to /dev/zero and a directory are refused at once; nothing is opened", () => {
    const d = scratch();
    const fifo = join(d, "fifo.sqlite");
    spawnMkfifo(fifo);
    symlinkSync("/dev/zero", join(d, "zero.sqlite"));
    mkdirSync(join(d, "dir.sqlite"));
    for (const path of [fifo, join(d, "zero.sqlite"), join(d, "dir.sqlite")]) {
      const started = Date.now();
      expect(readSharedStateAuthRowsLive(path)).toMatchObject({ ok: false, reason: "not_a_file", path });
      expect(Date.now() - started).toBeLessThan(5_000);
    }
  });

  it("a text file is not SQLite, a missing one is missing, and a FIFO beside a database refuses it", () => {
    const d = scratch();
    writeFileSync(join(d, "text.sqlite"), "not a database, just text long enough to hold a header. ".repeat(4));
    expect(readSharedStateAuthRowsLive(join(d, "text.sqlite"))).toMatchObject({ ok: false, reason: "not_sqlite" });
    expect(readSharedStateAuthRowsLive(join(d, "none.sqlite"))).toMatchObject({ ok: false, reason: "missing" });
    const db = join(d, "db.sqlite");
    const conn = new DatabaseSync(db);
    conn.exec("CREATE TABLE t (x)");
    conn.close();
    spawnMkfifo(`${db}-wal`);
    expect(withLiveSqliteRead(db, () => 1)).toMatchObject({ ok: false, reason: "not_a_file" });
  });

  it("a row that is not JSON is invalid, and the message never quotes it (it holds tokens)", () => {
    const d = scratch();
    const db = join(d, "state.sqlite");
    const conn = new DatabaseSync(db);
    conn.exec("CREATE TABLE config_machine_state (state_key TEXT PRIMARY KEY, value_json TEXT, updated_at_ms INTEGER)");
    const secret = "eyJhbGciOiJub25lIn0.eyJzZWNyZXQiOiJ0b2tlbi12YWx1ZS0xMjM0NSJ9.";
    const insert = conn.prepare("INSERT INTO config_machine_state VALUES (?, ?, 1)");
    insert.run("auth.sharedStore", JSON.stringify({ location: "state-db" }));
    insert.run("authProfiles.store", `{"profiles": {"a": "${secret}"`);
    conn.close();
    const result = readSharedStateAuthRowsLive(db);
    expect(result).toMatchObject({ ok: false, reason: "invalid" });
    expectNoSecrets(result.ok ? "" : result.message, [secret]);
  });
});

function spawnMkfifo(path: string): void {
  expect(spawnSync("mkfifo", [path]).status).toBe(0);
}
