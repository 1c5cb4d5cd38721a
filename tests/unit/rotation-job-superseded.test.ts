import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { NO_REPLY, runJobTick } from "../../src/rotation/job.ts";
import type { RotationDeps } from "../../src/rotation/rotate.ts";
import { HOUR, T0, usageCheck } from "../support/rotation-builders.ts";
import { type RecordingOrderPort, recordingOrderPort } from "../support/rotation-fakes.ts";

/**
 * A tick whose write the pipeline refuses because another change of ours came first (a chat confirm, or an
 * overlapping tick that held the change lock): no failure to report, and the tick's memory stays as it was.
 */
let dir: string;
let port: RecordingOrderPort;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-rot-superseded-"));
  port = recordingOrderPort(["openai:work", "openai:home"]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deps = (): RotationDeps => ({
  readUsage: async () =>
    usageCheck([
      { id: "openai:work", five: [5, 2 * HOUR] },
      { id: "openai:home", five: [90, 3 * HOUR] },
    ]),
  order: port,
  historyPath: join(dir, "usage-history.json"),
  statePath: join(dir, "rotation-state.json"),
  now: () => T0,
});

describe("the job when another change of ours wins the race", () => {
  for (const code of ["order_changed", "change_in_progress"])
    it(`${code}: the tick is quiet, recorded as superseded, and the next tick applies`, async () => {
      port.failNext = code;
      port.failOutcome = "refused";
      const tick = await runJobTick("main", deps());
      expect(tick.output).toBe(NO_REPLY);
      expect(tick.record).toMatchObject({ outcome: "superseded", signature: "ok", message: null });
      const next = await runJobTick("main", deps());
      expect(next.record.outcome).toBe("applied");
      expect(next.output).toMatch(/^Codex order changed: home is first now/);
    });

  it("another refusal is still a failure the user hears of", async () => {
    port.failNext = "backup_would_end";
    port.failOutcome = "refused";
    const tick = await runJobTick("main", deps());
    expect(tick.record.outcome).toBe("apply-failed");
    expect(tick.output).toMatch(/^Codex rotation could not change the order \(backup_would_end\)/);
  });

  it("a superseded tick keeps the signature a failing streak had, so the recovery is still told", async () => {
    port.failNext = "openclaw_failed";
    expect((await runJobTick("main", deps())).record.signature).toBe("apply-failed:openclaw_failed");
    port.failNext = "order_changed";
    port.failOutcome = "refused";
    const quiet = await runJobTick("main", deps());
    expect(quiet.output).toBe(NO_REPLY);
    expect(quiet.record.signature).toBe("apply-failed:openclaw_failed");
    expect((await runJobTick("main", deps())).output).toMatch(/^Codex order changed: /);
  });
});
