import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runJobTick } from "../../src/rotation/job.ts";
import { HOUR, T0, usageCheck } from "../support/rotation-builders.ts";
import { recordingOrderPort } from "../support/rotation-fakes.ts";

/** What the job announces stays one line a Discord message does not cut, however many profiles there are. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-rot-lines-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("the job's line about a long order", () => {
  it("a repaired order of 60 long names names the first ten and counts the rest", async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `openai:${"team-seat-".repeat(8)}${String(i).padStart(2, "0")}`);
    // The first stays; a spent profile second, ahead of usable ones, is what gets repaired.
    const left = (i: number): number => (i === 1 ? 0 : i === 0 ? 95 : 50 + (i % 7));
    const port = recordingOrderPort(ids);
    const tick = await runJobTick("main", {
      readUsage: async () => usageCheck(ids.map((id, i) => ({ id, five: [left(i), 2 * HOUR] }))),
      order: port,
      historyPath: join(dir, "usage-history.json"),
      statePath: join(dir, "rotation-state.json"),
      now: () => T0,
    });
    expect(tick.record.outcome).toBe("applied");
    expect(tick.output).toMatch(/^Codex order repaired: team-seat-.*00, .* and 50 more\.$/);
    expect(tick.output.length).toBeLessThan(2000);
    expect(tick.output).not.toContain("\n");
  });
});
