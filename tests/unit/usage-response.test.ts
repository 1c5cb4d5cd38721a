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
    expect(v.rateLimit?.primary_window?.limit_window_seconds).toBe(18000);
    expect(v.rateLimit?.secondary_window?.used_percent).toBe(2);
    expect(v.codeReviewRateLimit?.primary_window?.limit_window_seconds).toBe(604800);
    expect(v.credits).toMatchObject({ has_credits: false, unlimited: false });
    expect(v.droppedParts).toEqual([]);
  });

  it("reads the limited Plus sample (b) and its reached type", () => {
    const v = ok(fixture("plus-limited-5h.json"));
    expect(v.rateLimit).toMatchObject({ allowed: false, limit_reached: true });
    expect(v.rateLimitReachedType).toBe("rate_limit_reached");
  });

  it("reads the weekly-only Pro sample (c) full of fields it does not know", () => {
    const v = ok(fixture("pro-weekly-only-exhausted.json"));
    expect(v.rateLimit?.secondary_window).toBeNull();
    expect(v.credits?.balance).toBe("0");
  });

  it("reads additional_rate_limits (d)", () => {
    const result = parseUsageJson(sampleWithAdditional(Date.now()));
    expect(result.ok && result.value.additionalRateLimits[0]?.metered_feature).toBe("gpt_5_3_codex_spark");
  });
});

describe("parseUsageBody: leniency", () => {
  it("keeps the main windows when every optional part is malformed, and names what it dropped", () => {
    const result = parseUsageJson(sampleMalformedOptionalParts(Date.now()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.plan).toBe("prolite_future_plan");
    expect(result.value.rateLimit?.primary_window?.used_percent).toBe(18);
    expect(result.value.droppedParts.sort()).toEqual([
      "additional_rate_limits",
      "code_review_rate_limit",
      "credits",
      "rate_limit_reached_type",
    ]);
    expect(result.value.additionalRateLimits).toEqual([]);
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
    expect(v.rateLimit).toBeNull();
    expect(v.credits?.balance).toBe(9.99);
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
    ["an object with nothing usable", '{"usage":[1]}', "wrong_schema"],
    ["a rate_limit that is not an object", '{"plan_type":"plus","rate_limit":"plenty"}', "wrong_schema"],
    [
      "a window with a string percent",
      '{"plan_type":"plus","rate_limit":{"allowed":true,"limit_reached":false,"primary_window":{"used_percent":"7","limit_window_seconds":18000,"reset_at":1}}}',
      "wrong_schema",
    ],
    [
      "a window without any reset time",
      '{"plan_type":"plus","rate_limit":{"primary_window":{"used_percent":7,"limit_window_seconds":18000}}}',
      "wrong_schema",
    ],
    [
      "a zero-length window",
      '{"plan_type":"plus","rate_limit":{"primary_window":{"used_percent":7,"limit_window_seconds":0,"reset_at":1}}}',
      "wrong_schema",
    ],
  ])("refuses %s", (_what, text, reason) => {
    expect(parseUsageBody(text)).toEqual({ ok: false, reason });
  });
});
