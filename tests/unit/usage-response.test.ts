import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUsageBody, parseUsageJson } from "../../src/usage/usage-response.ts";
import { sampleMalformedOptionalParts, sampleWithAdditional } from "../support/usage-simulator.ts";

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/usage/${name}`, import.meta.url), "utf8");
const ok = (text: string) => {
  const result = parseUsageBody(text);
  if (!result.ok) throw new Error(`expected a usable body, got ${result.reason}`);
  return result.value;
};

describe("parseUsageBody: the captured samples", () => {
  it("reads the Team sample (a) with its optional parts", () => {
    const v = ok(fixture("team-ok.json"));
    expect(v.plan).toBe("team");
    expect(v.mainLimit?.windows[0]?.limit_window_seconds).toBe(18000);
    expect(v.mainLimit?.windows[1]?.used_percent).toBe(2);
    expect(v.codeReview?.windows[0]?.limit_window_seconds).toBe(604800);
    expect(v.credits).toMatchObject({ hasCredits: false, unlimited: false });
    expect(v.dropped).toEqual([]);
  });

  it("reads the limited Plus sample (b) and its reached type", () => {
    const v = ok(fixture("plus-limited-5h.json"));
    expect(v.mainLimit).toMatchObject({ allowed: false, limitReached: true });
    expect(v.reachedType).toBe("rate_limit_reached");
  });

  it("reads the weekly-only Pro sample (c) full of fields it does not know", () => {
    const v = ok(fixture("pro-weekly-only-exhausted.json"));
    expect(v.mainLimit?.windows).toHaveLength(1);
    expect(v.credits?.balance).toBe(0);
    expect(v.spend).toEqual({ reached: false, pool: null });
    expect(v.resetCredits).toBe(0);
    expect(v.resetCreditsApplicable).toBe(0);
  });

  it("reads how many reset credits apply now, and leaves it unknown where the answer does not say", () => {
    const both = ok(
      '{"plan_type":"pro","rate_limit_reset_credits":{"available_count":2,"applicable_available_count":1}}',
    );
    expect([both.resetCredits, both.resetCreditsApplicable]).toEqual([2, 1]);
    const older = ok('{"plan_type":"pro","rate_limit_reset_credits":{"available_count":2}}');
    expect([older.resetCredits, older.resetCreditsApplicable]).toEqual([2, null]);
  });

  it("reads additional_rate_limits (d)", () => {
    const result = parseUsageJson(sampleWithAdditional(Date.now()));
    expect(result.ok && result.value.additional[0]?.feature).toBe("gpt_5_3_codex_spark");
    expect(result.ok && result.value.additional[0]?.name).toBe("GPT-5.3-Codex-Spark");
  });
});

describe("parseUsageBody: leniency", () => {
  it("keeps the main windows when every optional part is malformed, and names what it dropped", () => {
    const result = parseUsageJson(sampleMalformedOptionalParts(Date.now()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.plan).toBe("prolite_future_plan");
    expect(result.value.mainLimit?.windows[0]?.used_percent).toBe(18);
    expect(result.value.dropped.sort()).toEqual([
      "additional_rate_limits",
      "code_review_rate_limit",
      "credits",
      "rate_limit_reached_type",
    ]);
    expect(result.value.additional).toEqual([]);
    expect(result.value.credits).toBeNull();
  });

  it("accepts a numeric credits balance, unknown plans and a null rate_limit (credits-only accounts)", () => {
    const v = ok(
      JSON.stringify({
        plan_type: "self_serve_business_usage_based",
        rate_limit: null,
        credits: { has_credits: true, unlimited: false, balance: 9.99 },
      }),
    );
    expect(v.mainLimit).toBeNull();
    expect(v.credits?.balance).toBe(9.99);
  });

  it("a decimal string too long for a finite number is no amount at all", () => {
    const credits = { has_credits: true, unlimited: false, balance: "9".repeat(400) };
    expect(ok(JSON.stringify({ plan_type: "plus", rate_limit: null, credits })).credits?.balance).toBeNull();
  });

  // See usage-normalize.test.ts for what is shown.
  it("an amount beyond a billion is read as sent; what to show is the normalizer's call", () => {
    const v = ok(
      JSON.stringify({
        plan_type: "business",
        rate_limit: null,
        credits: { has_credits: true, unlimited: false, balance: 1e308 },
        spend_control: { reached: false, individual_limit: { limit: "100", used: -1e12, remaining: 40 } },
      }),
    );
    expect(v.credits?.balance).toBe(1e308);
    expect(v.spend?.pool).toMatchObject({ limit: 100, used: -1e12, remaining: 40 });
    expect(v.dropped).toEqual([]);
    const fine = { has_credits: true, unlimited: false, balance: "1000000000" };
    expect(ok(JSON.stringify({ plan_type: "plus", credits: fine })).credits?.balance).toBe(1e9);
  });

  it("accepts a rate_limit without a plan_type", () => {
    expect(parseUsageJson({ rate_limit: { allowed: true, limit_reached: false, primary_window: null } }).ok).toBe(true);
  });

  it.each([
    ["not JSON", "<html>nope</html>", "not_json"],
    ["empty", "", "not_json"],
    ["a JSON array", "[]", "wrong_schema"],
    ["a JSON string", '"usage"', "wrong_schema"],
    ["null", "null", "wrong_schema"],
  ])("refuses %s", (_what, text, reason) => {
    expect(parseUsageBody(text)).toEqual({ ok: false, reason });
  });

  it.each([
    ["a rate_limit that is not an object", '{"plan_type":"plus","rate_limit":"plenty"}', ["rate_limit"]],
    [
      "a window whose percent is no number",
      '{"plan_type":"plus","rate_limit":{"primary_window":' +
        '{"used_percent":"7%","limit_window_seconds":18000,"reset_at":1}}}',
      ["rate_limit.primary_window"],
    ],
    [
      "a window's reset_at that is no number (the window is kept)",
      '{"plan_type":"plus","rate_limit":{"primary_window":{"used_percent":7,"limit_window_seconds":18000,' +
        '"reset_at":"2026-12-03T10:00:00Z"}}}',
      ["rate_limit.primary_window.reset_at"],
    ],
    ["spend_control that is not an object", '{"plan_type":"plus","spend_control":[1]}', ["spend_control"]],
    [
      "a pool in rate_limit that is not an object",
      '{"plan_type":"enterprise","rate_limit":{"allowed":true,"limit_reached":false,"individual_limit":"50"}}',
      ["rate_limit.individual_limit"],
    ],
    [
      "reset credits out of range",
      '{"plan_type":"plus","rate_limit_reset_credits":{"available_count":-1}}',
      ["rate_limit_reset_credits"],
    ],
    [
      "more reset credits than any seat holds",
      '{"plan_type":"plus","rate_limit_reset_credits":{"available_count":1001}}',
      ["rate_limit_reset_credits"],
    ],
    [
      "more reset credits applying than there are",
      '{"plan_type":"plus","rate_limit_reset_credits":{"available_count":1,"applicable_available_count":2}}',
      ["rate_limit_reset_credits.applicable_available_count"],
    ],
    [
      "an applicable count that is no count",
      '{"plan_type":"plus","rate_limit_reset_credits":{"available_count":1,"applicable_available_count":"all"}}',
      ["rate_limit_reset_credits.applicable_available_count"],
    ],
    [
      "credits whose unlimited is no boolean",
      '{"plan_type":"plus","credits":{"has_credits":true,"unlimited":"no"}}',
      ["credits"],
    ],
    [
      "a model's available_at that is a date but no ISO time",
      '{"plan_type":"plus","model_usage":{"gpt-a":{"available":false,"available_at":"Oct 1, 2026 13:00"}}}',
      ["model_usage[0].available_at"],
    ],
  ])("names %s among the dropped parts", (_what, text, dropped) => {
    const result = parseUsageBody(text);
    expect(result.ok && result.value.dropped).toEqual(dropped);
  });
});

describe("parseUsageBody: what each field must be", () => {
  it("a spend control is reached only by a JSON true, never by a string or a number", () => {
    const reached = (value: unknown) =>
      ok(JSON.stringify({ plan_type: "business", spend_control: { reached: value, individual_limit: { limit: 10 } } }))
        .spend;
    expect(reached(true)).toMatchObject({ reached: true, pool: { reached: true } });
    for (const value of ["false", "true", 1, "yes"]) {
      expect(reached(value)).toMatchObject({ reached: false, pool: { reached: false } });
    }
  });

  it("keeps a model's name only when no chat markup or link can come of it", () => {
    const names = ["GPT-5.3-Codex-Spark", "Spark *bold*", "Spark [docs](x)", "Spark https://e.example", "a|b"];
    const v = ok(
      JSON.stringify({
        plan_type: "pro",
        additional_rate_limits: names.map((limit_name) => ({
          limit_name,
          rate_limit: { allowed: true, limit_reached: false, primary_window: null },
        })),
      }),
    );
    expect(v.additional.map((a) => a.name)).toEqual(["GPT-5.3-Codex-Spark", null, null, null, null]);
  });

  it("reads 16 additional limits and names the rest once", () => {
    const limit = { allowed: true, limit_reached: false, primary_window: null };
    const v = ok(JSON.stringify({ plan_type: "pro", additional_rate_limits: Array(17).fill({ rate_limit: limit }) }));
    expect(v.additional).toHaveLength(16);
    expect(v.dropped).toEqual(["additional_rate_limits[16+]"]);
  });
});
