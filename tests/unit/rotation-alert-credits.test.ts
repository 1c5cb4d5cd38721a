import { describe, expect, it } from "vitest";
import { alertText } from "../../src/rotation/alert-text.ts";
import { alertConditions } from "../../src/rotation/alerts.ts";
import type { LimitForecast } from "../../src/usage/types.ts";
import { HOUR, MIN, T0, usageCheck } from "../support/rotation-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

/** The first account out of its 5-hour window (resets in 2h 10m), with the credits given. */
function firstWith(credits: Record<string, unknown> | null, fiveLeft: LimitForecast, over: object = {}) {
  const body = { ...SHAPE_BODIES.credits_continue(T0), credits, ...over };
  const [work] = usageCheck([{ id: "openai:work", body }], T0).profiles;
  if (!work) throw new Error("no profile");
  work.forecast = { profileId: work.profileId, limits: [fiveLeft], runsDryBeforeReset: true };
  const input = { profiles: [work], first: work.profileId, pool: null, leadMs: HOUR, now: T0 };
  return alertConditions(input).map((c) => alertText(c, T0));
}

const five = (basis: "exhausted" | "burn-rate", exhaustsInMs: number): LimitForecast => ({
  key: "main:five_hour",
  kind: "five_hour",
  windowSeconds: 18_000,
  leftPercent: basis === "exhausted" ? 0 : 10,
  burnPercentPerHour: basis === "exhausted" ? null : 20,
  exhaustsAtMs: T0 + exhaustsInMs,
  resetAtMs: T0 + 2 * HOUR + 10 * MIN,
  runsDryBeforeReset: true,
  basis,
});

describe("the runs-dry alert and credits", () => {
  const balance = { has_credits: true, unlimited: false, overage_limit_reached: false, balance: "12.50" };

  it("says the first account goes on with credits once its window is used up", () => {
    expect(firstWith(balance, five("exhausted", 0))).toEqual([
      "⚠️ Codex: work (first in the order) has used up its 5h limit and goes on with credits; it resets in 2h 10m.",
    ]);
    expect(firstWith(balance, five("burn-rate", 30 * MIN))).toEqual([
      "⚠️ Codex: work (first in the order) runs out of its 5h limit in ~30m at this pace, then goes on with " +
        "credits; it resets in 2h 10m.",
    ]);
  });

  it("is not sent for an account with unlimited credits: it cannot run dry", () => {
    expect(firstWith({ ...balance, unlimited: true, balance: null }, five("burn-rate", 30 * MIN))).toEqual([]);
  });

  it("without credits, or past the overage limit, it only says the limit runs out", () => {
    const plain = "⚠️ Codex: work (first in the order) has used up its 5h limit; it resets in 2h 10m.";
    expect(firstWith(null, five("exhausted", 0))).toEqual([plain]);
    expect(firstWith({ ...balance, unlimited: true, overage_limit_reached: true }, five("exhausted", 0))).toEqual([
      plain,
    ]);
  });

  it("credits carry nothing past a reached spend control, nor past a spent spend pool", () => {
    const reached = { spend_control: { reached: true, individual_limit: null } };
    expect(firstWith(balance, five("exhausted", 0), reached)).toEqual([
      "⚠️ Codex: work (first in the order) has used up its 5h limit; it resets in 2h 10m.",
    ]);
    const pool: LimitForecast = { ...five("burn-rate", 30 * MIN), key: "main:spend", kind: null, windowSeconds: null };
    for (const credits of [balance, { ...balance, unlimited: true, balance: null }]) {
      expect(firstWith(credits, pool)).toEqual([
        "⚠️ Codex: work (first in the order) runs out of its monthly spend limit in ~30m at this pace; " +
          "it resets in 2h 10m.",
      ]);
    }
  });

  it("running out exactly the lead time ahead is within it; a moment later is not yet", () => {
    expect(firstWith(null, five("burn-rate", HOUR))).toHaveLength(1);
    expect(firstWith(null, five("burn-rate", HOUR + 1))).toEqual([]);
  });
});
