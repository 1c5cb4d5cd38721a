import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import {
  listName,
  numberedProfiles,
  resolveSelection,
  selectorFor,
  selectProfile,
} from "../../src/profiles/selection.ts";
import type { CodexProfile, ProfileSet } from "../../src/profiles/types.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";

const set: ProfileSet = profileSetOf([
  codexProfile("openai:bob@example.com", 0),
  codexProfile("openai:alice@example.com", 1),
  codexProfile("openai:Work", null),
]);
const profilesOf = (selection: string | number) => resolveSelection(set, selection).profiles;
const ids = (selection: string | number) => profilesOf(selection).map((p) => p.id);

describe("the one numbering", () => {
  it("profiles are 1..N in set order; all and default are words, not numbers", () => {
    expect(numberedProfiles(set).map((e) => [e.number, e.profile.label])).toEqual([
      [1, "bob@example.com"],
      [2, "alice@example.com"],
      [3, "Work"],
    ]);
    expect(resolveSelection(set, "all")).toMatchObject({ kind: "all", key: "all" });
    expect(resolveSelection(set, "Default")).toMatchObject({ kind: "default", key: "default" });
    expect(resolveSelection(set, "2")).toMatchObject({ kind: "profile", key: "openai:alice@example.com" });
  });

  it("default is the profile OpenClaw would pick first, wherever it stands in the list", () => {
    const picked = profileSetOf(set.profiles, { defaultProfileId: "openai:alice@example.com" });
    expect(resolveSelection(picked, "default")).toMatchObject({
      kind: "default",
      profiles: [expect.objectContaining({ id: "openai:alice@example.com" })],
    });
  });

  it("a number names the same profile for a usage check and for a change", () => {
    for (const { number, profile } of numberedProfiles(set)) {
      expect(profilesOf(number).map((p) => p.id)).toEqual([profile.id]);
      expect(selectProfile(set, String(number)).id).toBe(profile.id);
    }
  });
});

describe("resolveSelection", () => {
  it.each([
    ["all", ["openai:bob@example.com", "openai:alice@example.com", "openai:Work"]],
    ["ALL", ["openai:bob@example.com", "openai:alice@example.com", "openai:Work"]],
    ["default", ["openai:bob@example.com"]],
    ["1", ["openai:bob@example.com"]],
    [1, ["openai:bob@example.com"]],
    ["2", ["openai:alice@example.com"]],
    [" 3 ", ["openai:Work"]],
    ["alice@example.com", ["openai:alice@example.com"]],
    ["ALICE@example.com", ["openai:alice@example.com"]],
    ["openai:alice@example.com", ["openai:alice@example.com"]],
    ["openai-codex:alice@example.com", ["openai:alice@example.com"]],
    ["work", ["openai:Work"]],
  ] as Array<[string | number, string[]]>)("%j", (selection, expected) => {
    expect(ids(selection)).toEqual(expected);
  });

  it.each(["nobody", "4", "anthropic:alice@example.com", "99"])("unknown %j lists what exists", (selection) => {
    try {
      profilesOf(selection);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).code).toBe("unknown_profile");
      expect((error as Error).message).toContain("1 bob@example.com, 2 alice@example.com, 3 Work; or all, default");
    }
  });

  it("an unknown selection is named back only when it reads as typed, never a piece of a token", () => {
    const piece = "cGVuYWkuY29tL2F1dGgiOnsiY2hhdGdwdF9hY2N"; // 39 characters from the middle of a JWT payload
    for (const pick of [() => profilesOf(piece), () => selectProfile(set, `openai:${piece}`)]) {
      expect(pick).toThrow(expect.objectContaining({ code: "unknown_profile" }));
      expect(pick).toThrow(/^no Codex profile matches the selection \(it looks like a token .*; choose one of: 1 bob/);
      expect(pick).not.toThrow(/cGVuYWku|Y2hhdGdwdF9/);
    }
    expect(() => profilesOf(`x ${piece}`)).toThrow(expect.objectContaining({ code: "bad_selection" }));
    expect(() => profilesOf(`x ${piece}`)).not.toThrow(/cGVuYWku/);
    expect(() => selectProfile(set, "iPhone15Pro")).toThrow(/^no Codex profile "iPhone15Pro"; choose one of/);
  });

  it.each(["", "  ", "0", "-1", "1.5", "a b", "a,b", "x\u0000y", "x".repeat(400)])("bad syntax %j", (selection) => {
    expect(() => profilesOf(selection)).toThrow(expect.objectContaining({ code: "bad_selection" }));
  });
});

describe("selectProfile (one profile, for a change)", () => {
  it.each([
    ["1", "openai:bob@example.com"],
    ["alice@example.com", "openai:alice@example.com"],
    ["openai-codex:ALICE@example.com", "openai:alice@example.com"],
    ["WORK", "openai:Work"],
  ])("%j", (selector, id) => {
    expect(selectProfile(set, selector).id).toBe(id);
  });

  it.each(["all", "default", "4", "nobody"])("%j is not one profile", (selector) => {
    expect(() => selectProfile(set, selector)).toThrow(
      expect.objectContaining({ code: "unknown_profile", message: expect.stringContaining("1 bob@example.com") }),
    );
  });

  it("a label that differs only in case from two profiles is ambiguous", () => {
    const twins = profileSetOf([codexProfile("openai:Sam", 0), codexProfile("openai:sam", 1)]);
    expect(selectProfile(twins, "sam").id).toBe("openai:sam");
    expect(() => selectProfile(twins, "SAM")).toThrow(expect.objectContaining({ code: "unknown_profile" }));
  });
});

describe("a label that is a word (all, default), a number, or cannot be typed", () => {
  const odd = profileSetOf([
    codexProfile("openai:all", 0),
    codexProfile("openai:3", 1),
    codexProfile("openai:bob", 2),
    codexProfile("openai:bob ", null),
  ]);
  const [all, three, bob, spaced] = odd.profiles as [CodexProfile, CodexProfile, CodexProfile, CodexProfile];

  it("the word keeps its meaning, the full id selects the profile", () => {
    expect(resolveSelection(odd, "all").kind).toBe("all");
    expect(resolveSelection(odd, "openai:all").profiles).toEqual([all]);
    expect(resolveSelection(odd, "openai-codex:all").profiles).toEqual([all]);
  });

  it("a number is the list's number, for a check and for a change, even beside a label that reads as it", () => {
    expect(resolveSelection(odd, "3").profiles).toEqual([bob]);
    expect(selectProfile(odd, "3")).toBe(bob);
    expect(selectProfile(odd, "openai:3")).toBe(three);
  });

  it("selectorFor: the label when it selects the profile back, else the full id, else the number", () => {
    expect(selectorFor(odd, all, ["all", "default"], "label")).toBe("openai:all");
    expect(selectorFor(odd, all, [], "label")).toBe("all");
    expect(selectorFor(odd, three, [], "label")).toBe("openai:3");
    expect(selectorFor(odd, bob, [], "label")).toBe("bob");
    expect(selectorFor(odd, bob, [], "id")).toBe("openai:bob");
    expect(selectorFor(odd, spaced, [], "id")).toMatch(/^4#[0-9a-f]{6}$/);
    expect(listName(odd, spaced, [])).toBe("openai:bob ");
  });

  it("a number pinned to its id selects that profile wherever it has moved to, and nothing once it is gone", () => {
    const pinned = selectorFor(odd, spaced, [], "id");
    expect(selectProfile(odd, pinned)).toBe(spaced);
    const reordered = profileSetOf([spaced, bob, three, all].map((p, i) => ({ ...p, orderIndex: i })));
    expect(selectProfile(reordered, pinned).id).toBe("openai:bob ");
    expect(resolveSelection(reordered, pinned).key).toBe("openai:bob ");
    const gone = profileSetOf([bob, three]);
    expect(() => selectProfile(gone, pinned)).toThrow(
      expect.objectContaining({ code: "unknown_profile", message: expect.stringMatching(/no longer saved/) }),
    );
  });

  it("selectorFor: a profile whose label and id are shaped like a token goes by its number (a tap submits it)", () => {
    const rt = "rt_Q7mVx2LpK9sNw4HbT1cYz8RfJ3dGa6Ue0iOkPlMnBv";
    const tokenNamed = codexProfile(`openai:${rt}`, 1);
    const withToken = profileSetOf([codexProfile("openai:alice@example.com", 0), tokenNamed]);
    for (const prefer of ["label", "id"] as const) {
      const selector = selectorFor(withToken, tokenNamed, [], prefer);
      expect(selector).toMatch(/^2#[0-9a-f]{6}$/);
      expect(selectProfile(withToken, selector)).toBe(tokenNamed);
    }
  });

  it("the choices an error lists name such a profile by what selects it", () => {
    expect(() => resolveSelection(odd, "nobody")).toThrow(
      "choose one of: 1 openai:all, 2 openai:3, 3 bob, 4 openai:bob ; or all, default",
    );
  });
});
