import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LiveRead } from "../../src/profiles/sqlite-live-read.ts";
import { readAgentAuthRowsLive, readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot, runOpenclaw } from "../support/openclaw.ts";
import type { WriterSpec } from "../support/sqlite-writer.ts";
import { stateBytes } from "../support/state-bytes.ts";

/**
 * The in-place reader on states the real openclaw@2026.9.6 wrote (the template imported by `doctor --fix`,
 * then changed only through the real CLI), with a second process writing the way OpenClaw does. Every read
 * is checked to leave OpenClaw's data unchanged: every file byte for byte, the -wal's inode, and no file
 * created or removed; the -shm is SQLite's shared index (see state-bytes.ts).
 */
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");
const CHILD = join(PROJECT_ROOT, "tests/support/live-read-child.ts");
const IDS = FIXTURE_ACCOUNTS.map((a) => `openai:${a.name}`).sort();
const LOOP = { layout: "shared", mode: "loop" } as const;
const roots: OpenclawRoot[] = [];
const writers: ChildProcess[] = [];
afterAll(() => {
  for (const w of writers) w.kill("SIGKILL");
  roots.forEach(removeRoot);
});

async function fresh(): Promise<{ r: OpenclawRoot; shared: string }> {
  const r = await copyTemplateState("cxp-live-");
  roots.push(r);
  return { r, shared: join(r.stateDir, "state/openclaw.sqlite") };
}

type Store = { profiles: Record<string, Record<string, unknown>>; h4Gen?: number; uncommitted?: boolean };
type Rows = { store: unknown; state: unknown };
const storeOf = (rows: Rows): Store => rows.store as Store;

/** One read that must leave every byte of OpenClaw's state as it was. */
function readUnchanged<T extends Rows>(root: string, read: () => LiveRead<T>): LiveRead<T> {
  const before = stateBytes(root);
  const result = read();
  expect(stateBytes(root)).toEqual(before);
  return result;
}

function ok<T>(result: LiveRead<T>): T & {} {
  if (!result.ok) throw new Error(`expected rows, got ${result.reason}: ${result.message}`);
  return result.value as T & {};
}

function startWriter(spec: WriterSpec): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, [WRITER, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "pipe"] });
  writers.push(child);
  let out = "";
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  const firstLine = new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(out.slice(0, out.indexOf("\n")));
    });
    child.on("exit", (code) => {
      if (!out.includes("\n")) reject(new Error(`writer exited ${code}: ${err.slice(0, 400)}`));
    });
  });
  return { child, firstLine };
}

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

describe("in place, on the state the real openclaw wrote", () => {
  let base: { r: OpenclawRoot; shared: string };
  const ORDER = ["openai:bob@example.com", "openai:alice@example.com"];
  beforeAll(async () => {
    base = await fresh();
    // A real CLI call takes 2–7 s alone and over a minute on this shared machine.
    const args = ["models", "auth", "order", "set", "--provider", "openai", ...ORDER];
    const res = await runOpenclaw(args, base.r, 300_000);
    expect(res.code, res.stderr.slice(0, 300)).toBe(0);
  }, 360_000);

  it("state/openclaw.sqlite: the shared store OpenClaw migrated, nothing changed", () => {
    // Whether OpenClaw's last close left an empty -wal and the -shm or removed both depends on the command.
    // No connection open (a side file missing) is read as an idle file; with both, a normal WAL read.
    const idle = !existsSync(`${base.shared}-wal`) || !existsSync(`${base.shared}-shm`);
    const result = readUnchanged(base.r.root, () => readSharedStateAuthRowsLive(base.shared));
    const rows = ok(result);
    expect(result.ok && result.mode).toBe(idle ? "wal-idle-immutable" : "wal");
    expect(rows.location).toBe("state-db");
    expect(Object.keys(storeOf(rows).profiles).sort()).toEqual(IDS);
  });

  it("the same database with OpenClaw's -wal and -shm in place: a normal WAL read, nothing changed", async () => {
    const { r, shared } = await fresh();
    expect(existsSync(`${shared}-wal`) && existsSync(`${shared}-shm`)).toBe(true);
    const result = readUnchanged(r.root, () => readSharedStateAuthRowsLive(shared));
    expect(result.ok && result.mode).toBe("wal");
    expect(Object.keys(storeOf(ok(result)).profiles).sort()).toEqual(IDS);
  });

  it("agents/main/agent/openclaw-agent.sqlite: the order `models auth order set` wrote, nothing changed", () => {
    const agentDb = join(base.r.stateDir, "agents/main/agent/openclaw-agent.sqlite");
    const rows = ok(readUnchanged(base.r.root, () => readAgentAuthRowsLive(agentDb)));
    expect((rows.state as { order?: Record<string, string[]> }).order?.openai).toEqual(ORDER);
  });

  it("committed frames left in the WAL (a writer died before a checkpoint): seen; WAL and db bytes kept", async () => {
    const { r, shared } = await fresh();
    const { firstLine } = startWriter({ ...LOOP, db: shared, intervalMs: 5, durationMs: 300, leaveWal: true });
    const stats = JSON.parse(await firstLine) as { commits: number; busy: number };
    expect(stats.busy).toBe(0);
    const rows = ok(readUnchanged(r.root, () => readSharedStateAuthRowsLive(shared)));
    expect(storeOf(rows).h4Gen).toBe(stats.commits);
    expect((rows.state as { h4Gen: number }).h4Gen).toBe(stats.commits);
  });

  it("no -wal and no -shm yet: read as an idle file, and no file is created", async () => {
    const { r, shared } = await fresh();
    rmSync(`${shared}-wal`);
    rmSync(`${shared}-shm`);
    const result = readUnchanged(r.root, () => readSharedStateAuthRowsLive(shared));
    expect(result.ok && result.mode).toBe("wal-idle-immutable");
    expect(Object.keys(storeOf(ok(result)).profiles).sort()).toEqual(IDS);
  });

  it("a writer committing every 25 ms in another process: every read succeeds and none is torn", async () => {
    const { shared } = await fresh();
    const { firstLine } = startWriter({ ...LOOP, db: shared, intervalMs: 25, durationMs: 4_000 });
    const end = Date.now() + 3_000;
    const gens = new Set<number>();
    let reads = 0;
    const failures: string[] = [];
    while (Date.now() < end) {
      const result = readSharedStateAuthRowsLive(shared);
      reads++;
      if (!result.ok) failures.push(`${result.reason}: ${result.message}`);
      else {
        const store = storeOf(result.value);
        const gen = store.h4Gen ?? 0;
        // Store and state are written in one transaction: a read that mixes two commits is torn.
        expect((result.value.state as { h4Gen?: number } | undefined)?.h4Gen ?? 0).toBe(gen);
        expect(Object.keys(store.profiles).sort()).toEqual(IDS);
        gens.add(gen);
      }
      pause(3);
    }
    const stats = JSON.parse(await firstLine) as { commits: number; checkpoints: number };
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(50);
    // The writer really wrote while we read, checkpoints included.
    expect(gens.size).toBeGreaterThan(10);
    expect(stats.checkpoints).toBeGreaterThan(2);
  });

  it("a writer mid-transaction in WAL mode: the last committed rows, never its own", async () => {
    const { r, shared } = await fresh();
    const { child, firstLine } = startWriter({ db: shared, layout: "shared", mode: "hold" });
    expect(await firstLine).toBe("held");
    const rows = ok(readSharedStateAuthRowsLive(shared));
    expect(storeOf(rows).uncommitted).toBeUndefined();
    expect(storeOf(rows).h4Gen).toBeUndefined();
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    expect(storeOf(ok(readUnchanged(r.root, () => readSharedStateAuthRowsLive(shared)))).uncommitted).toBeUndefined();
  });
});

const asRoot = process.getuid?.() === 0;
/**
 * As root the read runs as nobody, which must reach this checkout (its Node, the child script, src/) to run at
 * all; a checkout below a private folder (mktemp -d makes 0700 ones) cannot host this proof, and says so.
 */
const otherUserCanRun =
  !asRoot ||
  spawnSync(process.execPath, ["-e", "require('node:fs').readFileSync(process.argv[1])", CHILD], {
    uid: 65534,
    gid: 65534,
  }).status === 0;
if (!otherUserCanRun) console.warn("skipped: a read-only directory (nobody cannot reach this checkout)");

describe.skipIf(!otherUserCanRun)("a read-only directory", () => {
  /** The read runs as another user (root ignores directory modes), so the directory is really read-only to it. */
  type ChildResult = { ok: boolean; mode?: string; reason?: string; message?: string; profileIds?: string[] };
  function readAsOther(dir: string, db: string, unreadable: string[] = []): ChildResult {
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    for (const f of unreadable) chmodSync(f, 0o000);
    chmodSync(dir, 0o555);
    const parentsOpen = asRoot ? [join(dir, "../../.."), join(dir, "../.."), join(dir, "..")] : [];
    for (const d of parentsOpen) chmodSync(d, 0o755);
    try {
      const asNobody = asRoot ? { uid: 65534, gid: 65534 } : {};
      const res = spawnSync(process.execPath, [CHILD, "shared", db], { encoding: "utf8", ...asNobody });
      expect(res.status, res.stderr.slice(0, 400)).toBe(0);
      return JSON.parse(res.stdout) as never;
    } finally {
      chmodSync(dir, 0o755);
    }
  }

  it("with -wal and -shm present: read, and not one byte changes, the -shm included", async () => {
    const { r, shared } = await fresh();
    const before = stateBytes(r.root, { exactShm: asRoot });
    const out = readAsOther(join(r.stateDir, "state"), shared);
    expect(out).toMatchObject({ ok: true, mode: "wal", profileIds: IDS });
    expect(stateBytes(r.root, { exactShm: asRoot })).toEqual(before);
  });

  it("with neither: read as an idle file, nothing created", async () => {
    const { r, shared } = await fresh();
    rmSync(`${shared}-wal`);
    rmSync(`${shared}-shm`);
    const before = stateBytes(r.root, { exactShm: true });
    const out = readAsOther(join(r.stateDir, "state"), shared);
    expect(out).toMatchObject({ ok: true, mode: "wal-idle-immutable", profileIds: IDS });
    expect(stateBytes(r.root, { exactShm: true })).toEqual(before);
  });

  it("WAL frames but no -shm: SQLite cannot build its index; a clear unreadable, nothing created", async () => {
    const { r, shared } = await fresh();
    const { firstLine } = startWriter({ ...LOOP, db: shared, intervalMs: 5, durationMs: 200, leaveWal: true });
    await firstLine;
    rmSync(`${shared}-shm`);
    const before = stateBytes(r.root, { exactShm: true });
    const out = readAsOther(join(r.stateDir, "state"), shared);
    expect(out).toMatchObject({ ok: false, reason: "busy" });
    expect(out.message).toContain(shared);
    expect(stateBytes(r.root, { exactShm: true })).toEqual(before);
  });

  it("a -wal or -shm it may not read (mode 000): unreadable, naming that file; nothing created", async () => {
    const { r, shared } = await fresh();
    for (const side of [`${shared}-shm`, `${shared}-wal`]) {
      const before = stateBytes(r.root, { exactShm: true });
      const out = readAsOther(join(r.stateDir, "state"), shared, [side]);
      expect(out).toMatchObject({ ok: false, reason: "unreadable" });
      expect(out.message).toContain(`${side} is not readable by this user`);
      expect(stateBytes(r.root, { exactShm: true })).toEqual(before);
    }
  });
});
