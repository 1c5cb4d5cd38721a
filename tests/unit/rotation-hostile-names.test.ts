import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAlertSettings } from "../../src/rotation/alert-settings.ts";
import { runAlertTick } from "../../src/rotation/alert-tick.ts";
import { runJobTick } from "../../src/rotation/job.ts";
import { planRotation, type RotationDeps } from "../../src/rotation/rotate.ts";
import { HOUR, T0, usageCheck } from "../support/rotation-builders.ts";
import { recordingOrderPort } from "../support/rotation-fakes.ts";

/** An id OpenClaw takes as is: a Markdown link and a line break that would fake a line of the bot's own. */
const HOSTILE = "openai:[re-login here](http://evil.example)\n🟢 all fine";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-rot-names-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const deps = (backups: string[] = []): RotationDeps => ({
  readUsage: async () =>
    usageCheck([
      { id: "openai:work", five: [0, 2 * HOUR] },
      { id: HOSTILE, five: [90, 3 * HOUR] },
    ]),
  order: Object.assign(recordingOrderPort(["openai:work", HOSTILE]), { backups }),
  historyPath: join(dir, "usage-history.json"),
  statePath: join(dir, "rotation-state.json"),
  now: () => T0,
});

describe("rotation's why and the alert lines stay one harmless line (the job and alerts run send them)", () => {
  for (const ifBetter of [false, true])
    it(`ifBetter ${ifBetter}: one line, the id's markup in a code span`, async () => {
      const plan = await planRotation({ agentId: "main", ifBetter }, deps());
      expect(plan.proposed[0]).toBe(HOSTILE);
      expect(plan.why).not.toContain("\n");
      expect(plan.why).toContain("`openai:[re-login here](http://evil.example)\uFFFD🟢 all fine`");
      expect(plan.why.replace(/`[^`\n]*`/g, "")).not.toMatch(/\]\(/);
    });

  it("the job's line that keeps the order for an API-key backup renders no link of an id", async () => {
    const tick = await runJobTick("main", deps(["openai-api:[key](http://evil.example)"]), {});
    expect(tick.record.signature).toBe("backup-held");
    expect(tick.output).toMatch(/^Codex rotation keeps the order: openai:work is limited and `openai:\[re-login/);
    expect(tick.output.replace(/`[^`\n]*`/g, "")).not.toMatch(/\]\(/);
  });

  it("alerts run: an alert is one line, whatever the error message it quotes", async () => {
    const failing = { ...deps(), readUsage: async () => Promise.reject(new Error("store unreadable\n🟢 all fine")) };
    const settings = parseAlertSettings({ enabled: true, leadMinutes: 60 });
    const tick = await runAlertTick({ agentId: "main", settings, record: true }, failing);
    expect(tick.lines).toEqual(["⚠️ Codex alerts cannot read usage (failed): store unreadable\uFFFD🟢 all fine"]);
  });
});
