import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LiveRowInvalid, withLiveSqliteRead, withLiveSqliteReadAsync } from "../../src/profiles/sqlite-live-read.ts";
import { readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { stateBytes } from "../support/state-bytes.ts";

/**
 * A WAL database whose -wal or -shm is missing (removed by hand, or left so by a crash) on the state the real
 * openclaw@2026.9.6 wrote: the read creates neither file (a read-only connection would), and changes no byte.
 */
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");
const IDS = FIXTURE_ACCOUNTS.map((a) => `openai:${a.name}`).sort();
const roots: OpenclawRoot[] = [];
afterAll(() => roots.forEach(removeRoot));

async function fresh(): Promise<{ r: OpenclawRoot; shared: string }> {
  const r = await copyTemplateState("cxp-sidecar-");
  roots.push(r);
  const shared = join(r.stateDir, "state/openclaw.sqlite");
  expect(existsSync(`${shared}-wal`) && existsSync(`${shared}-shm`)).toBe(true);
  return { r, shared };
}

/** A writer that exited without closing: its last commits are in the -wal only, the -shm beside it. */
async function crashedWriter(): Promise<{ r: OpenclawRoot; shared: string }> {
  const { r, shared } = await fresh();
  const spec = { db: shared, layout: "shared", mode: "loop", intervalMs: 5, durationMs: 200, leaveWal: true };
  const child = spawn(process.execPath, [WRITER, JSON.stringify(spec)], { stdio: "ignore" });
  expect(await new Promise((resolve) => child.once("exit", resolve))).toBe(0);
  return { r, shared };
}

function readUnchanged(root: string, shared: string): ReturnType<typeof readSharedStateAuthRowsLive> {
  const before = stateBytes(root, { exactShm: true });
  const result = readSharedStateAuthRowsLive(shared);
  expect(stateBytes(root, { exactShm: true })).toEqual(before);
  return result;
}

const profileIds = (result: ReturnType<typeof readSharedStateAuthRowsLive>): string[] => {
  if (!result.ok) throw new Error(`expected rows, got ${result.reason}: ${result.message}`);
  return Object.keys((result.value.store as { profiles: object }).profiles).sort();
};

describe("a WAL database missing a side file", () => {
  it("-shm without -wal: read from the file alone, no -wal created", async () => {
    const { r, shared } = await fresh();
    rmSync(`${shared}-wal`);
    const result = readUnchanged(r.root, shared);
    expect(result.ok && result.mode).toBe("wal-idle-immutable");
    expect(profileIds(result)).toEqual(IDS);
  });

  it("an empty -wal without -shm: read from the file alone, no -shm created", async () => {
    const { r, shared } = await fresh();
    rmSync(`${shared}-shm`);
    const result = readUnchanged(r.root, shared);
    expect(result.ok && result.mode).toBe("wal-idle-immutable");
    expect(profileIds(result)).toEqual(IDS);
  });

  it("a -wal holding commits without -shm: a clear failure, no -shm created", async () => {
    const { r, shared } = await crashedWriter();
    rmSync(`${shared}-shm`);
    const result = readUnchanged(r.root, shared);
    expect(result).toMatchObject({ ok: false, reason: "busy", path: shared });
    expect(result.ok ? "" : result.message).toContain("-shm index is missing");
  });

  it("a last connection closing (its -shm gone, its -wal a moment later) is waited out, not a failure", async () => {
    const { shared } = await crashedWriter();
    rmSync(`${shared}-shm`);
    const before = new Set(readdirSync(dirname(shared)));
    const closing = setTimeout(() => rmSync(`${shared}-wal`), 50);
    const result = await withLiveSqliteReadAsync(shared, (db) => db.prepare("SELECT 1 AS one").get());
    clearTimeout(closing);
    expect(result).toMatchObject({ ok: true, mode: "wal-idle-immutable" });
    expect(readdirSync(dirname(shared)).filter((f) => !before.has(f))).toEqual([]);
  });

  it("an empty database file with a -wal holding commits beside it: refused unopened, the -wal kept", async () => {
    const { r, shared } = await crashedWriter();
    truncateSync(shared, 0);
    const result = readUnchanged(r.root, shared);
    expect(result).toMatchObject({ ok: false, reason: "unreadable", path: shared });
    expect(result.ok ? "" : result.message).toContain("is empty but has a -wal beside it");
    expect(statSync(`${shared}-wal`).size).toBeGreaterThan(0);
  });

  it("a database reached through a link: its -wal and -shm are the ones beside the target, as SQLite's", async () => {
    const { r, shared } = await crashedWriter();
    const generation = (read: ReturnType<typeof readSharedStateAuthRowsLive>) =>
      read.ok ? (read.value.store as { h4Gen?: number }).h4Gen : read.message;
    const direct = readSharedStateAuthRowsLive(shared);
    expect(generation(direct)).toEqual(expect.any(Number));
    const target = join(r.root, "elsewhere");
    mkdirSync(target);
    for (const f of ["", "-wal", "-shm"]) renameSync(`${shared}${f}`, join(target, `openclaw.sqlite${f}`));
    symlinkSync(join(target, "openclaw.sqlite"), shared);
    const linked = readUnchanged(r.root, shared);
    expect(linked.ok && linked.mode).toBe("wal");
    expect(generation(linked)).toBe(generation(direct));
  });

  it("a link to nothing is no database (missing), not an unreadable one", async () => {
    const { r, shared } = await fresh();
    for (const f of ["", "-wal", "-shm"]) rmSync(`${shared}${f}`);
    symlinkSync(join(r.root, "nowhere/openclaw.sqlite"), shared);
    expect(withLiveSqliteRead(shared, () => 1)).toMatchObject({ ok: false, reason: "missing" });
  });

  it("neither, and a writer commits, checkpoints and closes mid-read: redone, sees the commit", async () => {
    const { shared } = await fresh();
    rmSync(`${shared}-wal`);
    rmSync(`${shared}-shm`);
    const query = "SELECT updated_at_ms AS t FROM config_machine_state WHERE state_key = 'authProfiles.store'";
    const bump =
      "const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1], { timeout: 0 });" +
      'db.exec("UPDATE config_machine_state SET updated_at_ms = updated_at_ms + 1000 ' +
      "WHERE state_key = 'authProfiles.store'\");" +
      "db.exec('PRAGMA wal_checkpoint(TRUNCATE)'); db.close();";
    const seen: number[] = [];
    const read = withLiveSqliteRead(shared, (db) => {
      seen.push((db.prepare(query).get() as { t: number }).t);
      if (seen.length === 1) expect(spawnSync(process.execPath, ["-e", bump, shared]).status).toBe(0);
      return (db.prepare(query).get() as { t: number }).t;
    });
    expect(seen).toEqual([seen[0], seen[0]! + 1000]);
    expect(read).toMatchObject({ ok: true, mode: "wal-idle-immutable", value: seen[0]! + 1000 });
    expect(existsSync(`${shared}-wal`) || existsSync(`${shared}-shm`)).toBe(false);
  });

  it("neither, and the file changes during every read: given up as busy after a few, nothing created", async () => {
    const { shared } = await fresh();
    rmSync(`${shared}-wal`);
    rmSync(`${shared}-shm`);
    let reads = 0;
    const read = withLiveSqliteRead(shared, () => {
      reads++;
      utimesSync(shared, new Date(), new Date(Date.now() + reads * 1000)); // as a writer's checkpoint would
      return reads;
    });
    expect(read).toMatchObject({ ok: false, reason: "busy", path: shared });
    expect(reads).toBe(3);
    expect(existsSync(`${shared}-wal`) || existsSync(`${shared}-shm`)).toBe(false);
  });

  it("neither, a row read as invalid while the file changed (a torn immutable read): redone, not invalid", async () => {
    const { shared } = await fresh();
    rmSync(`${shared}-wal`);
    rmSync(`${shared}-shm`);
    let reads = 0;
    const read = withLiveSqliteRead(shared, () => {
      if (++reads > 1) return reads;
      // A checkpoint wrote the pages under the immutable read: a row seen half old, half new.
      utimesSync(shared, new Date(), new Date(Date.now() + 1000));
      throw new LiveRowInvalid("config_machine_state authProfiles.store", "not valid JSON");
    });
    expect(read).toMatchObject({ ok: true, mode: "wal-idle-immutable", value: 2 });
  });
});
