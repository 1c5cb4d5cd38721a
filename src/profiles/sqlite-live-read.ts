import type { BigIntStats } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";

const { accessSync, closeSync, constants, lstatSync, openSync, readSync, realpathSync, statSync } =
  process.getBuiltinModule("node:fs");

/**
 * Reads OpenClaw's auth rows from its live SQLite databases in place: read-only, `query_only`, a busy
 * timeout, one short read transaction per database, then close. node:sqlite waits for a lock synchronously,
 * so `withLiveSqliteReadAsync` (every read of the product) lets SQLite not wait at all and waits out a
 * writer's lock between attempts with timers: inside a gateway the event loop never stalls on it. Never
 * copies, writes, checkpoints or migrates. SQLite's own locking gives a consistent snapshot: in WAL mode the
 * reader and OpenClaw's writer never block each other; in rollback-journal mode a SHARED lock keeps
 * uncommitted pages out, and a hot journal (a writer killed mid-transaction) is refused, since only a writer
 * may roll it back.
 *
 * What a read touches (measured, see tests/integration/profiles-sqlite-live.test.ts):
 * - the database file and the -wal content: never;
 * - the -shm (SQLite's shared-memory index, used by every reader, OpenClaw's own included): its read-mark
 *   bytes may change when we may write it; never when we may not (SQLite then keeps the index in heap);
 * - when a WAL database has no -wal, or an empty one and no -shm (no connection is open), SQLite would create
 *   the missing ones, so the read opens it `immutable` instead and creates nothing; it is redone if the file
 *   changed meanwhile (a damaged file's own failure is reported as is, with nothing created);
 * - a -wal holding frames without its -shm is not read: SQLite would create the -shm to index it. A closing last
 *   connection removes the -shm before the -wal, so this is "busy" (looked at again within the read's budget);
 * - a -wal and -shm seen just before the open but removed by a last connection closing in between are created
 *   again by SQLite's open (empty, as any reader's open leaves them): a window of the open's own duration.
 *
 * Standalone on purpose (no project imports): failures are a result, not a thrown project error, and no
 * message ever carries row content. What the auth rows are is sqlite-store.ts's business.
 */
type LiveReadFailureReason =
  | "missing"
  | "not_a_file"
  | "not_sqlite"
  | "busy"
  | "hot_journal"
  | "unreadable"
  | "invalid";

/** How the read was done: a normal locked read, or an `immutable` one of a WAL database nobody had open. */
type LiveReadMode = "wal" | "rollback" | "wal-idle-immutable";

export type LiveRead<T> =
  | { ok: true; value: T; mode: LiveReadMode }
  | { ok: false; reason: LiveReadFailureReason; message: string; path: string };

export interface LiveReadOptions {
  /** How long SQLite waits, blocking the thread, for a lock held by a writer before giving up (busy). */
  busyTimeoutMs?: number;
}

export interface AsyncLiveReadOptions {
  /** How long in all a writer's lock is waited for, between attempts, before giving up (busy). */
  budgetMs?: number;
}

/** A database read as `read` sees it; the callback runs inside the one read transaction. */
export type LiveQuery<T> = (db: DatabaseSync) => T;

const DEFAULT_BUSY_TIMEOUT_MS = 2_000;
/** An attempt of an async read never waits for a lock synchronously: the wait is the timer pauses between. */
const ATTEMPT_BUSY_TIMEOUT_MS = 0;
const MAX_PAUSE_MS = 100;
const SQLITE_MAGIC = "SQLite format 3\u0000";

/** A row's value that is not what its reader expects: a data failure, reported as `invalid`. */
export class LiveRowInvalid extends Error {
  readonly where: string;
  readonly why: string;
  constructor(where: string, why: string) {
    super(`${where} is ${why}; run openclaw doctor --fix`);
    this.where = where;
    this.why = why;
  }
}

function fail<T>(reason: LiveReadFailureReason, message: string, path: string): LiveRead<T> {
  return { ok: false, reason, message, path };
}

function lstatOrNull(path: string): BigIntStats | null {
  try {
    return lstatSync(path, { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

/** The file's identity, size and times: a change of any means someone wrote it (or replaced it). */
function stampOf(path: string): string | null {
  try {
    const st = statSync(path, { bigint: true });
    return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(":");
  } catch {
    return null;
  }
}

/** Whether this user may read `path`; an absent file is not a denied one. */
function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/** The first 100 bytes, without blocking on anything that is not a plain file. */
function readHeader(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const header = Buffer.alloc(100);
    const n = readSync(fd, header, 0, 100, 0);
    return header.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

interface SqliteError {
  errcode?: number;
  code?: string;
  message?: string;
}

/** Maps a node:sqlite error to a reason; the message is SQLite's own text, which never holds row content. */
function sqliteFailure<T>(error: unknown, path: string): LiveRead<T> {
  if (error instanceof LiveRowInvalid) return fail("invalid", error.message, path);
  const e = error as SqliteError;
  if (e?.code !== "ERR_SQLITE_ERROR" || typeof e.errcode !== "number") {
    return fail("unreadable", `cannot read ${path}: ${(e?.message ?? String(error)).slice(0, 200)}`, path);
  }
  const primary = e.errcode & 0xff;
  const what = `${e.message ?? "SQLite error"} (code ${e.errcode})`;
  if (e.errcode === 776 /* SQLITE_READONLY_ROLLBACK */) {
    return fail(
      "hot_journal",
      `${path} has a hot rollback journal (a writer stopped mid-transaction); only a writer may roll it back, ` +
        "so it is not read: OpenClaw's next write to it rolls it back; try again then",
      path,
    );
  }
  if (primary === 5 /* BUSY */ || primary === 6 /* LOCKED */) {
    return fail("busy", `${path} stayed locked by a writer beyond the busy timeout; try again`, path);
  }
  if (primary === 26 /* NOTADB */) return fail("not_sqlite", `${path} is not a SQLite database`, path);
  const denied = primary === 14 /* CANTOPEN */ ? ["-wal", "-shm"].find((s) => !readable(`${path}${s}`)) : undefined;
  if (denied !== undefined) {
    return fail(
      "unreadable",
      `${path}${denied} is not readable by this user, and SQLite needs it to read ${path}; run as OpenClaw's user`,
      path,
    );
  }
  return fail("unreadable", `cannot read ${path} in place: ${what}`, path);
}

function runReadTransaction<T>(location: string | URL, busyTimeoutMs: number, query: LiveQuery<T>): T {
  const db = new DatabaseSync(location, { readOnly: true, timeout: busyTimeoutMs });
  try {
    db.exec("PRAGMA query_only = 1");
    db.exec("BEGIN");
    let value: T;
    try {
      value = query(db);
    } catch (error) {
      db.exec("ROLLBACK");
      throw error;
    }
    db.exec("COMMIT");
    return value;
  } finally {
    db.close();
  }
}

/**
 * Runs `query` in one read transaction on the live database at `path`. Only regular files are opened (a
 * FIFO or a device is refused at once, so nothing hangs); the -wal/-shm/-journal beside it must be regular
 * files too when present.
 */
export function withLiveSqliteRead<T>(path: string, query: LiveQuery<T>, options: LiveReadOptions = {}): LiveRead<T> {
  // SQLite opens a linked database's -wal and -shm beside its target: they are looked for there too.
  let target: string;
  try {
    if (lstatOrNull(path) === null) return fail("missing", `no database at ${path}`, path);
    target = realpathSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read failed";
    if (code === "ENOENT") return fail("missing", `no database at ${path} (a link to nothing)`, path);
    return fail("unreadable", `cannot read ${path} (${code})`, path);
  }
  const read = readAt(target, query, options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  return read.ok || target === path ? read : { ...read, path, message: read.message.split(target).join(path) };
}

function readAt<T>(path: string, query: LiveQuery<T>, busyTimeoutMs: number): LiveRead<T> {
  let walMode: boolean;
  let sidecars: Record<"wal" | "shm" | "journal", BigIntStats | null>;
  try {
    const st = statSync(path, { bigint: true });
    if (!st.isFile()) return fail("not_a_file", `${path} is not a regular file; refusing to open it`, path);
    sidecars = {
      wal: lstatOrNull(`${path}-wal`),
      shm: lstatOrNull(`${path}-shm`),
      journal: lstatOrNull(`${path}-journal`),
    };
    for (const [kind, side] of Object.entries(sidecars)) {
      if (side !== null && !side.isFile()) {
        return fail("not_a_file", `${path}-${kind} is not a regular file; refusing to open ${path}`, path);
      }
    }
    const header = readHeader(path);
    if (header.length > 0 && (header.length < 100 || header.toString("latin1", 0, 16) !== SQLITE_MAGIC)) {
      return fail("not_sqlite", `${path} is not a SQLite database`, path);
    }
    // Opening an empty database discards the -wal beside it, commits and all, even read-only.
    const beside = Object.entries(sidecars).find(([, side]) => side !== null);
    if (header.length === 0 && beside !== undefined) {
      return fail(
        "unreadable",
        `${path} is empty but has a -${beside[0]} beside it (being created, or damaged); it is not opened, since ` +
          "opening it would discard that file; try again, and if it stays so, restore it from a backup",
        path,
      );
    }
    walMode = header.length >= 20 && header[18] === 2 && header[19] === 2;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "read failed";
    return fail("unreadable", `cannot read ${path} (${code})`, path);
  }

  if (!walMode) return normalRead(path, busyTimeoutMs, query, "rollback");
  for (let attempt = 0; attempt < IDLE_ATTEMPTS; attempt++) {
    let { wal, shm } = sidecars;
    try {
      if (attempt > 0) [wal, shm] = [lstatOrNull(`${path}-wal`), lstatOrNull(`${path}-shm`)];
    } catch (error) {
      return fail(
        "unreadable",
        `cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "stat failed"})`,
        path,
      );
    }
    if (wal !== null && shm !== null) return normalRead(path, busyTimeoutMs, query, "wal");
    if (wal !== null && wal.size > 0n) {
      return fail(
        "busy",
        `${path}-wal holds commits but its -shm index is missing; only a writer may rebuild it, so it is not ` +
          "read: OpenClaw's next open of it does; try again then",
        path,
      );
    }
    const idle = readIdleWal(path, busyTimeoutMs, query);
    if (idle !== null) return idle;
  }
  return fail("busy", `${path} kept being written while it was read; try again`, path);
}

/**
 * `withLiveSqliteRead` without a synchronous wait: an attempt that finds a writer's lock is busy at once, and
 * the next one follows a timer pause (5 ms doubling to 100 ms), until the budget (the same 2 s a synchronous
 * read waits by default) is spent. Same outcomes as the synchronous read.
 */
export async function withLiveSqliteReadAsync<T>(
  path: string,
  query: LiveQuery<T>,
  options: AsyncLiveReadOptions = {},
): Promise<LiveRead<T>> {
  const deadline = performance.now() + (options.budgetMs ?? DEFAULT_BUSY_TIMEOUT_MS);
  for (let pause = 5; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
    const read = withLiveSqliteRead(path, query, { busyTimeoutMs: ATTEMPT_BUSY_TIMEOUT_MS });
    const left = deadline - performance.now();
    if (read.ok || read.reason !== "busy" || left <= 0) return read;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
  }
}

/** Idle reads redone when a writer changed the file meanwhile, before giving up as busy. */
const IDLE_ATTEMPTS = 3;

function normalRead<T>(path: string, busyTimeoutMs: number, query: LiveQuery<T>, mode: LiveReadMode): LiveRead<T> {
  try {
    return { ok: true, value: runReadTransaction(path, busyTimeoutMs, query), mode };
  } catch (error) {
    return sqliteFailure(error, path);
  }
}

/**
 * A WAL database with no -wal (or an empty one and no -shm) has no open connection and all its content in the
 * main file. It is read `immutable` (no locks, no files created). A writer could only change the file after
 * writing the -wal and checkpointing from it, so the read, or its failure, counts only if the stamps of the
 * file and of the -wal are unchanged; otherwise null, and the caller looks again. A failure on an unchanged
 * file is the file's own (truncated, corrupt): a normal open would only create the -wal and -shm.
 */
function readIdleWal<T>(path: string, busyTimeoutMs: number, query: LiveQuery<T>): LiveRead<T> | null {
  const before = stampOf(path);
  const url = pathToFileURL(path);
  url.searchParams.set("mode", "ro");
  url.searchParams.set("immutable", "1");
  const walBefore = stampOf(`${path}-wal`);
  const untouched = (): boolean => before !== null && before === stampOf(path) && walBefore === stampOf(`${path}-wal`);
  let value: T;
  try {
    value = runReadTransaction(url, busyTimeoutMs, query);
  } catch (error) {
    // An invalid row too: read without locks, a row can be torn by a checkpoint writing its pages meanwhile.
    return untouched() ? sqliteFailure(error, path) : null;
  }
  return untouched() ? { ok: true, value, mode: "wal-idle-immutable" } : null;
}
