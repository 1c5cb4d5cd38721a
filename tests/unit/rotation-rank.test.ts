import { describe, expect, it } from "vitest";
import { rankProfiles } from "../../src/rotation/rank.ts";
import { type CandidateSpec, candidate, HOUR, MIN, T0 } from "../support/rotation-builders.ts";

type Row = {
  name: string;
  profiles: Array<[string, CandidateSpec]>;
  current?: string[];
  ranked: string[];
  dropped?: string[];
};

const rows: Row[] = [
  {
    name: "usable by the smaller of 5h and weekly left",
    profiles: [
      ["a", { five: [90, HOUR], weekly: [20, 2 * 24 * HOUR] }],
      ["b", { five: [50, HOUR], weekly: [60, 2 * 24 * HOUR] }],
      ["c", { five: [70, HOUR], weekly: [95, 2 * 24 * HOUR] }],
    ],
    ranked: ["c", "b", "a"],
  },
  {
    name: "a missing window does not count against",
    profiles: [
      ["a", { five: null, weekly: [70, 24 * HOUR] }],
      ["b", { five: [60, HOUR], weekly: [90, 24 * HOUR] }],
      ["c", { five: null, weekly: null }],
    ],
    ranked: ["c", "a", "b"],
  },
  {
    name: "a sooner weekly reset breaks ties",
    profiles: [
      ["a", { five: [50, HOUR], weekly: [80, 5 * 24 * HOUR] }],
      ["b", { five: [50, HOUR], weekly: [80, 24 * HOUR] }],
    ],
    ranked: ["b", "a"],
  },
  {
    name: "full ties keep the current order",
    profiles: [
      ["a", {}],
      ["b", {}],
      ["c", {}],
    ],
    current: ["c", "a", "b"],
    ranked: ["c", "a", "b"],
  },
  {
    name: "limited behind usable, ordered by when they come back",
    profiles: [
      ["a", { five: [0, 3 * HOUR] }],
      ["b", { five: [0, HOUR] }],
      ["c", { five: [5, HOUR] }],
      ["d", { status: "limited", five: [10, HOUR], weekly: [0, 2 * HOUR] }],
    ],
    ranked: ["c", "b", "d", "a"],
  },
  {
    name: "an expired window counts as fully available again",
    profiles: [
      ["a", { status: "limited", five: [0, -5 * MIN], weekly: [40, 24 * HOUR] }],
      ["b", { five: [30, HOUR] }],
    ],
    ranked: ["a", "b"],
  },
  {
    name: "an OpenClaw cooldown makes a profile limited until it ends",
    profiles: [
      ["a", { five: [95, HOUR], blockedForMs: 20 * MIN }],
      ["b", { five: [10, HOUR] }],
      ["c", { five: [0, 10 * MIN] }],
    ],
    ranked: ["b", "c", "a"],
  },
  {
    name: "unusable profiles drop out of the ranking",
    profiles: [
      ["a", { status: "unusable", problem: "account_deactivated", five: null, weekly: null }],
      ["b", {}],
      ["c", { status: "unusable", problem: "missing_access_token" }],
    ],
    ranked: ["b"],
    dropped: ["a", "c"],
  },
  {
    name: "one that runs dry before its reset ranks below one that won't",
    profiles: [
      ["a", { five: [90, HOUR], runsDry: true }],
      ["b", { five: [40, HOUR], runsDry: false }],
      ["c", { five: [20, HOUR] }],
    ],
    ranked: ["b", "c", "a"],
  },
];

describe("rankProfiles", () => {
  it.each(rows)("$name", ({ profiles, current, ranked, dropped }) => {
    const result = rankProfiles(
      profiles.map(([id, spec]) => candidate(id, spec)),
      current ?? [],
      T0,
    );
    expect(result.ranked.map((p) => p.id)).toEqual(ranked);
    expect(result.dropped.map((p) => p.id)).toEqual(dropped ?? []);
  });

  it("explains every standing in its reason", () => {
    const r = rankProfiles(
      [
        candidate("work", { five: [62, HOUR], weekly: [80, 3 * 24 * HOUR] }),
        candidate("home", { five: [0, 80 * MIN] }),
        candidate("old", { status: "unusable", problem: "account_deactivated" }),
      ],
      [],
      T0,
    );
    expect(r.ranked[0]).toMatchObject({ id: "work", standing: "usable", headroom: 62 });
    expect(r.ranked[0]?.reason).toBe("usable: 62% headroom (5h 62%, weekly 80%), weekly resets in 3d");
    expect(r.ranked[1]).toMatchObject({ id: "home", standing: "limited", back_at_ms: T0 + 80 * MIN });
    expect(r.ranked[1]?.reason).toBe("limited: 5h used up, back in 1h 20m");
    expect(r.dropped[0]?.reason).toBe("unusable (account_deactivated): left out of the order, not deleted");
  });
});
