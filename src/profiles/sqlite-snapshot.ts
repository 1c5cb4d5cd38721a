import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { SqliteSnapshotError } from "../errors/index.ts";

/**
 * Reads an OpenClaw SQLite database without changing one byte of the state dir.
 *
 * Opening the live file is not safe even with `mode=ro`: a reader of a WAL database maps and updates the
 * -shm index, and may create -wal/-shm files. `immutable=1` changes nothing but ignores the WAL, where a
 * recent OpenClaw write may still live. So, like OpenClaw's own readers (openclaw-sqlite-readonly-v2-*),
 * the database and its WAL are copied into a private 0700 temporary dir, the copy is opened there, and the
 * dir is removed before returning. The copy is retried when the source changed while it was copied.
 */
const COPY_ATTEMPTS = 4;

interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

function stamp(path: string): FileStamp | null {
  try {
    const st = statSync(path);
    return { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  } catch {
    return null;
  }
}

const sameStamp = (a: FileStamp | null, b: FileStamp | null): boolean =>
  a === b || (a !== null && b !== null && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino);

/** Runs `read` on a private copy of the database at `path`; the copy is gone when this returns. */
export function withSqliteSnapshot<T>(path: string, read: (db: DatabaseSync) => T): T {
  if (!existsSync(path)) throw new SqliteSnapshotError("snapshot_missing", `no database at ${path}`);
  sweepStaleSnapshots();
  const dir = mkdtempSync(join(tmpdir(), SNAPSHOT_PREFIX));
  try {
    const copy = join(dir, "snapshot.sqlite");
    copyConsistent(path, copy);
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(copy);
    } catch (error) {
      throw new SqliteSnapshotError(
        "snapshot_unreadable",
        `cannot open a copy of ${path}: ${(error as Error).message}`,
      );
    }
    try {
      return read(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SNAPSHOT_PREFIX = "codex-profiler-sqlite-";
const STALE_AFTER_MS = 10 * 60_000;

/**
 * The copy holds credentials, so it must not outlive its read: a process killed mid-read (SIGKILL, a job
 * timeout) leaves its 0700 folder behind, and the next read removes such leftovers of this user's.
 */
function sweepStaleSnapshots(): void {
  const base = tmpdir();
  const uid = process.getuid?.();
  let entries: string[];
  try {
    entries = readdirSync(base).filter((e) => e.startsWith(SNAPSHOT_PREFIX));
  } catch {
    return;
  }
  for (const entry of entries) {
    try {
      const st = statSync(join(base, entry));
      if ((uid === undefined || st.uid === uid) && Date.now() - st.mtimeMs > STALE_AFTER_MS)
        rmSync(join(base, entry), { recursive: true, force: true });
    } catch {
      // Gone already, or not ours to remove.
    }
  }
}

function copyConsistent(source: string, target: string): void {
  const wal = `${source}-wal`;
  for (let attempt = 0; attempt < COPY_ATTEMPTS; attempt++) {
    const before = [stamp(source), stamp(wal)] as const;
    try {
      copyFileSync(source, target);
      rmSync(`${target}-wal`, { force: true });
      if (before[1]) copyFileSync(wal, `${target}-wal`);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A WAL that vanished mid-copy was checkpointed: go again.
      if (code === "ENOENT" && existsSync(source)) continue;
      throw new SqliteSnapshotError("snapshot_unreadable", `cannot read ${source} (${code ?? "read failed"})`);
    }
    const after = [stamp(source), stamp(wal)] as const;
    if (sameStamp(before[0], after[0]) && sameStamp(before[1], after[1])) return;
  }
  throw new SqliteSnapshotError("snapshot_busy", `${source} kept changing while it was read; try again`);
}

export function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}
