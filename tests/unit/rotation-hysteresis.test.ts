import { describe, expect, it } from "vitest";
import { DEFAULT_HYSTERESIS, type DecisionAction, decideOrder, idealOrder } from "../../src/rotation/hysteresis.ts";
import { rankProfiles } from "../../src/rotation/rank.ts";
import type { RotationCandidate } from "../../src/rotation/types.ts";
import { type CandidateSpec, candidate, HOUR, T0 } from "../support/rotation-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

type Row = {
  name: string;
  current: string[];
  profiles: Array<[string, CandidateSpec]>;
  action: DecisionAction;
  proposed: string[];
};

const rows: Row[] = [
  {
    name: "near-equal accounts do not flap",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [60, HOUR] }],
      ["b", { five: [70, HOUR] }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "just under the margin keeps the first",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [60, HOUR] }],
      ["b", { five: [74, HOUR] }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "a clearly better candidate takes the first place",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [60, HOUR] }],
      ["b", { five: [75, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "a limited first profile is replaced by a usable one",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [0, HOUR] }],
      ["b", { five: [5, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "an unusable first profile leaves the order",
    current: ["a", "b", "c"],
    profiles: [
      ["a", { status: "unusable" }],
      ["b", { five: [30, HOUR] }],
      ["c", { five: [40, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["c", "b"],
  },
  {
    name: "a first profile about to run dry loses to one that won't",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [10, HOUR], runsDry: true, dryInMs: 15 * 60_000 }],
      ["b", { five: [15, HOUR], runsDry: false }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "running dry at the imminence bound exactly (20 minutes) is about to run dry",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [10, HOUR], runsDry: true, dryInMs: 20 * 60_000 }],
      ["b", { five: [15, HOUR], runsDry: false }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "a first about to run dry keeps its place when the best would run dry too",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [10, HOUR], runsDry: true, dryInMs: 15 * 60_000 }],
      ["b", { five: [15, HOUR], runsDry: true, dryInMs: 2 * HOUR }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "more headroom does not hand the first place to one that runs dry as well",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [50, HOUR], runsDry: true, dryInMs: 3 * HOUR }],
      ["b", { five: [80, HOUR], runsDry: true, dryInMs: 4 * HOUR }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "a first without a known headroom yields to a known one, however little it has",
    current: ["a", "b"],
    profiles: [
      ["a", { five: null, weekly: null }],
      ["b", { five: [10, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "running dry hours ahead is not enough to switch (no flapping while each burns in turn)",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [70, HOUR], runsDry: true, dryInMs: 3 * HOUR }],
      ["b", { five: [65, HOUR], runsDry: false }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "all limited: only a clearly sooner comeback switches",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [0, 2 * HOUR] }],
      ["b", { five: [0, 1.8 * HOUR] }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "all limited: a much sooner comeback switches",
    current: ["a", "b"],
    profiles: [
      ["a", { five: [0, 3 * HOUR] }],
      ["b", { five: [0, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
  {
    name: "the first stays while a limited profile ahead of a usable one in the tail is repaired",
    current: ["a", "b", "c"],
    profiles: [
      ["a", { five: [50, HOUR] }],
      ["b", { five: [0, HOUR] }],
      ["c", { five: [55, HOUR] }],
    ],
    action: "reorder",
    proposed: ["a", "c", "b"],
  },
  {
    name: "a near-equal tail is left alone",
    current: ["a", "b", "c"],
    profiles: [
      ["a", { five: [50, HOUR] }],
      ["b", { five: [40, HOUR] }],
      ["c", { five: [55, HOUR] }],
    ],
    action: "keep",
    proposed: ["a", "b", "c"],
  },
  {
    name: "an unusable profile in the tail is dropped",
    current: ["a", "b", "c"],
    profiles: [
      ["a", { five: [50, HOUR] }],
      ["b", { status: "unusable" }],
      ["c", { five: [55, HOUR] }],
    ],
    action: "reorder",
    proposed: ["a", "c"],
  },
  {
    name: "a candidate missing from the order (a parked profile now usable) comes back",
    current: ["a"],
    profiles: [
      ["a", { five: [50, HOUR] }],
      ["b", { five: [55, HOUR] }],
    ],
    action: "reorder",
    proposed: ["a", "b"],
  },
  {
    name: "ids that are not ranked (an API-key backup) stay, after the Codex profiles",
    current: ["openai:key", "a", "b"],
    profiles: [
      ["a", { five: [0, HOUR] }],
      ["b", { five: [50, HOUR] }],
    ],
    action: "reorder",
    proposed: ["openai:key", "b", "a"],
  },
  {
    name: "nothing usable or limited: the order is left alone",
    current: ["a", "b"],
    profiles: [
      ["a", { status: "unusable" }],
      ["b", { status: "unusable" }],
    ],
    action: "keep",
    proposed: ["a", "b"],
  },
  {
    name: "no current order: the ranking is proposed",
    current: [],
    profiles: [
      ["a", { five: [10, HOUR] }],
      ["b", { five: [50, HOUR] }],
    ],
    action: "switch-first",
    proposed: ["b", "a"],
  },
];

describe("decideOrder, headroom policy", () => {
  it.each(rows)("$name", ({ current, profiles, action, proposed }) => {
    const ranking = rankProfiles(
      profiles.map(([id, spec]) => candidate(id, spec)),
      current,
      T0,
      "headroom",
    );
    const decision = decideOrder(current, ranking, DEFAULT_HYSTERESIS, "headroom");
    expect(decision.action).toBe(action);
    expect(decision.proposed).toEqual(proposed);
    expect(decision.why.length).toBeGreaterThan(0);
  });

  it("an idle first whose renewal is pending keeps its place under either policy; a backup one stays behind", () => {
    const idle = candidate("idle", { renewalPending: true });
    const known = candidate("known", { five: [60, HOUR], weekly: [50, 3 * 24 * HOUR] });
    const limited = candidate("limited", { status: "limited", five: [0, HOUR] });
    for (const policy of ["headroom", "expiry-first"] as const) {
      const decide = (current: string[], candidates: RotationCandidate[]) =>
        decideOrder(current, rankProfiles(candidates, current, T0, policy), DEFAULT_HYSTERESIS, policy);
      const first = decide(["idle", "known"], [idle, known]);
      expect(first, policy).toMatchObject({ action: "keep", proposed: ["idle", "known"] });
      expect(first.why).toMatch(/^`?idle`? stays first: OpenClaw renews its token on its next use/);
      // The rest of the order is still repaired around it.
      expect(decide(["idle", "limited", "known"], [idle, known, limited])).toMatchObject({
        action: "reorder",
        proposed: ["idle", "known", "limited"],
      });
      const backup = decide(["known", "idle"], [idle, known]);
      expect(backup, policy).toMatchObject({ action: "keep", proposed: ["known", "idle"] });
    }
  });

  it("all limited: one that goes on with credits takes over, unless the first is back within the margin", () => {
    const credits = candidate("credits", { body: SHAPE_BODIES.credits_continue(T0) });
    const decide = (backInMs: number) => {
      const first = candidate("first", { status: "limited", five: [0, backInMs] });
      return decideOrder(["first", "credits"], rankProfiles([first, credits], ["first", "credits"], T0, "headroom"));
    };
    expect(decide(4 * HOUR)).toMatchObject({ action: "switch-first", proposed: ["credits", "first"] });
    expect(decide(20 * 60_000).action).toBe("keep");
  });

  it("the margin is configurable", () => {
    const ranking = rankProfiles(
      [candidate("a", { five: [60, HOUR] }), candidate("b", { five: [65, HOUR] })],
      ["a", "b"],
      T0,
      "headroom",
    );
    expect(
      decideOrder(
        ["a", "b"],
        ranking,
        { ...DEFAULT_HYSTERESIS, marginPoints: 5, limitedMarginMs: 0, imminentMs: 0 },
        "headroom",
      ).action,
    ).toBe("switch-first");
    expect(
      decideOrder(
        ["a", "b"],
        ranking,
        { ...DEFAULT_HYSTERESIS, marginPoints: 6, limitedMarginMs: 0, imminentMs: 0 },
        "headroom",
      ).action,
    ).toBe("keep");
  });

  it("never proposes an unusable profile and never loses a usable one", () => {
    const ranking = rankProfiles(
      [candidate("a", { status: "unusable" }), candidate("b", { five: [0, HOUR] }), candidate("c")],
      ["a", "b", "c"],
      T0,
      "headroom",
    );
    const ideal = idealOrder(["a", "b", "c"], ranking);
    expect(ideal).toEqual(["c", "b"]);
  });
});
