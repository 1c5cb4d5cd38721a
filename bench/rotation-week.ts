import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DayRunOptions, type DayRunResult, runSimulatedDay } from "../tests/support/rotation-day-run.ts";
import { lapseLowerBound, WEEK_ACCOUNTS, WEEK_HOURS, weekDemand } from "../tests/support/rotation-week.ts";

/**
 * A simulated week (four accounts with staggered weekly resets, heavy bursty demand, rotation every 10 minutes,
 * OpenClaw's failover when the first is used up): how much quota each policy lets lapse at the weekly resets,
 * against the least any policy could, and what it costs in refused first tries and order changes.
 */
export default async function benchRotationWeek(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cxp-bench-week-"));
  const start = Date.UTC(2026, 9, 5, 0, 0, 0);
  const demand = weekDemand();
  const base = { start, dir, hours: WEEK_HOURS, specs: WEEK_ACCOUNTS, demand };
  const policies: [string, Omit<DayRunOptions, keyof typeof base>][] = [
    ["expiry-first (job)", { policy: "job", rankPolicy: "expiry-first" }],
    ["headroom (job)", { policy: "job", rankPolicy: "headroom" }],
    ["codex-auth's rule (10% 5h / 5% week)", { policy: "codex-auth" }],
    ["static order", { policy: "none" }],
  ];
  try {
    const runs: [string, DayRunResult][] = [];
    for (const [name, o] of policies) runs.push([name, await runSimulatedDay({ ...base, ...o })]);
    const due = runs[0]?.[1].lapseDue ?? 1;
    const pct = (x: number): string => `${((100 * x) / due).toFixed(1)}%`.padStart(6);
    console.log(
      `rotation: simulated week, ${WEEK_ACCOUNTS.length} accounts, staggered weekly resets, job every 10 min; ` +
        `quota the resets took back: ${due}% of one account-week`,
    );
    console.log(
      `  least any policy could let lapse (earliest reset first, 5h windows ignored): ` +
        `${pct(lapseLowerBound(WEEK_ACCOUNTS, demand))}`,
    );
    for (const [name, r] of runs) {
      console.log(
        `  ${name.padEnd(38)} lapsed ${pct(r.lapsed)}` +
          `   min. served by failover ${String(r.exhaustedFirstMinutes).padStart(4)}` +
          `   none usable (min) ${String(r.noneUsableMinutes).padStart(4)}` +
          `   order changes ${String(r.orderChanges).padStart(3)}` +
          `   A→B→A within 1 h ${String(r.reversals.length).padStart(2)}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRotationWeek();
