import { dirname } from "node:path";
import { readTextBounded, STORE_FILE_CAP } from "./file-read.ts";

const { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } =
  process.getBuiltinModule("node:fs");

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
