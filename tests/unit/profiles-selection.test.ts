import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import { selectorEntries, selectProfiles } from "../../src/profiles/selection.ts";
import type { CodexProfile, ProfileSet } from "../../src/profiles/types.ts";

const profile = (id: string, orderIndex: number | null): CodexProfile => ({
  id,
  label: id.slice(id.indexOf(":") + 1),
  provider: "openai",
  identity: { accountId: null, userId: null, email: null, plan: null, expiresAtMs: null },
  state: {
    cooldownUntilMs: null,
    cooldownReason: null,
    disabledUntilMs: null,
    disabledReason: null,
    errorCount: 0,
    lastUsedMs: null,
  },
  orderIndex,
  access: null,
  renewal: "possible",
});

const set: ProfileSet = {
  location: {
    layout: "sqlite",
    agentId: "main",
    stateDir: "/s",
    configPath: "/s/openclaw.json",
    agentDir: "/s/agents/main/agent",
    files: [],
  },
  profiles: [
    profile("openai:bob@example.com", 0),
    profile("openai:alice@example.com", 1),
    profile("openai:Work", null),
  ],
  effectiveOrder: ["openai:bob@example.com", "openai:alice@example.com"],
  orderSource: "stored-override",
  defaultProfileId: "openai:bob@example.com",
};
const ids = (selection: string | number) => selectProfiles(set, selection).map((p) => p.id);

describe("selector entries", () => {
  it("1 = default, 2 = all, then each profile label in set order", () => {
    expect(selectorEntries(set).map((e) => [e.number, e.label, e.profileIds.length])).toEqual([
      [1, "default", 1],
      [2, "all", 3],
      [3, "bob@example.com", 1],
      [4, "alice@example.com", 1],
      [5, "Work", 1],
    ]);
  });
});

describe("selectProfiles", () => {
  it.each([
    ["all", ["openai:bob@example.com", "openai:alice@example.com", "openai:Work"]],
    ["ALL", ["openai:bob@example.com", "openai:alice@example.com", "openai:Work"]],
    ["default", ["openai:bob@example.com"]],
    ["1", ["openai:bob@example.com"]],
    [1, ["openai:bob@example.com"]],
    ["2", ["openai:bob@example.com", "openai:alice@example.com", "openai:Work"]],
    ["4", ["openai:alice@example.com"]],
    [" 5 ", ["openai:Work"]],
    ["alice@example.com", ["openai:alice@example.com"]],
    ["ALICE@example.com", ["openai:alice@example.com"]],
    ["openai:alice@example.com", ["openai:alice@example.com"]],
    ["openai-codex:alice@example.com", ["openai:alice@example.com"]],
    ["work", ["openai:Work"]],
  ] as Array<[string | number, string[]]>)("%j", (selection, expected) => {
    expect(ids(selection)).toEqual(expected);
  });

  it.each(["nobody", "6", "anthropic:alice@example.com", "99"])("unknown %j lists what exists", (selection) => {
    try {
      selectProfiles(set, selection);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe("unknown_profile");
      expect((error as Error).message).toContain("1 default, 2 all, 3 bob@example.com");
    }
  });

  it.each(["", "  ", "0", "-1", "1.5", "a b", "a,b", "x\u0000y", "x".repeat(400)])("bad syntax %j", (selection) => {
    expect(() => selectProfiles(set, selection)).toThrow(expect.objectContaining({ code: "bad_selection" }));
  });
});
