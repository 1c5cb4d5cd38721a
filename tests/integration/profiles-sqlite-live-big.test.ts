import { spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  cpSync,
  existsSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfileSet } from "../../src/profiles/profile-source.ts";
import { withLiveSqliteRead } from "../../src/profiles/sqlite-live-read.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import type { IoProbe } from "../support/io-probe.ts";
import { withRunGuard } from "../support/loopback-guard.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { stateBytes } from "../support/state-bytes.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * A 2026.9.6 state/openclaw.sqlite as a long-running gateway leaves it: the real template, grown past 300 MB of
 * session events and transcript commits (built once, one transaction of randomblob rows). The auth rows are a
 * few pages of it: a read must cost what it costs on a fresh 1.5 MB state, never a scan or a copy of the file.
 */
const BIG_MB = 320;
const PROBE = join(PROJECT_ROOT, "tests/support/io-probe.ts");
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");
const LABELS = FIXTURE_ACCOUNTS.map((a) => a.name).sort();
const secrets = secretsOf(legacyAuthProfiles());
const roots: OpenclawRoot[] = [];
let big: OpenclawRoot;
let sim: UsageSimulator;

const dbOf = (r: OpenclawRoot): string => join(r.stateDir, "state/openclaw.sqlite");

beforeAll(async () => {
  sim = await startUsageSimulator({ defaultScenario: { kind: "ok", fiveHourUsed: 10, weeklyUsed: 20 } });
  big = await copyTemplateState("cxp-big-");
  roots.push(big);
  const db = new DatabaseSync(dbOf(big));
  const rows = Math.round((BIG_MB * 1e6) / 2 / 8_000);
  const series = `(WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < ${rows}) SELECT n FROM g)`;
  db.exec("PRAGMA foreign_keys = OFF");
  db.exec("BEGIN");
  db.exec(
    "INSERT INTO session_state_events (session_key, agent_id, kind, actor_type, occurred_at, summary, payload_json) " +
      `SELECT 'agent:main:s' || n, 'main', 'message', 'user', n, 'big', hex(randomblob(4000)) FROM ${series}`,
  );
  db.exec(
    "INSERT INTO worker_transcript_commits " +
      `SELECT 's' || n, 0, 1, 'h', 'terminal', hex(randomblob(4000)), 1, 1 FROM ${series}`,
  );
  db.exec("COMMIT");
  db.close();
  expect(statSync(dbOf(big)).size).toBeGreaterThan(BIG_MB * 1e6 * 0.95);
}, 120_000);

afterAll(async () => {
  await sim?.close();
  roots.forEach(removeRoot);
});

function copyOfBig(): OpenclawRoot {
  const root = `${big.root}-copy${roots.length}`;
  cpSync(big.root, root, { recursive: true });
  const r = { ...big, root, home: join(root, "home"), stateDir: join(root, "state") };
  r.env = { ...big.env, HOME: r.home, OPENCLAW_STATE_DIR: r.stateDir };
  roots.push(r);
  return r;
}

async function usage(r: OpenclawRoot): Promise<{ code: number | null; out: string; probe: IoProbe }> {
  const probeOut = join(r.root, `io-${Date.now()}.jsonl`);
  const env = withRunGuard({
    PATH: process.env.PATH,
    HOME: r.home,
    OPENCLAW_STATE_DIR: r.stateDir,
    CODEX_PROFILER_USAGE_URL: sim.url,
    CODEX_PROFILER_CACHE_DIR: join(r.root, "cache"),
    NODE_OPTIONS: `--import ${PROBE}`,
    CXP_IO_PROBE_OUT: probeOut,
  });
  const child = spawn(join(PROJECT_ROOT, "scripts/codex_usage"), ["--format", "text", "--no-cache"], { env });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return { code, out, probe: JSON.parse(readFileSync(probeOut, "utf8")) as IoProbe };
}

const labelsOf = (out: string): string[] => [...out.matchAll(/^🟢 `([^`]+)`/gmu)].map((m) => m[1]!).sort();
const rchar = (): number => Number(/^rchar: (\d+)$/m.exec(readFileSync("/proc/self/io", "utf8"))?.[1]);

describe(`a ${BIG_MB} MB state/openclaw.sqlite`, () => {
  it("codex_usage as a process reads a few pages of it, not the file, and changes no byte", async () => {
    const r = copyOfBig();
    const size = statSync(dbOf(r)).size;
    const before = stateBytes(r.stateDir);
    const { code, out, probe } = await usage(r);
    expect(code, out).toBe(0);
    expect(labelsOf(out)).toEqual(LABELS);
    // The whole process (its own sources included) reads under 1/40 of the file, and holds less than it.
    expect(probe.rchar).toBeLessThan(size / 40);
    expect(probe.peakRssBytes).toBeLessThan(size * 0.8);
    expect(probe.ms).toBeLessThan(20_000);
    expect(stateBytes(r.stateDir)).toEqual(before);
  });

  it("loadProfileSet amid commits and checkpoints: reads whole and cheap, the writer never kept waiting", async () => {
    const r = copyOfBig();
    const spec = { db: dbOf(r), layout: "shared", mode: "loop", intervalMs: 10, durationMs: 3_000, checkpointEvery: 4 };
    const writer = spawn(process.execPath, [WRITER, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "inherit"] });
    let stats = "";
    writer.stdout.on("data", (d: Buffer) => (stats += d.toString()));
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 10; i++) {
      const read = rchar();
      const set = await loadProfileSet({ env: r.env });
      expect(rchar() - read).toBeLessThan(4e6);
      expect(set.profiles.map((p) => p.label).sort()).toEqual(LABELS);
    }
    await exited;
    const { commits, busy } = JSON.parse(stats) as { commits: number; busy: number };
    expect(busy).toBe(0);
    expect(commits).toBeGreaterThan(20);
  });

  it("a writer commits and checkpoints (TRUNCATE) mid-read: never blocked; we keep one snapshot", () => {
    const r = copyOfBig();
    const db = dbOf(r);
    const query = "SELECT updated_at_ms AS t FROM config_machine_state WHERE state_key = 'authProfiles.store'";
    // As a live gateway: its connection keeps the -wal and -shm (made at its first read).
    const open = new DatabaseSync(db);
    const base = (open.prepare(query).get() as { t: number }).t;
    const bump =
      "const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(process.argv[1], { timeout: 0 });" +
      'db.exec("UPDATE config_machine_state SET updated_at_ms = updated_at_ms + 1000 ' +
      "WHERE state_key = 'authProfiles.store'\");" +
      "console.log(JSON.stringify(db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get()));";
    let writer = "";
    const read = withLiveSqliteRead(db, (conn) => {
      const first = (conn.prepare(query).get() as { t: number }).t;
      const res = spawnSync(process.execPath, ["-e", bump, db], { encoding: "utf8" });
      writer = res.status === 0 ? res.stdout : `failed: ${res.stderr.slice(0, 300)}`;
      return { first, second: (conn.prepare(query).get() as { t: number }).t };
    });
    const now = (open.prepare(query).get() as { t: number }).t;
    open.close();
    // The commit went through at once (busy timeout 0); the checkpoint could not finish past our snapshot.
    expect(JSON.parse(writer)).toMatchObject({ busy: 1 });
    expect(read.ok && read.mode).toBe("wal");
    if (!read.ok) return;
    expect(read.value).toEqual({ first: base, second: base });
    expect(now).toBe(base + 1000);
  });

  it("a bad page outside the auth table is never read; inside it, or a truncated file: store_unreadable", async () => {
    const r = copyOfBig();
    const db = dbOf(r);
    const size = statSync(db).size;
    const conn = new DatabaseSync(db, { readOnly: true });
    const authRoot = (
      conn.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'config_machine_state'").get() as {
        rootpage: number;
      }
    ).rootpage;
    conn.close();
    const garble = (page: number): void => {
      const fd = openSync(db, "r+");
      writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (page - 1) * 4096);
      closeSync(fd);
    };
    garble(Math.floor(size / 4096 / 2)); // a page of the session events, half way through the file
    const outside = await usage(r);
    expect(outside.code, outside.out).toBe(0);
    expect(labelsOf(outside.out)).toEqual(LABELS);

    garble(authRoot);
    const inside = await usage(r);
    expect(inside.code).not.toBe(0);
    expect(inside.out).toContain("store_unreadable");
    expect(inside.out).toContain("malformed");
    expect(existsSync(`${db}-journal`)).toBe(false);

    truncateSync(db, Math.floor(size / 2));
    const truncated = await usage(r);
    expect(truncated.code).not.toBe(0);
    expect(truncated.out).toContain("store_unreadable");
    expectNoSecrets([outside.out, inside.out, truncated.out], secrets);
    rmSync(db);
  });
});
