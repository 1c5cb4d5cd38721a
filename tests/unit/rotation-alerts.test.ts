import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { StoreError } from "../../src/errors/index.ts";
import { checkArgv } from "../../src/openclaw-cli/argv.ts";
import type { CronRunner } from "../../src/openclaw-cli/index.ts";
import { parseAlertSettings } from "../../src/rotation/alert-settings.ts";
import { runAlertTick } from "../../src/rotation/alert-tick.ts";
import {
  type AlertCondition,
  type AlertMemory,
  alertConditions,
  decideAlerts,
  inQuietHours,
  unjudged,
} from "../../src/rotation/alerts.ts";
import { NO_REPLY, runJobTick } from "../../src/rotation/job.ts";
import type { RotationDeps } from "../../src/rotation/rotate.ts";
import { HOUR, MIN, type ReportProfileSpec, T0, usageCheck } from "../support/rotation-builders.ts";
import { captureRuntime, type RecordingOrderPort, recordingOrderPort } from "../support/rotation-fakes.ts";

const ON = parseAlertSettings({ enabled: true, leadMinutes: 60 });

const relogin = (id: string): AlertCondition => ({
  kind: "relogin",
  key: `relogin:${id}`,
  profileId: id,
  label: id,
  code: "refresh_failed",
  hint: "log in again",
  resetAtMs: null,
});
const poolShort = (resetAtMs: number): AlertCondition => ({
  kind: "pool-short",
  key: "pool-short",
  pool: {
    accounts: 2,
    notCounted: [],
    withoutLongLimit: [],
    leftPercent: 20,
    burnPercentPerHour: 10,
    runsOutAtMs: T0 + 2 * HOUR,
    nextResetAtMs: resetAtMs,
    shortByMs: HOUR,
  },
  resetAtMs,
});

describe("decideAlerts: once per condition and window", () => {
  it("sends a condition once, not while it holds, and again after it cleared and came back", () => {
    const c = relogin("openai:work");
    const first = decideAlerts([c], {}, { quiet: false, now: T0 });
    expect(first.send).toEqual([c]);
    const second = decideAlerts([c], first.memory, { quiet: false, now: T0 + 10 * MIN });
    expect(second.send).toEqual([]);
    const cleared = decideAlerts([], second.memory, { quiet: false, now: T0 + 20 * MIN });
    expect(cleared.send).toEqual([]);
    expect(Object.keys(cleared.memory)).toEqual([]);
    expect(decideAlerts([c], cleared.memory, { quiet: false, now: T0 + 30 * MIN }).send).toEqual([c]);
  });

  it("a new window brings the same condition anew; a reset a few seconds off is the same window", () => {
    const sent = decideAlerts([poolShort(T0 + 5 * HOUR)], {}, { quiet: false, now: T0 }).memory;
    expect(decideAlerts([poolShort(T0 + 5 * HOUR + 3000)], sent, { quiet: false, now: T0 }).send).toEqual([]);
    expect(decideAlerts([poolShort(T0 + 12 * HOUR)], sent, { quiet: false, now: T0 }).send).toHaveLength(1);
    // The bound: a reset half an hour later is a new window, a moment less is the same one.
    expect(decideAlerts([poolShort(T0 + 5 * HOUR + 30 * MIN - 1)], sent, { quiet: false, now: T0 }).send).toEqual([]);
    expect(decideAlerts([poolShort(T0 + 5 * HOUR + 30 * MIN)], sent, { quiet: false, now: T0 }).send).toHaveLength(1);
  });

  it("quiet hours hold a condition back; it is sent once they end if it still holds", () => {
    const c = relogin("openai:home");
    const held = decideAlerts([c], {}, { quiet: true, now: T0 });
    expect(held.send).toEqual([]);
    expect(held.memory[c.key]).toMatchObject({ sent: false, since: T0 });
    const after = decideAlerts([c], held.memory, { quiet: false, now: T0 + 8 * HOUR });
    expect(after.send).toEqual([c]);
    expect(after.memory[c.key]).toMatchObject({ sent: true, since: T0 });
  });

  it("keys from outside are plain keys", () => {
    const c = relogin("__proto__");
    const { memory } = decideAlerts([{ ...c, key: "__proto__" }], {}, { quiet: false, now: T0 });
    expect(Object.keys(memory)).toEqual(["__proto__"]);
  });
});

describe("alertConditions", () => {
  const check = usageCheck([
    { id: "openai:work", five: [40, 2 * HOUR] },
    { id: "openai:home", errorCode: "timeout" },
  ]);
  const short = poolShort(T0 + 5 * HOUR);
  const pool = short.kind === "pool-short" ? short.pool : null;
  const base = { profiles: check.profiles, first: "openai:work", leadMs: HOUR, now: T0 };
  it("the pool falls short of the next reset: one condition; it lasts: none", () => {
    expect(alertConditions({ ...base, pool }).map((c) => c.key)).toEqual(["pool-short"]);
    expect(alertConditions({ ...base, pool: pool && { ...pool, shortByMs: 0 } })).toEqual([]);
    expect(alertConditions({ ...base, pool: null })).toEqual([]);
  });
  it("a passing error is no reason for a new login; no forecast, no runs-dry", () => {
    expect(alertConditions({ ...base, pool: null, first: "openai:home" })).toEqual([]);
  });
  it("a first whose usage could not be read is warned of nothing, whatever its earlier readings foretold", () => {
    const [work, home] = check.profiles;
    const dry = {
      key: "main:five_hour",
      kind: "five_hour" as const,
      windowSeconds: 18_000,
      leftPercent: 0,
      burnPercentPerHour: null,
      exhaustsAtMs: T0,
      resetAtMs: T0 + HOUR,
      runsDryBeforeReset: true,
      basis: "exhausted" as const,
    };
    const forecast = { profileId: "x", limits: [dry], runsDryBeforeReset: true };
    const profiles = [
      { ...work!, forecast },
      { ...home!, forecast },
    ];
    expect(alertConditions({ ...base, profiles, pool: null }).map((c) => c.key)).toEqual(["runs-dry:openai:work"]);
    expect(alertConditions({ ...base, profiles, pool: null, first: "openai:home" })).toEqual([]);
  });
});

describe("a runs-dry alert over a wavering pace", () => {
  const [work] = usageCheck([{ id: "openai:work", five: [40, 2 * HOUR] }]).profiles;
  /** The first account as a tick sees it: running out of its 5h window `dryInMin` from now, before its reset. */
  const tick = (dryInMin: number) => {
    const limit = {
      key: "main:five_hour",
      kind: "five_hour" as const,
      windowSeconds: 18_000,
      leftPercent: 20,
      burnPercentPerHour: 20,
      exhaustsAtMs: T0 + dryInMin * MIN,
      resetAtMs: T0 + 2 * HOUR,
      runsDryBeforeReset: true,
      basis: "burn-rate" as const,
    };
    const forecast = { profileId: "openai:work", limits: [limit], runsDryBeforeReset: true };
    return { profiles: [{ ...work!, forecast }], first: "openai:work", pool: null, leadMs: HOUR, now: T0 };
  };
  const decide = (dryInMin: number, memory: AlertMemory) => {
    const input = tick(dryInMin);
    return decideAlerts(alertConditions(input), memory, { quiet: false, now: T0, unjudged: unjudged(input) });
  };

  it("is said once while the run-out wavers around the lead (bursts of use), again once it clearly cleared", () => {
    const first = decide(49, {});
    expect(first.send.map((c) => c.key)).toEqual(["runs-dry:openai:work"]);
    const above = decide(62, first.memory); // past the hour of lead, but within half an hour more of it
    expect(above.send).toEqual([]);
    expect(decide(31, above.memory).send).toEqual([]);
    const cleared = decide(100, above.memory);
    expect(cleared.memory).toEqual({});
    expect(decide(40, cleared.memory).send.map((c) => c.key)).toEqual(["runs-dry:openai:work"]);
  });
});

describe("inQuietHours", () => {
  const at = (iso: string) => Date.parse(iso);
  const night = { startMin: 22 * 60, endMin: 7 * 60 };
  it("spans midnight in the given time zone", () => {
    expect(inQuietHours(at("2026-10-01T21:59:00Z"), night, "UTC")).toBe(false);
    expect(inQuietHours(at("2026-10-01T22:00:00Z"), night, "UTC")).toBe(true);
    expect(inQuietHours(at("2026-10-02T06:59:00Z"), night, "UTC")).toBe(true);
    expect(inQuietHours(at("2026-10-02T07:00:00Z"), night, "UTC")).toBe(false);
    // 20:30 UTC is 22:30 in Berlin (CEST).
    expect(inQuietHours(at("2026-10-01T20:30:00Z"), night, "Europe/Berlin")).toBe(true);
  });
  it("a span within one day, and none", () => {
    expect(inQuietHours(at("2026-10-01T13:00:00Z"), { startMin: 12 * 60, endMin: 14 * 60 }, "UTC")).toBe(true);
    expect(inQuietHours(at("2026-10-01T15:00:00Z"), { startMin: 12 * 60, endMin: 14 * 60 }, "UTC")).toBe(false);
    // Its end is not in it, as a span across midnight's is not.
    expect(inQuietHours(at("2026-10-01T14:00:00Z"), { startMin: 12 * 60, endMin: 14 * 60 }, "UTC")).toBe(false);
    expect(inQuietHours(at("2026-10-01T13:00:00Z"), null, "UTC")).toBe(false);
  });
});

describe("parseAlertSettings", () => {
  it("is off unless enabled; an hour of lead by default", () => {
    expect(parseAlertSettings(undefined).enabled).toBe(false);
    expect(parseAlertSettings({}).enabled).toBe(false);
    expect(parseAlertSettings({ enabled: true, quietHours: "22:30-06:15", timeZone: "Europe/Berlin" })).toEqual({
      enabled: true,
      leadMs: HOUR,
      quietHours: { startMin: 22 * 60 + 30, endMin: 6 * 60 + 15 },
      timeZone: "Europe/Berlin",
      channel: null,
      to: null,
    });
  });
  it.each([
    [{ enabled: "yes" }],
    [{ leadMinutes: 1 }],
    [{ quietHours: "25:00-07:00" }],
    [{ timeZone: "Mars/Olympus" }],
    [{ channel: "Telegram!" }],
    [{ to: "-100123" }],
    [{ to: "424242; rm -rf /" }],
    [{ unknown: true }],
  ])("refuses %j with invalid_alert_settings", (raw) => {
    expect(() => parseAlertSettings(raw)).toThrow(expect.objectContaining({ code: "invalid_alert_settings" }));
  });

  it("takes a Telegram group as telegram:<negative id>, and says so to a bare negative id", () => {
    const group = "telegram:-1001234567890";
    expect(parseAlertSettings({ enabled: true, channel: "telegram", to: group }).to).toBe(group);
    expect(() => checkArgv(["cron", "add", "--announce", "--channel", "telegram", "--to", group])).not.toThrow();
    expect(() => parseAlertSettings({ to: "-1001234567890" })).toThrow(
      /write a Telegram group as telegram:-1001234567890/,
    );
  });
});

let dir: string;
let clock: number;
let specs: ReportProfileSpec[];
let port: RecordingOrderPort;

const deps = (): RotationDeps => ({
  readUsage: async () => usageCheck(specs, clock),
  order: port,
  historyPath: join(dir, "usage-history.json"),
  statePath: join(dir, "rotation-state.json"),
  now: () => clock,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-alerts-"));
  clock = T0;
  port = recordingOrderPort(["openai:work", "openai:home"]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** work, first in the order, burns its 5-hour window fast: 90 % left at T0, 60 % 20 minutes later (90 %/h). */
function burnWork(step: number): void {
  clock = T0 + step * 20 * MIN;
  specs = [
    { id: "openai:work", five: [90 - step * 30, 2 * HOUR - step * 20 * MIN], weekly: [80, 3 * 24 * HOUR] },
    { id: "openai:home", five: [95, 4 * HOUR], weekly: [90, 5 * 24 * HOUR] },
  ];
}

describe("runAlertTick", () => {
  it("says nothing and reads nothing while alerts are off", async () => {
    let reads = 0;
    const tick = await runAlertTick(
      { agentId: "main", settings: parseAlertSettings(undefined), record: true },
      {
        ...deps(),
        readUsage: async () => {
          reads++;
          return usageCheck([], clock);
        },
      },
    );
    expect(tick).toEqual({ lines: [], holding: 0, quiet: false });
    expect(reads).toBe(0);
  });

  it("warns once when the first account runs dry within the lead time, before its reset", async () => {
    burnWork(0);
    expect((await runAlertTick({ agentId: "main", settings: ON, record: true }, deps())).lines).toEqual([]);
    burnWork(1);
    const tick = await runAlertTick({ agentId: "main", settings: ON, record: true }, deps());
    expect(tick.lines).toEqual([
      "⚠️ Codex: work (first in the order) runs out of its 5h limit in ~40m at this pace; it resets in 1h 40m.",
    ]);
    clock += 5 * MIN;
    expect((await runAlertTick({ agentId: "main", settings: ON, record: false }, deps())).lines).toEqual([]);
  });

  it("a longer lead than the runway is needed: 30 minutes of lead stays quiet at 40 minutes left", async () => {
    const lead30 = parseAlertSettings({ enabled: true, leadMinutes: 30 });
    burnWork(0);
    await runAlertTick({ agentId: "main", settings: lead30, record: true }, deps());
    burnWork(1);
    expect((await runAlertTick({ agentId: "main", settings: lead30, record: true }, deps())).lines).toEqual([]);
  });

  it("asks for a new login once per account, with the profile's own hint", async () => {
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "openai:home", errorCode: "refresh_failed" },
    ];
    const tick = await runAlertTick({ agentId: "main", settings: ON, record: true }, deps());
    expect(tick.lines).toEqual(["🔴 Codex: home needs a new login (refresh_failed). log in again"]);
    expect((await runAlertTick({ agentId: "main", settings: ON, record: true }, deps())).lines).toEqual([]);
  });

  it("the auto-switch job appends due alerts to its own line, and is quiet on the next tick", async () => {
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "openai:home", errorCode: "refresh_failed" },
    ];
    const tick = await runJobTick("main", deps(), {}, ON);
    expect(tick.output.split("\n")).toEqual([
      expect.stringMatching(/^Codex order (changed|repaired): /),
      "🔴 Codex: home needs a new login (refresh_failed). log in again",
    ]);
    clock += 10 * MIN;
    expect((await runJobTick("main", deps(), {}, ON)).output).toBe(NO_REPLY);
  });

  it("the job's chat lines stay its own whatever ids the store holds: no mention, no extra line, no link", async () => {
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "openai:@everyone\n🟢 all fine [here](http://evil.example)", errorCode: "refresh_failed" },
    ];
    const tick = await runJobTick("main", deps(), {}, ON);
    const lines = tick.output.split("\n");
    expect(lines, tick.output).toHaveLength(tick.record.message === null ? 1 : 2);
    expect(lines.at(-1)).toMatch(
      /^🔴 Codex: `＠everyone\uFFFD🟢 all fine \[here\]\(http:\/\/evil\.example\)` needs a new login/u,
    );
    expect(tick.output).not.toMatch(/@everyone|\]\(http[^`]*$/m);
    clock += 10 * MIN;
    specs = [{ id: "openai:<@123> @here", errorCode: "refresh_failed" }];
    const alone = await runAlertTick({ agentId: "main", settings: ON, record: true }, deps());
    expect(alone.lines).toEqual(["🔴 Codex: `‹@123> ＠here` needs a new login (refresh_failed). log in again"]);
  });

  it("reads usage once per job tick: the alerts look at what the rotation ranked", async () => {
    specs = [{ id: "openai:work", five: [10, 2 * HOUR] }];
    let reads = 0;
    const readUsage = async () => {
      reads++;
      return usageCheck(specs, clock);
    };
    await runJobTick("main", { ...deps(), readUsage }, {}, ON);
    expect(reads).toBe(1);
  });
});

describe("codex_rotate alerts", () => {
  function configWith(alerts: unknown): NodeJS.ProcessEnv {
    const path = join(dir, "openclaw.json");
    writeFileSync(path, JSON.stringify({ plugins: { entries: { "codex-profiler": { config: { alerts } } } } }));
    return { OPENCLAW_CONFIG_PATH: path, OPENCLAW_STATE_DIR: dir };
  }

  it("alerts run reads the plugin settings: NO_REPLY while off, the alert when on", async () => {
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "openai:home", errorCode: "missing_access_token" },
    ];
    const off = captureRuntime();
    await rotateCommand(["alerts", "run"], off, { env: configWith({ enabled: false }), rotation: deps() });
    expect(off.out).toEqual([NO_REPLY]);
    const on = captureRuntime();
    await rotateCommand(["alerts", "run"], on, { env: configWith({ enabled: true }), rotation: deps() });
    expect(on.out).toEqual([expect.stringMatching(/^🔴 Codex: home needs a new login \(missing_access_token\)\. /)]);
    expect(on.code).toBe(0);
  });

  it("install is refused with alerts off or beside the auto-switch job; else announces to the set chat", async () => {
    const calls: string[][] = [];
    let rotateJob = true;
    const job = (name: string) => ({
      id: `id-${name}`,
      name,
      declarationKey: `${name}:main`,
      enabled: true,
      schedule: { kind: "every", everyMs: 600_000 },
      payload: { kind: "command" },
    });
    let added: ReturnType<typeof job> | null = null;
    const cron: CronRunner = async (args) => {
      calls.push(args);
      if (args[1] === "add") {
        added = job("codex-profiler-alerts");
        return { code: 0, stdout: JSON.stringify({ job: added }), stderr: "" };
      }
      const jobs = [...(rotateJob ? [job("codex-profiler-rotate")] : []), ...(added ? [added] : [])];
      return { code: 0, stdout: JSON.stringify({ jobs }), stderr: "" };
    };
    const install = async (env: NodeJS.ProcessEnv) => {
      const rt = captureRuntime();
      await rotateCommand(["alerts", "install", "--yes", "--format", "json"], rt, {
        env,
        cron,
        launcher: "/x/codex_rotate",
      });
      return rt;
    };
    const off = await install(configWith({}));
    expect([off.code, off.json[0]]).toEqual([4, { error: expect.objectContaining({ code: "alerts_off" }) }]);
    const onSettings = configWith({ enabled: true, channel: "telegram", to: "424242" });
    const conflict = await install(onSettings);
    expect([conflict.code, conflict.json[0]]).toEqual([
      4,
      { error: expect.objectContaining({ code: "job_conflict" }) },
    ]);
    expect(calls.some((c) => c[1] === "add")).toBe(false);
    rotateJob = false;
    const ok = await install(onSettings);
    expect(ok.code).toBe(0);
    const add = calls.find((c) => c[1] === "add") ?? [];
    expect(add.slice(add.indexOf("--command-argv"), add.indexOf("--command-argv") + 2)).toEqual([
      "--command-argv",
      JSON.stringify(["/x/codex_rotate", "alerts", "run", "--agent", "main"]),
    ]);
    expect(add.slice(add.indexOf("--announce"), add.indexOf("--announce") + 5)).toEqual([
      "--announce",
      "--channel",
      "telegram",
      "--to",
      "424242",
    ]);
  });
});

describe("an alert tick that cannot read usage", () => {
  it("says so once, not on every tick, and again only after it recovered and failed anew", async () => {
    let fail = true;
    specs = [{ id: "openai:work", five: [90, 2 * HOUR] }];
    const failing = (): RotationDeps => ({
      ...deps(),
      readUsage: async () => {
        if (fail) throw new StoreError("no_codex_profiles", "No Codex profiles found for this agent.");
        return usageCheck(specs, clock);
      },
    });
    const tick = () => runAlertTick({ agentId: "main", settings: ON, record: true }, failing());
    expect((await tick()).lines).toEqual([
      "⚠️ Codex alerts cannot read usage (no_codex_profiles): No Codex profiles found for this agent.",
    ]);
    expect((await tick()).lines).toEqual([]);
    fail = false;
    expect((await tick()).lines).toEqual([]);
    fail = true;
    expect((await tick()).lines).toHaveLength(1);
  });
});

/**
 * The scheduler's list is read, not changed: when `openclaw cron list` fails, `job status` (and the reads before a
 * change) exit 1 as any other read of OpenClaw that fails, never 5 ("apply failed"); once `cron add` answered, a list
 * that cannot be read back is the table's 6 (verify: applied, state unknown).
 */
describe("codex_rotate job: a failing `openclaw cron list`", () => {
  const job = {
    id: "id-rotate",
    name: "codex-profiler-rotate",
    declarationKey: "codex-profiler-rotate:main",
    enabled: true,
    schedule: { kind: "every", everyMs: 600_000 },
    payload: { kind: "command" },
  };
  const failingList =
    (calls: string[][] = []): CronRunner =>
    async (args) => {
      calls.push(args);
      if (args[1] === "add") return { code: 0, stdout: JSON.stringify({ job }), stderr: "" };
      if (args[1] === "list") return { code: 1, stdout: "", stderr: "Error: scheduler store is locked" };
      return { code: 0, stdout: "{}", stderr: "" };
    };
  const rotate = async (cron: CronRunner, ...argv: string[]) => {
    const rt = captureRuntime();
    await rotateCommand(argv, rt, { env: { CODEX_PROFILER_CACHE_DIR: dir }, cron, launcher: "/x/codex_rotate" });
    return rt;
  };

  it.each(["job", "alerts"])("%s status: exit 1, the error says which read failed", async (kind) => {
    const rt = await rotate(failingList(), kind, "status", "--format", "json");
    expect(rt.code).toBe(1);
    expect(rt.json[0]).toEqual({
      error: { code: "openclaw_failed", message: expect.stringContaining("openclaw cron list failed (exit 1)") },
    });
  });

  it("job remove --yes: the read before the change fails, nothing is removed, exit 1", async () => {
    const calls: string[][] = [];
    const rt = await rotate(failingList(calls), "job", "remove", "--yes");
    expect(rt.code).toBe(1);
    expect(calls.map((c) => c[1])).toEqual(["list"]);
  });

  it.each([
    ["install", []],
    ["remove", [job]],
  ])("job %s --yes: applied, but the list cannot be read back: verify_mismatch, exit 6", async (verb, jobs) => {
    let lists = 0;
    const cron: CronRunner = async (args) => {
      if (args[1] === "list" && lists++ > 0) return { code: 1, stdout: "", stderr: "Error: scheduler store is locked" };
      if (args[1] === "add") return { code: 0, stdout: JSON.stringify({ job }), stderr: "" };
      return { code: 0, stdout: JSON.stringify({ jobs }), stderr: "" };
    };
    const rt = await rotate(cron, "job", verb, "--yes", "--format", "json");
    expect(rt.code).toBe(6);
    expect(rt.json[0]).toEqual({
      error: { code: "verify_mismatch", message: expect.stringContaining("could not be read back") },
    });
  });
});
