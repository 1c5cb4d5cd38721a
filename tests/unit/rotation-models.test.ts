import { describe, expect, it } from "vitest";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { InputError } from "../../src/errors/index.ts";
import { planPriority, validatePriority } from "../../src/models-auth/model-priority.ts";

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
