/**
 * Issue 10's measure: a usage check (every profile, no cache, loopback simulator) against a fresh 2026.9.6 state
 * and against one grown to ~800 MB (rows in session_state_events, a table a live gateway appends to): their
 * ratio, quiet; the share of checks that succeed while a second process commits every 25 ms; and that no
 * temporary copy of a database appears at any point. The checks run in bench/check-child.ts, whose TMPDIR is a
 * folder watched here, as are the state folders. Every figure comes from this one run.
 * Run alone: node bench/grow-state.ts [targetMB=800] [checks=20]; or as a `npm run bench` section.
 * The grown state lives under the OS temp dir and is removed at the end.
 */
import { spawn } from "node:child_process";
import { type FSWatcher, mkdtempSync, readdirSync, rmSync, statSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import { readSharedStateAuthRowsLive } from "../src/profiles/sqlite-store.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../tests/support/openclaw.ts";
import { startUsageSimulator } from "../tests/support/usage-simulator.ts";

const MB = 1024 * 1024;
const WRITER = join(PROJECT_ROOT, "tests/support/sqlite-writer.ts");
const CHILD = join(PROJECT_ROOT, "bench/check-child.ts");
/** The files OpenClaw's SQLite store may hold beside its data; anything else appearing is a copy. */
const SQLITE_FILES = /^openclaw(-agent)?\.sqlite(-wal|-shm|-journal)?$/;

/** Appends session events (about 2 KB each, 2,000 per transaction) until the file reaches `targetBytes`. */
function growState(db: string, targetBytes: number): { rows: number; ms: number } {
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

interface Run {
  ms: number;
  ok: boolean;
  code?: string;
}
type ChildResult = Record<string, { reads: Run[]; checks: Run[]; fetched: number }>;

/**
 * Watches folders, and every folder under them, for every file that appears while the checks run. One plain
 * watch per folder: Node's recursive watch on Linux misses a file created and removed at once (a copy that lives
 * for one read would be such a file); a new folder shows up in its parent.
 */
class Watch {
  readonly seen: string[] = [];
  readonly #watchers: FSWatcher[] = [];
  constructor(dirs: string[], keep: (name: string) => boolean) {
    const add = (dir: string): void => {
      this.#watchers.push(
        watch(dir, (_event, name) => {
          if (name && keep(String(name))) this.seen.push(join(dir, String(name)));
        }),
      );
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) add(join(dir, e.name));
    };
    dirs.forEach(add);
  }
  close(): void {
    for (const w of this.#watchers) w.close();
  }
}

function runChild(
  states: Array<{ label: string; env: NodeJS.ProcessEnv }>,
  count: number,
  pauseMs: number,
  tmp: string,
) {
  return new Promise<ChildResult>((resolve, reject) => {
    const env = { ...process.env, TMPDIR: tmp, SQLITE_TMPDIR: tmp };
    const child = spawn(process.execPath, [CHILD, JSON.stringify({ states, count, pauseMs })], { env });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) =>
      code === 0 ? resolve(JSON.parse(out) as ChildResult) : reject(new Error(`check child: ${code} ${err}`)),
    );
  });
}

function writerGeneration(db: string): number {
  const r = readSharedStateAuthRowsLive(db);
  return r.ok ? ((r.value.store as { h4Gen?: number } | undefined)?.h4Gen ?? 0) : -1;
}

/** Runs `body` while the stand-in writer commits every 25 ms, from its third commit on; counts commits meanwhile. */
async function underWrites<T>(db: string, body: () => Promise<T>): Promise<{ value: T; commits: number }> {
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
    const value = await body();
    return { value, commits: writerGeneration(db) - before };
  } finally {
    writer.kill("SIGTERM");
    if (writer.exitCode === null) await new Promise((resolve) => writer.once("exit", resolve));
  }
}

/**
 * The watch must see a file appear, or "no copy seen" would prove nothing. A recursive watch on Linux is set up
 * asynchronously, so the probe is written again until the watch reports it: from then on it is ready.
 */
async function proveWatching(w: Watch, dirs: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (const dir of dirs) {
    const probe = join(dir, "watch-probe");
    while (!w.seen.includes(probe)) {
      if (Date.now() > deadline) throw new Error(`the watch on ${dir} did not see a file appear`);
      writeFileSync(probe, "x");
      rmSync(probe);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  w.seen.length = 0;
}

const median = (runs: Run[]): number => {
  const sorted = runs.map((r) => r.ms).sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const okShare = (runs: Run[]): string => {
  const codes = [...new Set(runs.filter((r) => !r.ok).map((r) => r.code))];
  return `${runs.filter((r) => r.ok).length}/${runs.length}${codes.length > 0 ? ` (failed: ${codes.join(", ")})` : ""}`;
};

export default async function benchGrowState(targetMb = 800, checks = 20): Promise<void> {
  const roots: OpenclawRoot[] = [];
  const sim = await startUsageSimulator();
  const tmp = mkdtempSync(join(tmpdir(), "cxp-bench-tmp-"));
  try {
    const fresh = await copyTemplateState("cxp-bench-fresh-");
    const big = await copyTemplateState("cxp-bench-big-");
    roots.push(fresh, big);
    const freshDb = join(fresh.stateDir, "state/openclaw.sqlite");
    const bigDb = join(big.stateDir, "state/openclaw.sqlite");
    const grown = growState(bigDb, targetMb * MB);
    const mb = (path: string, digits: number): string => (statSync(path).size / MB).toFixed(digits);
    console.log(`issue 10: usage checks on a fresh and a grown OpenClaw 2026.9.6 state (SQLite read in place)`);
    console.log(`  state size: fresh ${mb(freshDb, 1)} MB; grown ${mb(bigDb, 0)} MB`);
    console.log(`    (grown with ${grown.rows} session_state_events rows in ${(grown.ms / 1000).toFixed(0)} s)`);

    const envOf = (r: OpenclawRoot) => ({ ...r.env, CODEX_PROFILER_USAGE_URL: sim.url, NO_COLOR: "1" });
    const states = [
      { label: "fresh", env: envOf(fresh) },
      { label: "grown", env: envOf(big) },
    ];
    // Anything but OpenClaw's own SQLite files appearing in the state folders, or anything at all in the
    // child's TMPDIR, would be a copy.
    const stateWatch = new Watch([fresh.stateDir, big.stateDir], (name) => !SQLITE_FILES.test(name));
    const tmpWatch = new Watch([tmp], () => true);
    try {
      await proveWatching(tmpWatch, [tmp]);
      await proveWatching(stateWatch, [fresh.stateDir, big.stateDir]);
      const quiet = await runChild(states, checks, 0, tmp);
      const [f, g] = [quiet.fresh!, quiet.grown!];
      console.log(`  usage check, every profile (${f.fetched} fetched), no cache, quiet, median of ${checks}:`);
      console.log(
        `    fresh ${median(f.checks).toFixed(1)} ms; grown ${median(g.checks).toFixed(1)} ms; ratio ` +
          `${(median(g.checks) / median(f.checks)).toFixed(2)} (target ≤ 1.2)`,
      );
      console.log(
        `    the profile-set read alone: fresh ${median(f.reads).toFixed(1)} ms; grown ` +
          `${median(g.reads).toFixed(1)} ms; ratio ${(median(g.reads) / median(f.reads)).toFixed(2)}`,
      );
      console.log(`    checks that succeeded: fresh ${okShare(f.checks)}, grown ${okShare(g.checks)}`);

      console.log("  while a second process commits every 25 ms (checks 20 ms apart):");
      for (const [s, db] of [
        [states[0]!, freshDb],
        [states[1]!, bigDb],
      ] as const) {
        const run = await underWrites(db, () => runChild([s], 100, 20, tmp));
        const r = run.value[s.label]!;
        console.log(
          `    ${s.label}: checks that succeeded ${okShare(r.checks)} (target 100 %), ${run.commits} ` +
            `commits during them; median ${median(r.checks).toFixed(1)} ms`,
        );
      }
    } finally {
      stateWatch.close();
      tmpWatch.close();
    }
    const leftInTmp = readdirSync(tmp);
    const copies = [...new Set([...stateWatch.seen, ...tmpWatch.seen])];
    console.log(
      `  temporary copies of a database at any point: ${
        copies.length === 0 && leftInTmp.length === 0
          ? "none (TMPDIR and the state folders watched throughout)"
          : `FOUND: ${[...copies, ...leftInTmp].join(", ")}`
      }`,
    );
  } finally {
    roots.forEach(removeRoot);
    rmSync(tmp, { recursive: true, force: true });
    await sim.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await benchGrowState(Number(process.argv[2] ?? 800), Number(process.argv[3] ?? 20));
}
