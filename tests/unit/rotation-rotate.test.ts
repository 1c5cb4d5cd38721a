import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { StoreError } from "../../src/errors/index.ts";
import { parseAlertSettings } from "../../src/rotation/alert-settings.ts";
import { runAlertTick } from "../../src/rotation/alert-tick.ts";
import { NO_REPLY, runJobTick } from "../../src/rotation/job.ts";
import type { RotationDeps } from "../../src/rotation/rotate.ts";
import { readRotationState } from "../../src/rotation/rotation-state.ts";
import { loadHistory } from "../../src/usage/history-store.ts";
import { HOUR, MIN, type ReportProfileSpec, T0, usageCheck } from "../support/rotation-builders.ts";
import { captureRuntime, type RecordingOrderPort, recordingOrderPort } from "../support/rotation-fakes.ts";

/** home's token refused by the usage endpoint: 🔴, left out of the order and parked. */
const HOME_UNUSABLE: ReportProfileSpec = {
  id: "openai:home",
  status: "unusable",
  five: null,
  weekly: null,
  fetchedAt: null,
  errorCode: "auth_not_accepted_by_usage_endpoint",
};

let dir: string;
let clock: number;
let specs: ReportProfileSpec[];
let usageFails: Error | null;
let port: RecordingOrderPort;

let historyPath: () => string;
const deps = (): RotationDeps => ({
  readUsage: async () => {
    if (usageFails) throw usageFails;
    return usageCheck(specs, clock);
  },
  order: port,
  historyPath: historyPath(),
  statePath: join(dir, "rotation-state.json"),
  now: () => clock,
});

async function run(...argv: string[]) {
  const rt = captureRuntime();
  await rotateCommand(argv, rt, { env: {}, rotation: deps() });
  return rt;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-rot-"));
  clock = T0;
  usageFails = null;
  historyPath = () => join(dir, "usage-history.json");
  specs = [
    { id: "openai:work", five: [10, 2 * HOUR] },
    { id: "openai:home", five: [70, 3 * HOUR] },
    { id: "openai:team", five: [0, HOUR] },
  ];
  port = recordingOrderPort(["openai:work", "openai:home", "openai:team"]);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("rotate plan / apply", () => {
  it("plan prints {current, proposed, changed, reasons} with full ids and changes nothing", async () => {
    const rt = await run("plan", "--format", "json");
    expect(rt.code).toBe(0);
    const plan = rt.json[0] as {
      current: string[];
      proposed: string[];
      changed: boolean;
      reasons: Array<{ profile: string; from: number | null; to: number | null; reason: string }>;
    };
    expect(plan.current).toEqual(["openai:work", "openai:home", "openai:team"]);
    expect(plan.proposed).toEqual(["openai:home", "openai:work", "openai:team"]);
    expect(plan.changed).toBe(true);
    expect(plan.reasons.map((r) => [r.profile, r.from, r.to])).toEqual([
      ["openai:home", 2, 1],
      ["openai:work", 1, 2],
      ["openai:team", 3, 3],
    ]);
    expect(plan.reasons[2]?.reason).toBe("limited: 5h used up, back in 1h");
    expect(port.sets).toEqual([]);
  });

  it("a usage history that cannot be written costs the forecasts, never the plan", async () => {
    writeFileSync(join(dir, "file"), "");
    historyPath = () => join(dir, "file", "usage-history.json");
    const rt = await run("plan", "--format", "json");
    expect(rt.code).toBe(0);
    expect((rt.json[0] as { proposed: string[] }).proposed).toEqual(["openai:home", "openai:work", "openai:team"]);
  });

  it("plan text shows both orders, the decision and a line per profile", async () => {
    const rt = await run("plan", "--if-better");
    expect(rt.out).toEqual([
      "Codex auth order for agent main (provider openai), expiry-first, only if clearly better:",
      "  current:  work, home, team",
      "  proposed: home, work, team",
      "  decision: switch-first: openai:work is under 20% and openai:home has 70%",
      "  1. home (was 2): usable: 70% headroom (5h 70%, weekly 80%), weekly resets in 3d",
      "  2. work (was 1): usable: 10% headroom (5h 10%, weekly 80%), weekly resets in 3d",
      "  3. team: limited: 5h used up, back in 1h",
    ]);
  });

  it("apply without --yes refuses (exit 4) and changes nothing", async () => {
    const rt = await run("apply", "--format", "json");
    expect(rt.code).toBe(4);
    expect(rt.json[0]).toMatchObject({ needs_confirmation: true, applied: false });
    expect(port.sets).toEqual([]);
  });

  it("apply --yes sets the proposed order through the port once", async () => {
    const rt = await run("apply", "--yes");
    expect(rt.code).toBe(0);
    expect(port.sets).toEqual([
      { agentId: "main", provider: "openai", ids: ["openai:home", "openai:work", "openai:team"] },
    ]);
    expect(rt.out.at(-1)).toBe("Applied and verified: home, work, team.");
    const again = await run("apply", "--yes");
    expect(again.out.at(-1)).toBe("Nothing to change.");
    expect(port.sets).toHaveLength(1);
  });

  it("on 2026.5.28 with an API-key backup, plan and apply say that storing the order ends it", async () => {
    port.backups = ["openai:backup"];
    const plan = await run("plan");
    expect(plan.out).toContain(
      "  note: storing this order ends OpenClaw's use of its API-key backup openai:backup " +
        "(codex_auth order clear brings it back)",
    );
    const rt = await run("apply", "--yes", "--format", "json");
    expect(rt.code).toBe(0);
    expect(rt.json[0]).toMatchObject({ applied: true, ends_backups: ["openai:backup"] });
    expect(port.sets.map((s) => s.ids)).toEqual([["openai:home", "openai:work", "openai:team"]]);
  });

  it("an apply failure exits 5 and says why", async () => {
    port.failNext = "openclaw_failed";
    const rt = await run("apply", "--yes", "--format", "json");
    expect(rt.code).toBe(5);
    expect(rt.json[0]).toMatchObject({ applied: false, result: { ok: false, error: { code: "openclaw_failed" } } });
  });

  it.each([
    ["order_changed", "refused", 4],
    ["verify_unreadable", "verify_mismatch", 6],
    ["openclaw_failed", "failure", 1],
  ] as const)("a pipeline that ends in %s (%s) exits %i, as codex_auth does", async (code, outcome, exit) => {
    port.failNext = code;
    port.failOutcome = outcome;
    const rt = await run("apply", "--yes", "--format", "json");
    expect(rt.code).toBe(exit);
    expect(rt.json[0]).toMatchObject({ result: { outcome, error: { code } } });
  });

  it("an unusable profile leaves the order, is parked, and comes back once usable", async () => {
    specs[1] = HOME_UNUSABLE;
    await run("apply", "--yes");
    expect(port.order).toEqual(["openai:work", "openai:team"]);
    expect(readRotationState(join(dir, "rotation-state.json")).agents.main?.parked).toEqual(["openai:home"]);
    specs[1] = { id: "openai:home", five: [90, HOUR] };
    clock += 10 * MIN;
    await run("apply", "--yes");
    expect(port.order).toEqual(["openai:home", "openai:work", "openai:team"]);
    expect(readRotationState(join(dir, "rotation-state.json")).agents.main?.parked).toEqual([]);
  });

  it("a parked profile survives another agent's damaged entry in the state file, and comes back", async () => {
    specs[1] = HOME_UNUSABLE;
    await run("apply", "--yes");
    const path = join(dir, "rotation-state.json");
    const state = JSON.parse(readFileSync(path, "utf8"));
    writeFileSync(path, JSON.stringify({ ...state, agents: { ...state.agents, other: { parked: [1] } } }));
    expect(readRotationState(path).agents.main?.parked).toEqual(["openai:home"]);
    specs[1] = { id: "openai:home", five: [90, HOUR] };
    clock += 10 * MIN;
    await run("apply", "--yes");
    expect(port.order[0]).toBe("openai:home");
  });

  it("an agent named like an Object property (constructor, toString) is an agent like any", async () => {
    for (const agent of ["constructor", "toString"]) {
      const rt = await run("apply", "--yes", "--agent", agent, "--format", "json");
      expect(rt.code, agent).toBe(0);
    }
  });

  it("the check's own readings are recorded however long it took (the time is taken after it)", async () => {
    const slow = deps();
    const read = slow.readUsage;
    slow.readUsage = async (agentId) => {
      clock += 61_000; // a check slower than the history's 60 s allowance for clocks ahead
      return read(agentId);
    };
    const rt = captureRuntime();
    await rotateCommand(["plan"], rt, { env: {}, rotation: slow });
    expect(Object.keys(loadHistory(historyPath(), clock).profiles)).toHaveLength(3);
    rmSync(historyPath());
    const settings = parseAlertSettings({ enabled: true, leadMinutes: 60 });
    await runAlertTick({ agentId: "main", settings, record: true, first: "openai:work" }, slow);
    expect(Object.keys(loadHistory(historyPath(), clock).profiles)).toHaveLength(3);
  });

  it("a state file that cannot be written costs the memory, not the change already made (apply, job)", async () => {
    writeFileSync(join(dir, "taken"), "a file where the cache folder should be");
    const blocked = { ...deps(), statePath: join(dir, "taken", "rotation-state.json") };
    specs[1] = HOME_UNUSABLE;
    const rt = captureRuntime();
    await rotateCommand(["apply", "--yes", "--format", "text"], rt, { env: {}, rotation: blocked });
    expect(rt.code ?? 0).toBe(0);
    expect(rt.all()).toContain("Applied and verified");
    expect(rt.all()).toContain("Rotation state not saved");
    expect(port.order).toEqual(["openai:work", "openai:team"]);
    port.order = ["openai:home", "openai:work", "openai:team"];
    const tick = await runJobTick("main", blocked);
    expect(tick.outcome).toBe("applied");
  });

  it("a profile the user took out of the order stays out", async () => {
    port.order = ["openai:work", "openai:team"];
    const rt = await run("plan", "--format", "json");
    expect((rt.json[0] as { proposed: string[] }).proposed).toEqual(["openai:work", "openai:team"]);
  });

  it("bad flags exit 2 before anything is read", async () => {
    for (const argv of [
      ["shuffle"],
      ["plan", "--agent", "../x"],
      ["plan", "--format", "yaml"],
      ["apply", "--margin", "0"],
      ["job", "install", "--every", "10s"],
      ["job", "install", "--every", "1m"], // faster than the 5 minutes polling etiquette allows
      ["alerts", "install", "--every", "4m"],
    ]) {
      const rt = await run(...argv);
      expect(rt.code, argv.join(" ")).toBe(2);
    }
    expect(port.reads).toBe(0);
  });

  it.each([
    ["a refusal after the service-state warning", "Error: invalid --command-argv: not executable", "cron_failed", 5],
    [
      "no Gateway",
      "Error: gateway closed (1006 abnormal closure (no close frame)): no close reason",
      "gateway_unreachable",
      1,
    ],
    ["a refused connection", "Error: connect ECONNREFUSED 127.0.0.1:18789", "gateway_unreachable", 1],
  ])("job install: %s is %s", async (_, error, code, exit) => {
    const warning =
      "Installed Gateway service state and config paths could not be verified. Inspect the service environment " +
      "with `openclaw gateway status --deep` before repairing plugin state.";
    const cron = async (args: string[]) =>
      args[1] === "list"
        ? { code: 0, stdout: JSON.stringify({ jobs: [] }), stderr: "" }
        : { code: 1, stdout: "", stderr: `${warning}\n${error}\n` };
    const rt = captureRuntime();
    const argv = ["job", "install", "--yes", "--agent", "main", "--format", "json"];
    await rotateCommand(argv, rt, { env: { OPENCLAW_STATE_DIR: dir }, cron, launcher: "/opt/cp/scripts/codex_rotate" });
    expect(rt.code).toBe(exit);
    expect(JSON.stringify(rt.json)).toContain(`"code":"${code}"`);
  });

  it("a bare codex_rotate plans; job install carries --policy and --margin into the job's own argv", async () => {
    expect((await run()).code).toBe(0);
    const added: string[][] = [];
    const cron = async (args: string[]) => {
      if (args[1] === "add") added.push(args);
      const job = { id: "j1", name: "n", enabled: true, payload: { kind: "command", argv: [] } };
      return { code: 0, stdout: JSON.stringify(args[1] === "list" ? { jobs: [] } : { job }), stderr: "" };
    };
    const rt = captureRuntime();
    const argv = ["job", "install", "--margin", "40", "--policy", "headroom", "--yes", "--agent", "main"];
    await rotateCommand(argv, rt, { env: { OPENCLAW_STATE_DIR: dir }, cron, launcher: "/opt/cp/scripts/codex_rotate" });
    const add = added[0] ?? [];
    expect(JSON.parse(add[add.indexOf("--command-argv") + 1] ?? "null")).toEqual([
      "/opt/cp/scripts/codex_rotate",
      ...["job", "run", "--agent", "main", "--policy", "headroom", "--margin", "40"],
    ]);
  });

  it("usage failures get a stable code and no secret", async () => {
    usageFails = new Error("boom Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig");
    const rt = await run("plan", "--format", "json");
    expect(rt.code).toBe(1);
    expect(JSON.stringify(rt.json)).not.toContain("eyJ");
    expect(rt.json[0]).toMatchObject({ error: { code: "usage_failed" } });
    usageFails = new StoreError("no_codex_profiles", "no profiles");
    expect((await run("plan")).code).toBe(3);
  });

  it("the store's and the agent's own errors keep their code and exit code, as codex_usage reports them", async () => {
    writeFileSync(join(dir, "openclaw.json"), '{ agents: { list: [{ id: "main" }] } }');
    const cases: Array<[string[], number, string]> = [
      [["--agent", "nope"], 2, "unknown_agent"],
      [[], 3, "store_not_found"],
    ];
    for (const [extra, code, error] of cases) {
      const rt = captureRuntime();
      await rotateCommand(["plan", "--format", "json", ...extra], rt, { env: { OPENCLAW_STATE_DIR: dir } });
      expect(rt.code, error).toBe(code);
      expect(rt.json[0], error).toMatchObject({ error: { code: error } });
    }
    writeFileSync(join(dir, "openclaw.json"), "{ agents:");
    const broken = captureRuntime();
    await rotateCommand(["plan", "--format", "json"], broken, { env: { OPENCLAW_STATE_DIR: dir } });
    expect(broken.code).toBe(3);
    expect(broken.json[0]).toMatchObject({ error: { code: "config_invalid" } });
  });
  it("both Codex provider ids, or a profile without a provider: refused by name (mixed_providers)", async () => {
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "openai-codex:home", five: [70, 3 * HOUR] },
    ];
    const rt = await run("plan", "--format", "json");
    expect(rt.code).toBe(4);
    expect(rt.json[0]).toMatchObject({ error: { code: "mixed_providers" } });
    expect(port.sets).toEqual([]);
    specs = [
      { id: "openai:work", five: [10, 2 * HOUR] },
      { id: "home", five: [70, 3 * HOUR] },
    ];
    const bare = await run("plan");
    expect(bare.code).toBe(4);
    expect(bare.all()).toContain("(openai, an id without one)");
  });
});

describe("the job's decision loop", () => {
  const statePath = () => join(dir, "rotation-state.json");

  it("prints NO_REPLY unless the decision changed, and records every run atomically", async () => {
    specs[0] = { id: "openai:work", five: [60, 2 * HOUR] };
    const t1 = await runJobTick("main", deps());
    expect(t1).toMatchObject({ outcome: "kept", output: NO_REPLY });

    specs[0] = { id: "openai:work", five: [0, 2 * HOUR] };
    clock += 10 * MIN;
    const t2 = await runJobTick("main", deps());
    expect(t2.outcome).toBe("applied");
    expect(t2.output).toBe("Codex order changed: home is first now, was work (work 5h used up, back in 2h).");
    expect(port.order[0]).toBe("openai:home");

    clock += 10 * MIN;
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);

    usageFails = Object.assign(new Error("network down"), { code: "x" });
    clock += 10 * MIN;
    const t4 = await runJobTick("main", deps());
    expect(t4.outcome).toBe("usage-error");
    expect(t4.output).toMatch(/^Codex rotation could not run \(usage_failed\)/);
    clock += 10 * MIN;
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);

    usageFails = null;
    clock += 10 * MIN;
    expect((await runJobTick("main", deps())).output).toBe("Codex rotation is back to normal: home is first.");

    const state = readRotationState(statePath());
    expect(state.agents.main?.job).toMatchObject({
      outcome: "kept",
      signature: "ok",
      order: ["openai:home", "openai:team", "openai:work"],
    });
    expect(statSync(statePath()).mode & 0o777).toBe(0o600);
    expect(readFileSync(statePath(), "utf8")).not.toMatch(/eyJ|Bearer|access|refresh/);
  });

  it("tells the user once when no profile is usable, then stays quiet", async () => {
    specs = specs.map((s) => ({ ...s, five: [0, HOUR] as [number, number] }));
    const t1 = await runJobTick("main", deps());
    expect(t1.outcome).toBe("no-usable");
    expect(t1.output).toMatch(/^No Codex profile is usable right now; work stays first/);
    clock += 10 * MIN;
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);
    expect(port.sets).toEqual([]);
  });

  it("when no profile is usable the order is kept, and no reason claims a profile was left out of it", async () => {
    specs = specs.map((s) => ({ ...HOME_UNUSABLE, id: s.id }));
    const t1 = await runJobTick("main", deps());
    expect(t1.output).toBe(
      "No Codex profile is usable right now; work stays first (unusable (auth_not_accepted_by_usage_endpoint)).",
    );
    const plan = captureRuntime();
    await rotateCommand(["plan", "--format", "json"], plan, { env: {}, rotation: deps() });
    const reasons = (plan.json[0] as { reasons: Array<{ to: number | null; reason: string }> }).reasons;
    expect(
      reasons.every((r) => r.to !== null && r.reason.endsWith(": still in the order (the order is left as it is)")),
    ).toBe(true);
  });

  it("a first in a brief OpenClaw cooldown while the rest are limited is no news; a long one is", async () => {
    // The week's end: home and team spent for days; work fine but in OpenClaw's 1-minute cooldown after a 5xx.
    const spentForDays = (id: string): ReportProfileSpec => ({ id, five: [60, HOUR], weekly: [0, 2 * 24 * HOUR] });
    specs = [
      { id: "openai:work", five: [70, 2 * HOUR], cooldownUntil: clock + MIN },
      spentForDays("openai:home"),
      spentForDays("openai:team"),
    ];
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);
    clock += 10 * MIN;
    specs[0] = { id: "openai:work", five: [70, 2 * HOUR] };
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);
    expect(port.sets).toEqual([]);

    clock += 10 * MIN;
    specs[0] = { id: "openai:work", five: [70, 2 * HOUR], cooldownUntil: clock + 2 * HOUR };
    expect((await runJobTick("main", deps())).output).toMatch(
      /^No Codex profile is usable right now; work stays first/,
    );
  });

  it("leaves an order change that would end 2026.5.28's API-key backup to the user, and says so once", async () => {
    port.backups = ["openai:backup"];
    specs[0] = { id: "openai:work", five: [0, 2 * HOUR] };
    const t1 = await runJobTick("main", deps());
    expect(t1.outcome).toBe("kept");
    expect(t1.output).toBe(
      "Codex rotation keeps the order: openai:work is limited and openai:home is usable, but storing an order " +
        "ends OpenClaw's use of its API-key backup openai:backup; the job leaves that to you (codex_rotate apply " +
        "--yes accepts it).",
    );
    expect(t1.record).toMatchObject({ signature: "backup-held", order: ["openai:work", "openai:home", "openai:team"] });
    clock += 10 * MIN;
    expect((await runJobTick("main", deps())).output).toBe(NO_REPLY);
    expect(port.sets).toEqual([]);

    expect((await run("apply", "--yes")).code).toBe(0);
    clock += 10 * MIN;
    expect(await runJobTick("main", deps())).toMatchObject({ outcome: "kept", output: NO_REPLY });
    expect(port.sets).toHaveLength(1);
  });

  it("job run through the command prints only the job's output", async () => {
    const rt = await run("job", "run");
    expect(rt.code).toBe(0);
    expect(rt.out).toEqual(["Codex order changed: home is first now, was work."]);
  });
});
