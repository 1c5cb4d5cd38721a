import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { authCommand } from "../../src/cli/auth-command.ts";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.ts";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { defaultRotationDeps } from "../../src/rotation/default-deps.ts";
import { captureRuntime as capture } from "../support/capture-runtime.ts";
import { fakeOpenclawPerTest } from "../support/fake-openclaw.ts";
import { legacyAuthProfiles } from "../support/fixtures.ts";

const A = "openai:alice@example.com";
const B = "openai:bob@example.com";
const fake = fakeOpenclawPerTest();

describe("hostile input is refused before anything is spawned", () => {
  const cases: Array<[string, string[]]> = [
    ["--provider=x", ["order", "set", "--provider=x"]],
    ["a; touch x", ["retire", "a; touch x"]],
    ["$(…)", ["retire", "$(touch /tmp/pwned)"]],
    ["quotes", ["order", "set", 'openai:a"b', "openai:'c'"]],
    ["newline", ["restore", "openai:a\nb"]],
    ["10 kB id", ["retire", `openai:${"x".repeat(10_240)}`]],
    ["agent flag", ["status", "--agent", "-rf"]],
    ["delete without --hard", ["delete", A, "--yes"]],
  ];
  it.each(cases)("%s → exit 2, no openclaw call", async (_, argv) => {
    const f = fake({}, { profiles: [A, B] });
    const rt = capture();
    const code = await authCommand(
      [...argv, "--yes"].filter((a, i, all) => a !== "--yes" || all.indexOf(a) === i),
      rt,
      { env: f.env },
    );
    expect(code).toBe(ExitCode.badInput);
    expect(f.calls()).toEqual([]);
    expect(f.state()).toEqual({ order: null, profiles: [A, B] });
    expect(JSON.stringify(rt.json)).toMatch(/"code":"(invalid_|unknown_option|hard_required|not_codex)/);
  });
});

describe("faults of the openclaw executable", () => {
  it("missing binary → openclaw_not_found", async () => {
    const r = await runAuthOperation(
      { kind: "status" },
      { confirm: false, env: { PATH: "/nonexistent", OPENCLAW_BIN: "/nonexistent/openclaw" } },
    );
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("openclaw_not_found");
    expect(r.error?.hint).toMatch(/OPENCLAW_BIN/);
  });

  it("exit 1 → openclaw_failed with the exit code and the first real stderr line", async () => {
    const f = fake({ mode: "exit1" });
    const r = await runAuthOperation({ kind: "order-show" }, { confirm: false, env: f.env });
    expect(r.error?.code).toBe("openclaw_failed");
    expect(r.error?.message).toMatch(/exited 1: Error: the state database is locked/);
    expect(r.error?.message).not.toMatch(/Installed Gateway/);
  });

  it("junk output → unexpected_output", async () => {
    const f = fake({ mode: "junk" });
    const r = await runAuthOperation({ kind: "status" }, { confirm: false, env: f.env });
    expect(r.error?.code).toBe("unexpected_output");
  });

  it("a hang past the timeout → openclaw_timeout, and the child is killed", async () => {
    const f = fake({ mode: "hang" });
    const cli = new OpenclawCli({ env: f.env, timeoutMs: 1500 });
    const r = await runAuthOperation({ kind: "order-show" }, { confirm: false, cli });
    expect(r.error?.code).toBe("openclaw_timeout");
  });

  it("noise lines before the JSON are tolerated", async () => {
    const f = fake({ noiseBeforeJson: true }, { profiles: [A, B], order: [B] });
    const r = await runAuthOperation({ kind: "order-show" }, { confirm: false, env: f.env });
    expect(r.ok).toBe(true);
    expect(r.preflight?.storedOrder).toEqual([B]);
  });

  it("verify mismatch: order get differs from what was set → exit 6 with both states, nothing re-applied", async () => {
    const f = fake({ mode: "mismatch", staleOrder: [A, B] }, { profiles: [A, B] });
    const r = await runAuthOperation({ kind: "order-set", ids: [B, A] }, { confirm: true, env: f.env });
    expect(exitCodeFor(r.outcome)).toBe(ExitCode.verifyMismatch);
    expect(r.verify).toMatchObject({
      matches: false,
      expected: { storedOrder: [B, A] },
      observed: { storedOrder: [A, B] },
    });
    expect(f.calls().filter((c) => c.includes("set"))).toHaveLength(1);
    expect(r.notes.join(" ")).toMatch(/does not edit OpenClaw's state or re-apply/);
  });

  it("an apply that saved and then timed out is read back: the plan in place counts as done, said so", async () => {
    const f = fake({ mode: "save-then-hang" }, { profiles: [A, B] });
    const cli = new OpenclawCli({ env: f.env, timeoutMs: 1500 });
    const r = await runAuthOperation({ kind: "order-set", ids: [B, A] }, { confirm: true, cli });
    expect(r).toMatchObject({ ok: true, outcome: "ok", verify: { matches: true } });
    expect(r.notes.join(" ")).toMatch(/reported a failure \(openclaw_timeout\), yet OpenClaw's state read back/);
    expect(f.calls().filter((c) => c.includes("set"))).toHaveLength(1);
  });

  it("an apply that failed is read back and what OpenClaw has is told; nothing is re-applied", async () => {
    const f = fake({ mode: "set-fails" }, { profiles: [A, B], order: [A, B] });
    const r = await runAuthOperation({ kind: "order-set", ids: [B, A] }, { confirm: true, env: f.env });
    expect(r).toMatchObject({ ok: false, outcome: "apply_failed", error: { code: "openclaw_failed" } });
    expect(r.notes.join(" ")).toContain(`Read back after the failure: OpenClaw's order is ${A}, ${B}, not the plan's`);
    expect(f.calls().filter((c) => c.includes("set"))).toHaveLength(1);
  });

  it("a verify read that fails after the change is 'applied, state unknown', never a plain failure", async () => {
    const f = fake({ mode: "locked-after-set" }, { profiles: [A, B] });
    const r = await runAuthOperation({ kind: "order-set", ids: [B, A] }, { confirm: true, env: f.env });
    expect(r.outcome).toBe("verify_mismatch");
    expect(r.error?.code).toBe("verify_unreadable");
    expect(r.error?.message).toMatch(/^The change was applied, but OpenClaw's state could not be read back/);
    expect(f.state().order).toEqual([B, A]);
  });
});

describe("pipeline against the fake", () => {
  it("a dry run stops after preflight + plan: exit 0, would run, nothing applied", async () => {
    const f = fake({}, { profiles: [A, B] });
    const rt = capture();
    const code = await authCommand(["order", "set", B, A, "--format", "text"], rt, { env: f.env });
    expect(code).toBe(0);
    expect(rt.out).toContain(`would run: openclaw models auth order set --provider openai ${B} ${A}`);
    expect(f.calls().some((c) => c.includes("set"))).toBe(false);
  });

  it("an order change: version, 2 parallel reads, set, 2 parallel reads (auth list: delete/login only)", async () => {
    const f = fake({}, { profiles: [A, B] });
    const r = await runAuthOperation({ kind: "order-set", ids: [B] }, { confirm: true, env: f.env });
    expect(r.ok).toBe(true);
    expect(
      f.calls().map((c) =>
        c
          .filter((a) => !a.includes(":") && a !== "openai")
          .slice(0, 4)
          .join(" "),
      ),
    ).toEqual([
      "--version",
      ...Array(2).fill(expect.stringMatching(/^models (status|auth order get)/)),
      "models auth order set",
      ...Array(2).fill(expect.stringMatching(/^models (status|auth order get)/)),
    ]);
    expect(r.notes.join(" ")).toMatch(/\/new or \/reset/);
  });

  it("an email with an apostrophe stays in an order change that runs, verified; its command copies", async () => {
    const C = "openai:o'brien@example.com";
    const f = fake({}, { profiles: [A, C, B], order: [A, C, B] });
    const plan = capture();
    expect(await authCommand(["retire", B, "--format", "text"], plan, { env: f.env })).toBe(ExitCode.ok);
    expect(plan.out).toContain(`would run: openclaw models auth order set --provider openai ${A} "${C}"`);
    const rt = capture();
    expect(await authCommand(["retire", B, "--yes"], rt, { env: f.env })).toBe(ExitCode.ok);
    expect(f.state().order).toEqual([A, C]);
  });

  it("an order id no openclaw argv may hold (a space): refused at the plan (exit 4), never 'would run'", async () => {
    const D = "openai:team seat";
    const f = fake({}, { profiles: [A, D, B], order: [A, D, B] });
    for (const yes of [[], ["--yes"]]) {
      const rt = capture();
      expect(await authCommand(["retire", B, "--format", "text", ...yes], rt, { env: f.env })).toBe(ExitCode.refused);
      expect(rt.out.join("\n")).not.toContain("would run");
      expect([...rt.out, ...rt.err].join("\n")).toMatch(/id_not_passable|passes no such id/);
    }
    expect(f.calls().some((c) => c.includes("set"))).toBe(false);
    expect(f.state().order).toEqual([A, D, B]);
  });

  it("a confirmed chat plan whose order drifted since is refused at the CLI preflight; nothing applied", async () => {
    const f = fake({}, { profiles: [A, B], order: [B, A] });
    const r = await runAuthOperation(
      { kind: "order-set", ids: [B, A] },
      { confirm: true, env: f.env, expectOrder: [A, B] },
    );
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe("order_changed");
    expect(r.error?.message).toContain(`it was ${A}, ${B}, it is ${B}, ${A} now`);
    expect(r.applied).toEqual([]);
    expect(f.calls().some((c) => c.includes("set"))).toBe(false);
    expect(f.state().order).toEqual([B, A]);
    const same = await runAuthOperation(
      { kind: "order-set", ids: [A, B] },
      { confirm: true, env: f.env, expectOrder: [B, A] },
    );
    expect(same.ok).toBe(true);
    expect(f.state().order).toEqual([A, B]);
  });

  it("delete --hard goes through logout --yes and verifies the profile is gone", async () => {
    const f = fake({}, { profiles: [A, B], order: [A, B] });
    const r = await runAuthOperation(
      { kind: "delete", id: "bob@example.com", hard: true },
      { confirm: true, env: f.env },
    );
    expect(r.ok).toBe(true);
    expect(f.calls()).toContainEqual(["models", "auth", "logout", B, "--yes"]);
    expect(f.state().profiles).toEqual([A]);
  });

  it("refuses a mutation without --agent when the config has two agents (exit 2), nothing applied", async () => {
    const f = fake({ agents: ["main", "work"] }, { profiles: [A, B] });
    const r = await runAuthOperation({ kind: "order-clear" }, { confirm: true, env: f.env });
    expect(exitCodeFor(r.outcome)).toBe(ExitCode.badInput);
    expect(r.error?.code).toBe("agent_required");
    expect(f.calls().some((c) => c.includes("clear"))).toBe(false);
  });

  it("refuses unknown profiles at preflight with exit 4", async () => {
    const f = fake({}, { profiles: [A] });
    const r = await runAuthOperation({ kind: "order-set", ids: ["openai:ghost"] }, { confirm: true, env: f.env });
    expect(exitCodeFor(r.outcome)).toBe(ExitCode.refused);
    expect(r.error?.code).toBe("unknown_profile");
  });
});

describe("doctor on a state that still needs migration", () => {
  it("reports the legacy store as a finding with `openclaw doctor --fix` instead of failing", async () => {
    const m = fake({ mode: "migration" });
    const status = await runAuthOperation({ kind: "status" }, { confirm: false, env: m.env });
    expect(status).toMatchObject({ error: { code: "migration_required" } });
    expect(exitCodeFor(status.outcome)).toBe(4);
    const r = await runAuthOperation({ kind: "doctor" }, { confirm: false, env: m.env });
    expect(r.ok).toBe(true);
    expect(r.details).toMatchObject([{ code: "legacy_files_present", fix: "openclaw doctor --fix" }]);
  });
});

describe("rotation's writes", () => {
  it("carry the stored order the plan was made from: a change the user made since refuses the write", async () => {
    const store = legacyAuthProfiles({ provider: "openai" });
    const [first, second] = Object.keys(store.profiles) as [string, string];
    const state = mkdtempSync(join(tmpdir(), "cxp-rot-write-"));
    mkdirSync(join(state, "agents/main/agent"), { recursive: true });
    const stored = { ...store, order: { openai: [first, second] } };
    writeFileSync(join(state, "agents/main/agent/auth-profiles.json"), JSON.stringify(stored), { mode: 0o600 });
    // OpenClaw's order is no longer the one the tick read: the user put the second profile alone first since.
    const f = fake({}, { profiles: [first, second], order: [second] });
    const deps = defaultRotationDeps({ ...f.env, OPENCLAW_STATE_DIR: state });
    expect(await deps.order.readOrder("main", "openai")).toEqual([first, second]);
    const r = await deps.order.setOrder({ agentId: "main", provider: "openai", ids: [second, first] });
    expect(r).toMatchObject({ ok: false, applied: false, error: { code: "order_changed" } });
    expect(f.calls().filter((c) => c.includes("set"))).toHaveLength(0);
    expect(f.state().order).toEqual([second]);
  });
});
