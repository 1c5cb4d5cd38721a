/**
 * Issue 10's measure: reading the auth rows of a fresh 2026.9.6 state and of one grown to ~800 MB (rows in
 * session_state_events, which a live gateway appends to), each quiet and while a second process commits
 * every 25 ms; the copy-based read (src/profiles/sqlite-snapshot.ts via sqlite-store.ts, as it is on main)
 * against the in-place read (src/profiles/sqlite-live-read.ts). Every figure comes from this one run.
 * Run alone: node bench/grow-state.ts [targetMB=800] [reads=20]; or as a `npm run bench` section.
 * The grown state lives under the OS temp dir and is removed at the end.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { readSharedStateDbRows } from "../src/profiles/sqlite-store.ts";
import { readSharedStateAuthRowsLive } from "../src/profiles/sqlite-live-read.ts";
import { copyTemplateState, PROJECT_ROOT, removeRoot, type OpenclawRoot } from "../tests/support/openclaw.ts";

const MB = 1024 * 1024;
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");

/** Appends session events (about 2 KB each, 2,000 per transaction) until the file reaches `targetBytes`. */
export function growState(db: string, targetBytes: number): { rows: number; ms: number } {
  const started = Date.now();
  const conn = new DatabaseSync(db, { timeout: 10_000 });
  const insert = conn.prepare(
    "INSERT INTO session_state_events " +
      "(session_key, session_id, agent_id, kind, actor_type, occurred_at, summary, payload_json) " +
      "VALUES (?, ?, 'main', 'message', 'assistant', ?, ?, ?)",
  );
  let rows = 0;
  const words = "the quick brown fox jumps over the lazy dog while the gateway keeps writing transcripts ".repeat(24);
  while (statSync(db).size < targetBytes) {
    conn.exec("BEGIN IMMEDIATE");
    for (let i = 0; i < 2_000; i++, rows++) {
      const session = `agent:main:telegram:${rows % 97}`;
      const payload = JSON.stringify({ turn: rows, text: `${rows} ${words}` });
      insert.run(session, `s-${rows % 997}`, Date.now(), `turn ${rows}`, payload);
    }
    conn.exec("COMMIT");
    conn.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
  conn.close();
  return { rows, ms: Date.now() - started };
}

type Reader = (db: string) => boolean;
const oldRead: Reader = (db) => {
  try {
    readSharedStateDbRows(db);
    return true;
  } catch {
    return false;
  }
};
const liveRead: Reader = (db) => readSharedStateAuthRowsLive(db).ok;

interface Sample {
  medianMs: number;
  ok: number;
  total: number;
}

function summarize(times: number[], ok: number): Sample {
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, ok, total: times.length };
}

function timed(read: Reader, db: string): { ms: number; ok: boolean } {
  const t = performance.now();
  const ok = read(db);
  return { ms: performance.now() - t, ok };
}

/** `count` reads; with `pauseMs`, a pause after each, as reads come one per request, not in a tight loop. */
function sample(read: Reader, db: string, count: number, pauseMs = 0): Sample {
  const runs = Array.from({ length: count }, () => {
    const run = timed(read, db);
    if (pauseMs > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
    return run;
  });
  return summarize(runs.map((r) => r.ms), runs.filter((r) => r.ok).length);
}

/** Fresh and grown read in turns (after one warm-up each), so that load on the shared machine hits both alike. */
function samplePair(read: Reader, a: string, b: string, count: number): [Sample, Sample] {
  timed(read, a);
  timed(read, b);
  const ra: Array<{ ms: number; ok: boolean }> = [];
  const rb: Array<{ ms: number; ok: boolean }> = [];
  for (let i = 0; i < count; i++) {
    ra.push(timed(read, a));
    rb.push(timed(read, b));
  }
  const s = (runs: typeof ra): Sample => summarize(runs.map((r) => r.ms), runs.filter((r) => r.ok).length);
  return [s(ra), s(rb)];
}

function writerGeneration(db: string): number {
  const r = readSharedStateAuthRowsLive(db);
  return r.ok ? ((r.value.store as { h4Gen?: number } | undefined)?.h4Gen ?? 0) : -1;
}

/**
 * Runs `body` while the stand-in writer commits every 25 ms: starts it, waits for its first commits, and
 * returns the body's result with the number of commits made while the body ran.
 */
async function underWrites<T>(db: string, body: () => T): Promise<{ value: T; commits: number }> {
  const spec = JSON.stringify({ db, layout: "shared", mode: "loop", intervalMs: 25, durationMs: 600_000 });
  const start = writerGeneration(db);
  const writer = spawn(process.execPath, [WRITER, spec], { stdio: ["ignore", "pipe", "inherit"] });
  try {
    const deadline = Date.now() + 120_000;
    while (writerGeneration(db) < start + 3) {
      if (Date.now() > deadline || writer.exitCode !== null) throw new Error("the writer did not start committing");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const before = writerGeneration(db);
    const value = body();
    return { value, commits: writerGeneration(db) - before };
  } finally {
    writer.kill("SIGTERM");
    if (writer.exitCode === null) await new Promise((resolve) => writer.once("exit", resolve));
  }
}

const fmt = (s: Sample): string => `${s.medianMs.toFixed(1)} ms median, ${s.ok}/${s.total} ok`;

export default async function benchGrowState(targetMb = 800, reads = 20): Promise<void> {
  const roots: OpenclawRoot[] = [];
  try {
    const fresh = await copyTemplateState("cxp-bench-fresh-");
    const big = await copyTemplateState("cxp-bench-big-");
    roots.push(fresh, big);
    const freshDb = join(fresh.stateDir, "state/openclaw.sqlite");
    const bigDb = join(big.stateDir, "state/openclaw.sqlite");
    const grown = growState(bigDb, targetMb * MB);
    const mb = (path: string, digits: number): string => (statSync(path).size / MB).toFixed(digits);
    console.log(`state size: fresh ${mb(freshDb, 1)} MB; grown ${mb(bigDb, 0)} MB`);
    console.log(`  (grown with ${grown.rows} session_state_events rows in ${(grown.ms / 1000).toFixed(0)} s)`);
    const oldReads = Math.max(3, Math.floor(reads / 4));

    const [oldFresh, oldBig] = samplePair(oldRead, freshDb, bigDb, oldReads);
    const [liveFresh, liveBig] = samplePair(liveRead, freshDb, bigDb, reads);
    const quiet = { oldFresh, oldBig, liveFresh, liveBig };
    console.log("auth-row read, quiet state (median of each):");
    const ratio = (big: Sample, small: Sample): string => (big.medianMs / small.medianMs).toFixed(2);
    console.log(`  copy-based (main): fresh ${fmt(quiet.oldFresh)}; ${targetMb} MB ${fmt(quiet.oldBig)}`);
    console.log(`    ratio ${ratio(quiet.oldBig, quiet.oldFresh)}`);
    console.log(`  in place (new):    fresh ${fmt(quiet.liveFresh)}; ${targetMb} MB ${fmt(quiet.liveBig)}`);
    console.log(`    ratio ${ratio(quiet.liveBig, quiet.liveFresh)} (target ≤ 1.2)`);

    console.log("while a second process commits every 25 ms:");
    for (const [label, db] of [["fresh", freshDb], [`${targetMb} MB`, bigDb]] as const) {
      const old = await underWrites(db, () => sample(oldRead, db, oldReads));
      const live = await underWrites(db, () => sample(liveRead, db, reads * 5, 20));
      console.log(`  ${label}: copy-based ${fmt(old.value)} (${old.commits} commits during the reads)`);
      console.log(`  ${label}: in place ${fmt(live.value)} (${live.commits} commits during the reads; target 100 %)`);
    }
  } finally {
    roots.forEach(removeRoot);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchGrowState(Number(process.argv[2] ?? 800), Number(process.argv[3] ?? 20));
}
