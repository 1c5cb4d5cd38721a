import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type DayRunResult, runSimulatedDay } from "../tests/support/rotation-day-run.ts";

/**
 * A simulated day (24 h, four accounts, the job every 10 minutes): how often the order changes and how
 * many minutes an exhausted profile sat first, for the job (hysteresis + forecast) against a naive
 * "switch on every ranking change" baseline. Usage comes straight from the day model (no HTTP), so the
 * numbers measure the policy only; the integration test runs the same day over the loopback simulator.
 */
export default async function benchRotation(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "cxp-bench-rot-"));
  const start = Date.UTC(2026, 9, 5, 0, 0, 0);
  try {
    const started = Date.now();
    const job = await runSimulatedDay({ policy: "job", start, dir });
    const jobMs = Date.now() - started;
    const noForecast = await runSimulatedDay({ policy: "job", start, dir, forecast: false });
    const naive = await runSimulatedDay({ policy: "naive", start, dir });
    const none = await runSimulatedDay({ policy: "none", start, dir });
    const row = (name: string, r: DayRunResult) =>
      `  ${name.padEnd(30)} order changes ${String(r.orderChanges).padStart(3)}   first-profile switches ` +
      `${String(r.firstChanges.length).padStart(3)}   A→B→A within 1 h ${String(r.reversals.length).padStart(2)}   ` +
      `minutes with an exhausted profile first ${String(r.exhaustedFirstMinutes).padStart(4)}   with none usable ` +
      `${String(r.noneUsableMinutes).padStart(4)}`;
    console.log("rotation: simulated 24 h, 4 accounts, job every 10 min");
    console.log(row("job (--if-better, margin 15)", job));
    console.log(row("job without forecast", noForecast));
    console.log(row("naive (every ranking change)", naive));
    console.log(row("no rotation (static order)", none));
    console.log(
      `  job loop: ${job.outputs.length} ticks in ${jobMs} ms (${(jobMs / job.outputs.length).toFixed(1)} ms/tick), ` +
        `${job.outputs.filter((x) => x !== "NO_REPLY").length} user-visible lines`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchRotation();
