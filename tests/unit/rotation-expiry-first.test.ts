import { describe, expect, it } from "vitest";
import { DEFAULT_HYSTERESIS, decideOrder } from "../../src/rotation/hysteresis.ts";
import { rankProfiles } from "../../src/rotation/rank.ts";
import { candidate, HOUR, T0 } from "../support/rotation-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

const DAY = 24 * HOUR;
const ids = (r: ReturnType<typeof rankProfiles>): string[] => r.ranked.map((p) => p.id);

describe("expiry-first ranking: spend first the quota that resets soonest, while it has room", () => {
  const soon = candidate("soon", { five: [90, HOUR], weekly: [40, 1 * DAY] });
  const late = candidate("late", { five: [90, HOUR], weekly: [95, 6 * DAY] });
  const lowSoon = candidate("low-soon", { five: [10, 3 * HOUR], weekly: [60, 12 * HOUR] });

  it("puts the account whose week resets soonest first; headroom would put the fullest first", () => {
    expect(ids(rankProfiles([late, soon], [], T0, "expiry-first"))).toEqual(["soon", "late"]);
    expect(ids(rankProfiles([late, soon], [], T0, "headroom"))).toEqual(["late", "soon"]);
  });

  it("ranks an account under the room margin behind those with room, however soon it resets", () => {
    expect(ids(rankProfiles([lowSoon, late, soon], [], T0, "expiry-first"))).toEqual(["soon", "late", "low-soon"]);
  });

  it("an account at the room margin exactly still has room; those under it go by headroom, not by reset", () => {
    const atMargin = candidate("at-margin", { five: [90, HOUR], weekly: [20, 12 * HOUR] });
    expect(ids(rankProfiles([late, atMargin], [], T0, "expiry-first"))).toEqual(["at-margin", "late"]);
    const lowLate = candidate("low-late", { five: [90, HOUR], weekly: [15, 6 * DAY] });
    const lowSooner = candidate("low-sooner", { five: [90, HOUR], weekly: [5, DAY] });
    expect(ids(rankProfiles([lowSooner, lowLate], [], T0, "expiry-first"))).toEqual(["low-late", "low-sooner"]);
  });

  it("takes the long limit by its length: a 90-minute or 36-hour window beside the week is no long limit", () => {
    // Both sit beside a week that resets in 4 days; the plus account's week resets in 2: it lapses first.
    const plus = candidate("plus", { five: [90, 3 * HOUR], weekly: [85, 2 * DAY] });
    for (const shape of ["ninety_minute_window", "unknown_window", "daily_window"] as const) {
      const other = candidate(shape, { body: SHAPE_BODIES[shape](T0) });
      const r = rankProfiles([other, plus], ["plus", shape], T0, "expiry-first");
      expect(ids(r)).toEqual(["plus", shape]);
      expect(r.ranked[1]?.long_reset_at_ms).toBe(T0 + 4 * DAY);
      expect(r.ranked[1]?.reason).toMatch(/, weekly resets in 4d$/);
      expect(decideOrder(["plus", shape], r, DEFAULT_HYSTERESIS, "expiry-first").action).toBe("keep");
    }
  });

  it("keeps limited and unusable accounts where headroom puts them", () => {
    const limited = candidate("limited", { status: "limited", five: [0, HOUR], weekly: [50, 2 * HOUR] });
    const broken = candidate("broken", { status: "unusable", problem: "unauthorized" });
    const r = rankProfiles([limited, broken, late, soon], [], T0, "expiry-first");
    expect(ids(r)).toEqual(["soon", "late", "limited"]);
    expect(r.dropped.map((p) => p.id)).toEqual(["broken"]);
  });
});

describe("expiry-first hysteresis: a band, so the first place does not flap", () => {
  const decide = (current: string[], list: ReturnType<typeof candidate>[]) =>
    decideOrder(current, rankProfiles(list, current, T0, "expiry-first"), DEFAULT_HYSTERESIS, "expiry-first");

  it("moves to an account whose quota lapses clearly sooner, not to one a few hours sooner", () => {
    const first = candidate("first", { five: [90, HOUR], weekly: [90, 5 * DAY] });
    expect(decide(["first", "soon"], [first, candidate("soon", { weekly: [60, DAY] })]).action).toBe("switch-first");
    expect(decide(["first", "close"], [first, candidate("close", { weekly: [60, 5 * DAY - 2 * HOUR] })]).action).toBe(
      "keep",
    );
  });

  it("takes over only with the room margin plus the margin points, and leaves a first under the room margin", () => {
    const first = candidate("first", { five: [90, HOUR], weekly: [90, 5 * DAY] });
    const thin = candidate("thin", { five: [30, 4 * HOUR], weekly: [60, DAY] });
    expect(decide(["first", "thin"], [first, thin]).action).toBe("keep");
    const low = candidate("low", { five: [10, 4 * HOUR], weekly: [60, DAY] });
    const roomy = candidate("roomy", { five: [90, HOUR], weekly: [70, 3 * DAY] });
    expect(decide(["low", "roomy"], [low, roomy])).toMatchObject({
      action: "switch-first",
      proposed: ["roomy", "low"],
    });
  });

  it("keeps a low first whose limit comes back within half an hour: OpenClaw's failover covers the gap", () => {
    const low = candidate("low", { five: [10, 20 * 60_000], weekly: [60, DAY] });
    const roomy = candidate("roomy", { five: [90, HOUR], weekly: [70, 3 * DAY] });
    expect(decide(["low", "roomy"], [low, roomy]).action).toBe("keep");
    // Used up, back in 20 minutes: the same.
    const spent = candidate("spent", { status: "limited", five: [0, 20 * 60_000], weekly: [60, DAY] });
    expect(decide(["spent", "roomy"], [spent, roomy]).action).toBe("keep");
  });

  it("the gap is counted from when the first runs dry: back within half an hour of that keeps it", () => {
    const roomy = candidate("roomy", { five: [90, HOUR], weekly: [70, 3 * DAY] });
    const drying = (backInMin: number) =>
      candidate("drying", {
        five: [10, backInMin * 60_000],
        weekly: [60, DAY],
        runsDry: true,
        dryInMs: 15 * 60_000,
      });
    expect(decide(["drying", "roomy"], [drying(45), roomy]).action).toBe("keep");
    expect(decide(["drying", "roomy"], [drying(46), roomy]).action).toBe("switch-first");
  });

  it("a limited first has run dry already: back in hours, it leaves, whatever its pace had left it", () => {
    const roomy = candidate("roomy", { five: [90, HOUR], weekly: [70, 3 * DAY] });
    const blocked = (backInMs: number) =>
      candidate("blocked", {
        status: "limited",
        five: [70, 3 * HOUR],
        weekly: [1, backInMs],
        runsDry: true,
        dryInMs: 10 * HOUR,
      });
    expect(decide(["blocked", "roomy"], [blocked(10 * HOUR), roomy])).toMatchObject({
      action: "switch-first",
      proposed: ["roomy", "blocked"],
    });
    expect(decide(["blocked", "roomy"], [blocked(20 * 60_000), roomy]).action).toBe("keep");
  });

  it("a first under the room margin yields to the best-ranked account with the room to take over", () => {
    const low = candidate("low", { five: [90, HOUR], weekly: [5, 5 * DAY] });
    const thin = candidate("thin", { five: [90, HOUR], weekly: [25, DAY] });
    const roomy = candidate("roomy", { five: [90, HOUR], weekly: [90, 6 * DAY] });
    const decision = decide(["low", "thin", "roomy"], [low, thin, roomy]);
    expect(decision).toMatchObject({ action: "switch-first", proposed: ["roomy", "thin", "low"] });
    expect(decision.why).toMatch(/low`? is under 20% and `?roomy`? has 90%/);
    // Next time round the band holds: the thin one that ranks first does not take over.
    expect(decide(["roomy", "thin", "low"], [low, thin, roomy]).action).toBe("keep");
  });

  it("never hands the first place to an account about to run dry, however soon its quota lapses", () => {
    const low = candidate("low", { five: [10, 4 * HOUR], weekly: [60, DAY] });
    const drying = candidate("drying", {
      five: [90, HOUR],
      weekly: [70, 3 * DAY],
      runsDry: true,
      dryInMs: 10 * 60_000,
    });
    expect(decide(["low", "drying"], [low, drying]).action).toBe("keep");
  });
});
