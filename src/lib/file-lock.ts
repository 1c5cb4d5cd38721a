/**
 * One change at a time among our own processes (the Gateway's chat, a job tick, a shell): a lock file in our
 * cache folder, made with O_EXCL, holding its holder's pid. OpenClaw's files are never locked: this one is ours.
 * A lock whose holder is gone, or older than staleMs (a holder that hangs), is taken over, one waiter at a time.
 */
import { dirname } from "node:path";
import { errnoOf } from "./files.ts";

const { mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync, closeSync } =
  process.getBuiltinModule("node:fs");

export interface LockOptions {
  /** How long to wait for another holder before giving up. */
  waitMs: number;
  /** A lock older than this is a holder that hangs: taken over. */
  staleMs: number;
  pollMs?: number;
}

/**
 * Runs `fn` holding the lock, or `busy` when another holder kept it for all of waitMs. A lock that cannot be
 * made at all (a read-only cache folder) is no reason to refuse the work: it runs unguarded, as before locks.
 */
export async function withFileLock<T>(
  path: string,
  options: LockOptions,
  fn: () => Promise<T>,
  busy: () => T,
): Promise<T> {
  let release: (() => void) | null;
  try {
    release = await acquire(path, options);
  } catch {
    release = () => {};
  }
  if (!release) return busy();
  try {
    return await fn();
  } finally {
    release();
  }
}

async function acquire(path: string, options: LockOptions): Promise<(() => void) | null> {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const token = `${process.pid} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + options.waitMs;
  for (;;) {
    if (tryCreate(path, token)) return () => releaseIfOurs(path, token);
    if (removeStale(path, options.staleMs)) continue;
    if (Date.now() >= deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

/** A takeover guard older than this belongs to a waiter that died between making and removing it. */
const GUARD_STALE_MS = 10_000;

/**
 * Removes a dead holder's lock under `<lock>.takeover`, made with O_EXCL, after a second look: two waiters that
 * saw the same dead holder cannot both remove a lock, so the second never removes the one the first made since.
 */
function removeStale(path: string, staleMs: number): boolean {
  if (!isStale(path, staleMs)) return false;
  const guard = `${path}.takeover`;
  if (!tryCreate(guard, String(process.pid))) {
    if (isStale(guard, GUARD_STALE_MS)) rmSync(guard, { force: true });
    return false;
  }
  try {
    if (isStale(path, staleMs)) rmSync(path, { force: true });
  } finally {
    rmSync(guard, { force: true });
  }
  return true;
}

function tryCreate(path: string, token: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if (errnoOf(error) === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, token);
  } finally {
    closeSync(fd);
  }
  return true;
}

function isStale(path: string, staleMs: number): boolean {
  try {
    if (Date.now() - statSync(path).mtimeMs > staleMs) return true;
    const pid = Number.parseInt(readFileSync(path, "utf8"), 10);
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  } catch {
    // Gone since (released): the next attempt takes it.
    return false;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return errnoOf(error) === "EPERM";
  }
}

function releaseIfOurs(path: string, token: string): void {
  try {
    if (readFileSync(path, "utf8") === token) rmSync(path, { force: true });
  } catch {
    // Already gone (taken over as stale): nothing of ours to remove.
  }
}
