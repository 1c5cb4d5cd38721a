/**
 * A stand-in for OpenClaw's own writer, run as a separate process against a test copy of a state that the
 * real openclaw wrote. Usage: node sqlite-writer.ts '<json WriterSpec>'.
 *
 * - loop: every `intervalMs`, one transaction sets the auth store row and the auth state row to the same
 *   generation `h4Gen` (so a reader can tell a torn read), and appends a row to session_state_events (a
 *   table a live gateway grows); a PASSIVE checkpoint every `checkpointEvery` commits and a TRUNCATE one
 *   every fourth time, as OpenClaw reclaims its WAL. Prints {"commits":n,…} when `durationMs` is over.
 *   With `leaveWal` it exits without closing: its last commits stay in the WAL, as after a crash.
 * - hold: opens a write transaction that changes the store row and prints "held", then waits to be killed.
 * - spill: like hold, then writes enough to spill uncommitted pages into the database file (rollback-journal
 *   databases: the -journal holds the originals), prints "spilled" and waits; a SIGKILL leaves a hot journal.
 */
import { writeSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";

export interface WriterSpec {
  db: string;
  layout: "shared" | "agent";
  mode: "loop" | "hold" | "spill";
  intervalMs?: number;
  durationMs?: number;
  checkpointEvery?: number;
  /** loop: exit without closing or checkpointing, so the last commits stay in the WAL, as after a crash. */
  leaveWal?: boolean;
}

const STORE_SQL = {
  shared: {
    get: "SELECT value_json AS json FROM config_machine_state WHERE state_key = 'authProfiles.store'",
    setStore:
      "UPDATE config_machine_state SET value_json = ?, updated_at_ms = ? WHERE state_key = 'authProfiles.store'",
    setState:
      "INSERT INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES ('authProfiles.state', ?, ?) " +
      "ON CONFLICT(state_key) DO UPDATE SET value_json = excluded.value_json, updated_at_ms = excluded.updated_at_ms",
  },
  agent: {
    get: "SELECT store_json AS json FROM auth_profile_store WHERE store_key = 'primary'",
    setStore: "UPDATE auth_profile_store SET store_json = ?, updated_at = ? WHERE store_key = 'primary'",
    setState:
      "INSERT INTO auth_profile_state (state_key, state_json, updated_at) VALUES ('primary', ?, ?) " +
      "ON CONFLICT(state_key) DO UPDATE SET state_json = excluded.state_json, updated_at = excluded.updated_at",
  },
} as const;

const EVENT_INSERT =
  "INSERT INTO session_state_events " +
  "(session_key, agent_id, kind, actor_type, occurred_at, summary, payload_json) VALUES";

const sleep = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

function main(spec: WriterSpec): void {
  const db = new DatabaseSync(spec.db, { timeout: 5_000 });
  const sql = STORE_SQL[spec.layout];
  const row = db.prepare(sql.get).get() as { json: string };
  const original = JSON.parse(row.json) as { profiles: Record<string, unknown>; h4Gen?: number };
  const ids = Object.keys(original.profiles);
  const setStore = db.prepare(sql.setStore);
  const setState = db.prepare(sql.setState);
  const eventSql = `${EVENT_INSERT} ('agent:main:h4', 'main', 'message', 'user', ?, 'h4', ?)`;
  const event = spec.layout === "shared" ? db.prepare(eventSql) : null;
  const write = (gen: number, extra: Record<string, unknown> = {}): void => {
    const now = Date.now();
    setStore.run(JSON.stringify({ ...original, h4Gen: gen, ...extra }), now);
    const order = { openai: gen % 2 ? [...ids].reverse() : ids };
    setState.run(JSON.stringify({ version: 1, h4Gen: gen, order }), now);
  };

  if (spec.mode === "hold" || spec.mode === "spill") {
    db.exec("BEGIN IMMEDIATE");
    write(-1, { uncommitted: true });
    if (spec.mode === "spill") {
      db.exec("PRAGMA cache_size = 10");
      const filler = db.prepare(`${EVENT_INSERT} ('agent:main:h4-spill', 'main', 'message', 'user', ?, 'spill', ?)`);
      for (let i = 0; i < 3_000; i++) filler.run(Date.now(), "x".repeat(2_000));
    }
    process.stdout.write(`${spec.mode === "hold" ? "held" : "spilled"}\n`);
    for (;;) sleep(60_000);
  }

  const started = Date.now();
  const interval = spec.intervalMs ?? 25;
  const stats = { commits: 0, checkpoints: 0, busy: 0 };
  // Generations continue from a previous writer's, so a reader can count commits across runs.
  for (let gen = (original.h4Gen ?? 0) + 1; Date.now() - started < (spec.durationMs ?? 3_000); gen++) {
    try {
      db.exec("BEGIN IMMEDIATE");
      write(gen);
      event?.run(Date.now(), JSON.stringify({ gen, text: "y".repeat(512) }));
      db.exec("COMMIT");
      stats.commits++;
    } catch {
      stats.busy++;
      if (db.isTransaction) db.exec("ROLLBACK");
    }
    const every = spec.checkpointEvery ?? 8;
    if (!spec.leaveWal && stats.commits % every === 0) {
      db.exec(`PRAGMA wal_checkpoint(${stats.commits % (every * 4) === 0 ? "TRUNCATE" : "PASSIVE"})`);
      stats.checkpoints++;
    }
    sleep(interval);
  }
  writeSync(1, `${JSON.stringify(stats)}\n`);
  if (spec.leaveWal) process.exit(0);
  db.close();
}

main(JSON.parse(process.argv[2] ?? "{}") as WriterSpec);
