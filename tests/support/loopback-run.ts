import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeOffLoopback, knownFrameOf, loopbackGuardEnv, readOffLoopback } from "./loopback-guard.ts";

/**
 * vitest globalSetup: the whole run under the loopback guard. The workers and every child that inherits
 * process.env preload it; each test file logs to its own file in the run's directory (loopback-file.ts, which
 * fails that file), and the teardown fails the run on anything no file checked: a child that outlived its file.
 * It also prints what was refused and expected (KNOWN_REFUSED), per file, so that those stay visible.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), "cxp-loopback-run-"));
  const guard = loopbackGuardEnv(join(dir, "run.jsonl"), process.env);
  process.env.CODEX_PROFILER_LOOPBACK_DIR = dir;
  Object.assign(process.env, guard);
  return () => {
    const logs = readdirSync(dir).sort();
    const known = new Map<string, number>();
    for (const name of logs) {
      for (const e of readOffLoopback(join(dir, name))) {
        const frame = knownFrameOf(e);
        const key = `${name.replace(/\.\d+\.jsonl(\.checked)?$/, "")}: ${e.host} (${frame ?? "not known"})`;
        if (frame !== undefined) known.set(key, (known.get(key) ?? 0) + 1);
      }
    }
    if (known.size > 0) {
      const lines = [...known].map(([key, n]) => `${key} ×${n}`);
      console.log(`loopback guard: known calls refused outside the gateways:\n  ${lines.join("\n  ")}`);
    }
    const found = logs
      .filter((name) => name.endsWith(".jsonl"))
      .flatMap((name) => describeOffLoopback(readOffLoopback(join(dir, name))).map((line) => `[${name}] ${line}`));
    if (process.env.CODEX_PROFILER_LOOPBACK_KEEP === undefined) rmSync(dir, { recursive: true, force: true });
    else console.log(`loopback guard: the run's logs are kept in ${dir}`);
    if (found.length > 0) {
      throw new Error(
        `loopback guard: the run tried to leave loopback ${found.length} time(s):\n  ${found.join("\n  ")}`,
      );
    }
  };
}
