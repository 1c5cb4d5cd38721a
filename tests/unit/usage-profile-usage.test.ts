import { describe, expect, it } from "vitest";
import type { CodexProfile } from "../../src/profiles/index.ts";
import { profileUsage } from "../../src/usage/profile-usage.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";
import { readingOf, win } from "../support/usage-report-builders.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);

const profile = (id: string, over: Partial<CodexProfile> = {}): CodexProfile => ({ ...codexProfile(id, 0), ...over });
const identity = (accountId: string | null, expiresAtMs: number | null = null) => ({
  accountId,
  userId: null,
  email: null,
  plan: null,
  expiresAtMs,
});
/** The local part of a profile's result as the check sees it at `at` (the set was read a little earlier). */
const localAt = (p: CodexProfile, at: number, others: CodexProfile[] = []) =>
  profileUsage(p, { kind: "renewal-pending" }, profileSetOf([p, ...others]), at).local;

describe("a profile's local state, seen when the check ends", () => {
  it("a token that expires at that very moment has expired", () => {
    const p = profile("openai:a", { identity: identity(null, NOW) });
    expect(localAt(p, NOW)).toMatchObject({ tokenExpiresAtMs: NOW, tokenExpired: true });
    expect(localAt(p, NOW - 1).tokenExpired).toBe(false);
  });

  it("a cooldown or disable that ended while usage was read says nothing more: no end, no reason, no model", () => {
    const state = {
      ...codexProfile("openai:a", 0).state,
      cooldownUntilMs: NOW,
      cooldownReason: "rate_limit",
      cooldownModel: "gpt-5.3-codex-spark",
      disabledUntilMs: NOW,
      disabledReason: "billing",
    };
    const p = profile("openai:a", { state });
    expect(localAt(p, NOW)).toMatchObject({
      cooldownUntilMs: null,
      cooldownReason: null,
      cooldownModel: null,
      disabledUntilMs: null,
      disabledReason: null,
    });
    expect(localAt(p, NOW - 1)).toMatchObject({
      cooldownUntilMs: NOW,
      cooldownReason: "rate_limit",
      cooldownModel: "gpt-5.3-codex-spark",
      disabledUntilMs: NOW,
      disabledReason: "billing",
    });
  });

  it("names the other profiles on its account, never itself, and none without an account id", () => {
    const a = profile("openai:a", { identity: identity("acc-1") });
    const b = profile("openai:b", { identity: identity("acc-1") });
    const c = profile("openai:c", { identity: identity("acc-2") });
    const anon = profile("openai:anon", { identity: identity(null) });
    const anon2 = profile("openai:anon2", { identity: identity(null) });
    expect(localAt(a, NOW, [b, c, anon]).sharesAccountWith).toEqual(["openai:b"]);
    expect(localAt(c, NOW, [a, b]).sharesAccountWith).toEqual([]);
    expect(localAt(anon, NOW, [anon2]).sharesAccountWith).toEqual([]);
  });
});

describe("a profile's result from a reading", () => {
  it("a cached reading whose spent window reset since it was read is seen as it is now: ok, that window full", () => {
    const spent = readingOf({
      plan_type: "plus",
      rate_limit: {
        allowed: false,
        limit_reached: true,
        primary_window: win(100, 600, 18_000, NOW),
        secondary_window: win(40, 86_400, 604_800, NOW),
      },
    });
    const p = profile("openai:a");
    const at = (t: number) =>
      profileUsage(p, { kind: "reading", reading: spent, source: "cache" }, profileSetOf([p]), t);
    expect(at(NOW + 300_000)).toMatchObject({ status: "limited", source: "cache", fetchedAtMs: NOW });
    const later = at(NOW + 600_000);
    expect(later).toMatchObject({ status: "ok", source: "cache", fetchedAtMs: NOW });
    expect(later.reading?.limits.map((l) => [l.key, l.leftPercent])).toEqual([
      ["main:five_hour", 100],
      ["main:weekly", 60],
    ]);
  });

  it("the plan is the one the usage answer names (an upgrade since the token was issued), else the token's", () => {
    const p = profile("openai:a", { identity: { ...identity(null), plan: "plus" } });
    const pro = readingOf({
      plan_type: "pro",
      rate_limit: { allowed: true, limit_reached: false, primary_window: win(5, 60) },
    });
    const set = profileSetOf([p]);
    expect(profileUsage(p, { kind: "reading", reading: pro, source: "fresh" }, set, NOW).plan).toBe("pro");
    expect(profileUsage(p, { kind: "reading", reading: { ...pro, plan: null }, source: "fresh" }, set, NOW).plan).toBe(
      "plus",
    );
    expect(profileUsage(p, { kind: "renewal-pending" }, set, NOW).plan).toBe("plus");
  });
});
