/**
 * Files, the one way: every file the tools open is read bounded (below), and the JSON files of our own (usage
 * cache, history, rotation state) are written atomically and read back checked. OpenClaw's files are only read.
 */
import type { Stats } from "node:fs";
import { dirname, join } from "node:path";

const {
  chmodSync,
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} = process.getBuiltinModule("node:fs");

/**
 * The folder of our own files (usage cache and history, rotation state, the change lock):
 * $CODEX_PROFILER_CACHE_DIR, else $XDG_CACHE_HOME/codex-profiler, else ~/.cache/codex-profiler.
 */
export function resolveCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CODEX_PROFILER_CACHE_DIR) return env.CODEX_PROFILER_CACHE_DIR;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, "codex-profiler");
  return join(env.HOME || process.getBuiltinModule("node:os").homedir(), ".cache", "codex-profiler");
}

/**
 * Every file the tools open is read this way (auth-profiles.json, auth-state.json, openclaw.json, paths
 * openclaw reports, cache and state files): only a regular file, only up to a size cap, never blocking.
 * stat → refuse anything but a regular file (FIFO, device such as /dev/zero, folder, socket) and anything over
 * the cap → open with O_NONBLOCK → fstat again (same file, still regular) → read at most cap + 1 bytes.
 * A failure is data with a closed code, never a throw: each caller decides what it means for it.
 */
type FileReadErrorCode = "file_not_found" | "file_not_regular" | "file_too_large" | "file_unreadable";

export type FileRead = { ok: true; bytes: Buffer } | { ok: false; code: FileReadErrorCode; detail: string };

/**
 * Caps callers pass: OpenClaw's stores and our cache files may hold a few MB. OpenClaw reads openclaw.json
 * unbounded (a 1 MB meta.lastTouchedVersion included): the same cap as a store, far above any real config.
 */
export const STORE_FILE_CAP = 8 * 1024 * 1024;
export const CONFIG_FILE_CAP = 8 * 1024 * 1024;

const CHUNK = 64 * 1024;

const fail = (code: FileReadErrorCode, detail: string): FileRead => ({ ok: false, code, detail });

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

export function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "read failed";
}

// A path that became something else than a regular file between the stat and the open is looked at again. One
// replaced by another regular file (an atomic writer's rename) is simply read: the open file is its new content.
const CHANGED = "it changed while it was opened";
const READ_ATTEMPTS = 3;

export function readFileBounded(path: string, maxBytes: number): FileRead {
  let read = readOnce(path, maxBytes);
  for (let attempt = 1; attempt < READ_ATTEMPTS && !read.ok && read.detail === CHANGED; attempt++) {
    read = readOnce(path, maxBytes);
  }
  return read;
}

function readOnce(path: string, maxBytes: number): FileRead {
  let before: Stats;
  try {
    before = statSync(path);
  } catch (error) {
    const errno = errnoOf(error);
    return errno === "ENOENT" || errno === "ENOTDIR" ? fail("file_not_found", errno) : fail("file_unreadable", errno);
  }
  if (!before.isFile()) return fail("file_not_regular", kindOf(before));
  if (before.size > maxBytes) return fail("file_too_large", `${before.size} bytes, at most ${maxBytes}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (error) {
    const errno = errnoOf(error);
    return errno === "ENOENT" ? fail("file_not_found", errno) : fail("file_unreadable", errno);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) return fail("file_not_regular", CHANGED);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    if (total > maxBytes) return fail("file_too_large", `more than ${maxBytes} bytes`);
    return { ok: true, bytes: Buffer.concat(chunks, total) };
  } catch (error) {
    return fail("file_unreadable", errnoOf(error));
  } finally {
    closeSync(fd);
  }
}

/** The file as UTF-8 text without a byte-order mark. */
export function readTextBounded(
  path: string,
  maxBytes: number,
): { ok: true; text: string } | Extract<FileRead, { ok: false }> {
  const read = readFileBounded(path, maxBytes);
  if (!read.ok) return read;
  const text = read.bytes.toString("utf8");
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Creates the folder 0700 (and tightens it when it already exists and is ours). */
function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

let writes = 0;

/**
 * Writes JSON through a 0600 temporary file in the same folder, fsynced, then renamed over the target, so a
 * reader never sees half a file. The folder is made 0700. Throws when it cannot write.
 */
export function writeJsonAtomic(path: string, value: unknown): void {
  ensurePrivateDir(dirname(path));
  // Unique among writers ("wx" refuses a clash); node:crypto would cost a short run's start-up a tenth.
  const tmp = `${path}.${process.pid}.${(++writes).toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    const fd = openSync(tmp, "wx", 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/**
 * Reads and checks a JSON file of ours (`isValid`: a schema's check); a missing, unreadable, oversized, corrupt or
 * foreign one is undefined.
 */
export function readJsonChecked<T>(
  path: string,
  isValid: (value: unknown) => value is T,
  maxBytes = STORE_FILE_CAP,
): T | undefined {
  const read = readTextBounded(path, maxBytes);
  if (!read.ok) return undefined;
  try {
    const value: unknown = JSON.parse(read.text);
    return isValid(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
