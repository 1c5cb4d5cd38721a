import { describe, expect, it } from "vitest";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { InputError, OpenclawCliError } from "../../src/errors/index.ts";
import { applyModelPriority, planPriority, validatePriority } from "../../src/models-auth/model-priority.ts";
import type { OpenclawCli } from "../../src/openclaw-cli/index.ts";

/**
 * An `openclaw` that keeps agents.defaults.model in memory and fails the commands `fails` names: before the
 * change, or (`after`) once it is saved.
 */
function scriptedCli(
  model: { primary: string; fallbacks: string[] },
  fails: (argv: string[]) => boolean,
  after = false,
) {
  const ran: string[][] = [];
  const failure = () => new OpenclawCliError("openclaw_failed", "openclaw exited 1: Error: database is locked");
  const cli = {
    async runJson() {
      return structuredClone(model);
    },
    async run(argv: string[]) {
      ran.push(argv);
      if (fails(argv) && !after) throw failure();
      if (argv[1] === "set") model.primary = argv[2] as string;
      else if (argv[2] === "clear") model.fallbacks = [];
      else if (argv[2] === "add") model.fallbacks.push(argv[3] as string);
      if (fails(argv)) throw failure();
      return { exitCode: 0, stdout: "", stderr: "" };
    },
  };
  return { cli: cli as unknown as OpenclawCli, ran };
}

describe("model priority plan", () => {
  it.each([
    {
      name: "nothing to do",
      from: { primary: "openai/gpt-5.5", fallbacks: ["a/b"] },
      to: { primary: "openai/gpt-5.5", fallbacks: ["a/b"] },
      commands: [],
    },
    {
      name: "primary only",
      from: { primary: "openai/gpt-5.4", fallbacks: [] },
      to: { primary: "openai/gpt-5.5", fallbacks: [] },
      commands: [["models", "set", "openai/gpt-5.5"]],
    },
    {
      name: "fallbacks are rewritten in order",
      from: { primary: "openai/gpt-5.5", fallbacks: ["x/y", "a/b"] },
      to: { primary: "openai/gpt-5.5", fallbacks: ["a/b", "x/y"] },
      commands: [
        ["models", "fallbacks", "clear"],
        ["models", "fallbacks", "add", "a/b"],
        ["models", "fallbacks", "add", "x/y"],
      ],
    },
    {
      name: "from nothing set",
      from: { primary: null, fallbacks: [] },
      to: { primary: "anthropic/claude-opus-4-6", fallbacks: ["openai/gpt-5.5"] },
      commands: [
        ["models", "set", "anthropic/claude-opus-4-6"],
        ["models", "fallbacks", "clear"],
        ["models", "fallbacks", "add", "openai/gpt-5.5"],
      ],
    },
  ])("$name", ({ from, to, commands }) => {
    expect(planPriority(from, to)).toEqual(commands);
  });

  it.each([
    [{ primary: null, fallbacks: [] }, "missing_primary"],
    [{ primary: "gpt-5.5", fallbacks: [] }, "invalid_model_ref"],
    [{ primary: "openai/gpt-5.5", fallbacks: ["openai/gpt 5"] }, "invalid_model_ref"],
    [{ primary: "openai/gpt-5.5", fallbacks: ["--force/x"] }, "invalid_model_ref"],
    [{ primary: "openai/gpt-5.5;rm", fallbacks: [] }, "invalid_model_ref"],
    [{ primary: "openai/gpt-5.5", fallbacks: ["openai/gpt-5.5"] }, "duplicate_model"],
  ])("refuses %j with %s", (p, code) => {
    expect(() => validatePriority(p)).toThrow(InputError);
    try {
      validatePriority(p);
    } catch (e) {
      expect((e as InputError).code).toBe(code);
    }
  });

  it("never quotes a pasted token back as a model reference", async () => {
    const { fakeAccessToken } = await import("../support/fake-jwt.ts");
    const token = fakeAccessToken({ accountId: "a", userId: "u", email: "a@example.com", exp: 2_000_000_000 });
    for (const value of [`openai/${token}`, "sk-proj-0123456789abcdefghijklmnop"]) {
      expect(() => validatePriority({ primary: value, fallbacks: [] })).toThrow(/looks like a token or OAuth code/);
    }
  });

  it("a command failing part-way is read back: the user learns the fallbacks were left cleared", async () => {
    const model = { primary: "openai/gpt-5.5", fallbacks: ["a/b"] };
    const { cli, ran } = scriptedCli(model, (argv) => argv[2] === "add");
    const r = await applyModelPriority({ primary: "openai/gpt-5.5", fallbacks: ["c/d"] }, { confirm: true, cli });
    expect(ran.map((a) => a.join(" "))).toEqual(["models fallbacks clear", "models fallbacks add c/d"]);
    expect(r).toMatchObject({ ok: false, outcome: "apply_failed", error: { code: "openclaw_failed" } });
    expect(r.verify).toEqual({
      matches: false,
      expected: { primary: "openai/gpt-5.5", fallbacks: ["c/d"] },
      observed: { primary: "openai/gpt-5.5", fallbacks: [] },
    });
  });

  it("a command that failed after its change landed is read back and counts as done", async () => {
    const { cli } = scriptedCli({ primary: "openai/gpt-5.4", fallbacks: [] }, (argv) => argv[1] === "set", true);
    const r = await applyModelPriority({ primary: "openai/gpt-5.5", fallbacks: [] }, { confirm: true, cli });
    expect(r).toMatchObject({ ok: true, outcome: "ok", error: null, verify: { matches: true } });
  });

  it("without --fallbacks the current fallbacks stay, less a new primary; --fallbacks '' clears them", async () => {
    const plan = async (fallbacks: string[] | null, primary = "openai/gpt-6") => {
      const { cli } = scriptedCli({ primary: "openai/gpt-5.5", fallbacks: ["a/b", "openai/gpt-6"] }, () => false);
      return (await applyModelPriority({ primary, fallbacks }, { confirm: false, cli })).commands;
    };
    expect(await plan(null, "openai/gpt-5.5")).toEqual([]);
    expect(await plan(null)).toEqual([
      ["models", "set", "openai/gpt-6"],
      ["models", "fallbacks", "clear"],
      ["models", "fallbacks", "add", "a/b"],
    ]);
    expect(await plan([])).toEqual([
      ["models", "set", "openai/gpt-6"],
      ["models", "fallbacks", "clear"],
    ]);
    expect(parseRotateArgs(["models", "--primary", "openai/gpt-6"]).fallbacks).toBeNull();
    expect(parseRotateArgs(["models", "--primary", "openai/gpt-6", "--fallbacks", ""]).fallbacks).toEqual([]);
  });

  it("parses codex_rotate models flags", () => {
    expect(
      parseRotateArgs(["models", "--primary", "openai/gpt-5.5", "--fallbacks", "a/b, c/d", "--yes"]),
    ).toMatchObject({
      action: "models",
      primary: "openai/gpt-5.5",
      fallbacks: ["a/b", "c/d"],
      yes: true,
    });
    expect(() => parseRotateArgs(["models"])).toThrow(/--primary/);
  });
});
