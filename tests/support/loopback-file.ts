import { existsSync, renameSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, expect } from "vitest";
import { expectLoopbackOnly, readOffLoopback } from "./loopback-guard.ts";

// vitest setupFiles: this test file's worker and the children it starts log to a file of their own, so a call
// beyond loopback fails the file that made it. The log is checked once and set aside (.checked): what a child
// writes after that starts a new log, which the run's teardown (loopback-run.ts) fails on.
const dir = process.env.CODEX_PROFILER_LOOPBACK_DIR;
if (dir !== undefined) {
  const file = basename(expect.getState().testPath ?? "unknown");
  const log = join(dir, `${file}.${process.pid}.jsonl`);
  process.env.CODEX_PROFILER_LOOPBACK_LOG = log;
  afterAll(() => {
    const entries = readOffLoopback(log);
    if (existsSync(log)) renameSync(log, `${log}.checked`);
    expectLoopbackOnly(entries, `${file} (its worker and the processes it started)`);
  });
}
