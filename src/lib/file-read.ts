import type { Stats } from "node:fs";

const { closeSync, constants, fstatSync, openSync, readSync, statSync } = process.getBuiltinModule("node:fs");

/**
 * The one way every file the tools open is read (auth-profiles.json, auth-state.json, openclaw.json, paths
 * openclaw reports, cache and state files): only a regular file, only up to a size cap, never blocking.
 * stat → refuse anything but a regular file (FIFO, device such as /dev/zero, folder, socket) and anything over
 * the cap → open with O_NONBLOCK → fstat again (same file, still regular) → read at most cap + 1 bytes.
 * A failure is data with a closed code, never a throw: each caller decides what it means for it.
 */
type FileReadErrorCode = "file_not_found" | "file_not_regular" | "file_too_large" | "file_unreadable";

export type FileRead = { ok: true; bytes: Buffer } | { ok: false; code: FileReadErrorCode; detail: string };

/** Caps callers pass: OpenClaw's stores and our cache files may hold a few MB, a config file far less. */
export const STORE_FILE_CAP = 8 * 1024 * 1024;
export const CONFIG_FILE_CAP = 1024 * 1024;

const CHUNK = 64 * 1024;

const fail = (code: FileReadErrorCode, detail: string): FileRead => ({ ok: false, code, detail });

function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a FIFO";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? "read failed";
}

export function readFileBounded(path: string, maxBytes: number): FileRead {
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
    if (!opened.isFile() || opened.ino !== before.ino || opened.dev !== before.dev) {
      return fail("file_not_regular", "it changed while it was opened");
    }
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
