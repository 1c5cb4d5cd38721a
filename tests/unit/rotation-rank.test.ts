import { describe, expect, it } from "vitest";
import { candidateFrom } from "../../src/rotation/candidates.ts";
import { DEFAULT_HYSTERESIS, decideOrder } from "../../src/rotation/hysteresis.ts";
import { rankProfiles } from "../../src/rotation/rank.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import { type CandidateSpec, candidate, HOUR, MIN, T0 } from "../support/rotation-builders.ts";
import { errorReport, usageFromBody } from "../support/usage-report-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

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
    name: "a limited account that goes on with credits leads the limited ones (not in cooldown), never a usable one",
    profiles: [
      ["soon", { status: "limited", five: [0, HOUR], weekly: [50, 2 * 24 * HOUR] }],
      ["cooling", { body: SHAPE_BODIES.credits_continue(T0), blockedForMs: 3 * HOUR }],
      ["credits", { body: SHAPE_BODIES.credits_continue(T0) }],
      ["ok", { five: [30, HOUR], weekly: [40, 2 * 24 * HOUR] }],
    ],
    ranked: ["ok", "credits", "soon", "cooling"],
  },
  {
    name: "a missing window does not count against",
    profiles: [
      ["a", { five: null, weekly: [70, 24 * HOUR] }],
      ["b", { five: [60, HOUR], weekly: [90, 24 * HOUR] }],
    ],
    ranked: ["a", "b"],
  },
  {
    name: "an answer without any limit ranks after every known headroom, never first",
    profiles: [
      ["c", { five: null, weekly: null }],
      ["a", { five: null, weekly: [70, 24 * HOUR] }],
      ["b", { five: [5, HOUR], weekly: [90, 24 * HOUR] }],
    ],
    current: ["c", "a", "b"],
    ranked: ["a", "b", "c"],
  },
  {
    name: "a spent Business pool and a nearly spent monthly window never rank ahead of a usable account",
    profiles: [
      ["pool", { body: SHAPE_BODIES.business_spend_spent(T0) }],
      ["month", { body: SHAPE_BODIES.team_monthly(T0) }],
      ["plus", { five: [40, HOUR], weekly: [60, 2 * 24 * HOUR] }],
    ],
    current: ["pool", "month", "plus"],
    ranked: ["plus", "month", "pool"],
  },
  {
    name: "every window kind and the spend pool count: the binding one decides",
    profiles: [
      ["daily", { body: SHAPE_BODIES.daily_window(T0) }],
      ["pool", { body: SHAPE_BODIES.business_spend_ok(T0) }],
      ["weekly", { body: SHAPE_BODIES.plus_weekly_only(T0) }],
    ],
    ranked: ["pool", "weekly", "daily"],
  },
  {
    name: "an idle account with a lapsed access token keeps its place, behind known headroom, never dropped",
    profiles: [
      ["idle", { renewalPending: true }],
      ["work", { five: [30, HOUR] }],
      ["spent", { five: [0, HOUR] }],
    ],
    current: ["idle", "work", "spent"],
    ranked: ["work", "idle", "spent"],
  },
  {
    name: "a workspace out of credits is limited with an unknown return, after limited ones that come back",
    profiles: [
      ["ws", { body: SHAPE_BODIES.workspace_credits_depleted(T0) }],
      ["soon", { five: [0, HOUR] }],
      ["ok", {}],
    ],
    ranked: ["ok", "soon", "ws"],
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
  {
    name: "a cooldown that ends at this very moment holds nothing back",
    profiles: [
      ["ending", { five: [90, HOUR], blockedForMs: 0 }],
      ["b", { five: [50, HOUR] }],
    ],
    ranked: ["ending", "b"],
  },
];

describe("rankProfiles, headroom policy", () => {
  it.each(rows)("$name", ({ profiles, current, ranked, dropped }) => {
    const result = rankProfiles(
      profiles.map(([id, spec]) => candidate(id, spec)),
      current ?? [],
      T0,
      "headroom",
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
      "headroom",
    );
    expect(r.ranked[0]).toMatchObject({ id: "work", standing: "usable", headroom: 62 });
    expect(r.ranked[0]?.reason).toBe("usable: 62% headroom (5h 62%, weekly 80%), weekly resets in 3d");
    expect(r.ranked[1]).toMatchObject({ id: "home", standing: "limited", back_at_ms: T0 + 80 * MIN });
    expect(r.ranked[1]?.reason).toBe("limited: 5h used up, back in 1h 20m");
    expect(r.dropped[0]?.reason).toBe("unusable (account_deactivated): left out of the order, not deleted");
  });

  it("explains the other shapes in their own words", () => {
    const r = rankProfiles(
      [
        candidate("month", { body: SHAPE_BODIES.team_monthly(T0) }),
        candidate("pool", { body: SHAPE_BODIES.business_spend_spent(T0) }),
        candidate("ws", { body: SHAPE_BODIES.workspace_credits_depleted(T0) }),
        candidate("idle", { renewalPending: true }),
        candidate("none", { body: { plan_type: "business", rate_limit: null } }),
      ],
      [],
      T0,
      "headroom",
    );
    const reasons = Object.fromEntries(r.ranked.map((p) => [p.id, p.reason]));
    expect(reasons).toEqual({
      month: "usable: 3% headroom (monthly 3%), monthly resets in 12d 3h",
      idle: "renewal pending: OpenClaw renews its token on its next use; kept in the order, behind known headroom",
      none: "usable: no limit reported, ranked after known headroom",
      pool: "limited: monthly spend used up, back in 12d 3h",
      ws: "limited: workspace out of credits, back time unknown",
    });
    expect(r.ranked.map((p) => p.id)).toEqual(["month", "idle", "none", "pool", "ws"]);
    expect(r.dropped).toEqual([]);
  });

  it("a renewal-pending profile whose last reading had a limit used up is limited until that limit resets", () => {
    const spentWeek = {
      ...candidate("idle", { renewalPending: true }),
      forecast: {
        profileId: "idle",
        runsDryBeforeReset: true,
        limits: [
          {
            key: "main:weekly",
            kind: "weekly" as const,
            windowSeconds: 604_800,
            leftPercent: 0,
            burnPercentPerHour: null,
            exhaustsAtMs: T0 - 30 * MIN,
            resetAtMs: T0 + 3 * 24 * HOUR,
            runsDryBeforeReset: true,
            basis: "exhausted" as const,
          },
        ],
      },
    };
    const soon = candidate("soon", { five: [0, 40 * MIN], status: "limited" });
    const r = rankProfiles([spentWeek, soon], [], T0, "headroom");
    expect(r.ranked.map((p) => [p.id, p.standing, p.back_at_ms])).toEqual([
      ["soon", "limited", T0 + 40 * MIN],
      ["idle", "limited", T0 + 3 * 24 * HOUR],
    ]);
    expect(r.ranked[1]?.reason).toBe("limited: weekly used up at its last reading (renewal pending), back in 3d");
  });

  it("a usage read that failed keeps the profile in the order; only a dead login or account leaves it", () => {
    const from = (label: string, code: Parameters<typeof makeUsageError>[0]) =>
      candidateFrom(errorReport(label, makeUsageError(code)));
    const r = rankProfiles(
      [
        candidate("openai:work", { five: [62, HOUR] }),
        from("busy", "server_error"),
        from("slow", "timeout"),
        from("gone", "auth_not_accepted_by_usage_endpoint"),
        from("old", "account_deactivated"),
      ],
      ["openai:slow", "openai:work", "openai:busy", "openai:gone", "openai:old"],
      T0,
      "headroom",
    );
    expect(r.ranked.map((p) => p.id)).toEqual(["openai:work", "openai:slow", "openai:busy"]);
    expect(r.ranked[1]?.reason).toBe("usage not read this time (timeout): kept in the order, behind known headroom");
    expect(r.dropped.map((p) => p.id)).toEqual(["openai:gone", "openai:old"]);
  });

  it("a pace that lasts to the reset is no 'runs dry', however soon its projection ends", () => {
    const lasts = candidate("lasts", { five: [50, HOUR], runsDry: false });
    const limit = lasts.forecast!.limits[0]!;
    // Out in 5 h at this pace, but the window resets in 1 h first.
    lasts.forecast = { ...lasts.forecast!, limits: [{ ...limit, exhaustsAtMs: T0 + 5 * HOUR, resetAtMs: T0 + HOUR }] };
    const [ranked] = rankProfiles([lasts], [], T0).ranked;
    expect(ranked).toMatchObject({ runs_dry: false, dry_in_ms: null });
    expect(ranked?.reason).not.toContain("runs dry");
  });

  it("a spent window beside a spend control reached without a pool names both, back when unknown", () => {
    const r = rankProfiles([candidate("biz", { body: SHAPE_BODIES.five_hour_spent_spend_reached(T0) })], [], T0);
    expect(r.ranked[0]?.reason).toBe("limited: 5h used up and spend limit reached, back time unknown");
  });

  it("an OpenClaw cooldown on one model (Spark's limit) does not demote the account; a profile-wide one does", () => {
    const spark = (cooldownModel: string | null) =>
      candidateFrom(
        usageFromBody("spark", SHAPE_BODIES.spark_spent(T0), {
          nowMs: T0,
          fetchedAtMs: T0,
          local: { cooldownUntilMs: T0 + 2 * HOUR, cooldownReason: "rate_limit", cooldownModel },
        }),
      );
    const home = candidate("openai:home", { five: [60, HOUR], weekly: [60, 6 * 24 * HOUR] });
    const current = ["openai:spark", "openai:home"];
    const scoped = rankProfiles([spark("gpt-5.3-codex-spark"), home], current, T0);
    expect(scoped.ranked[0]).toMatchObject({ id: "openai:spark", standing: "usable", headroom: 70 });
    expect(decideOrder(current, scoped).action).toBe("keep");
    const whole = rankProfiles([spark(null), home], current, T0);
    expect(whole.ranked.map((p) => [p.id, p.standing])).toEqual([
      ["openai:home", "usable"],
      ["openai:spark", "limited"],
    ]);
  });

  it("a first whose usage was not read keeps its place under either policy, unless OpenClaw cools it down", () => {
    const unread = candidateFrom(errorReport("work", makeUsageError("rate_limited")));
    const home = candidate("openai:home", { five: [90, HOUR], weekly: [90, 20 * HOUR] });
    const current = ["openai:work", "openai:home"];
    for (const policy of ["expiry-first", "headroom"] as const) {
      const d = decideOrder(current, rankProfiles([unread, home], current, T0, policy), DEFAULT_HYSTERESIS, policy);
      expect(d).toMatchObject({
        action: "keep",
        why: "openai:work stays first: its usage could not be read this time",
      });
    }
    const cooling = candidateFrom(errorReport("work", makeUsageError("timeout"), { cooldownUntilMs: T0 + HOUR }));
    const r = rankProfiles([cooling, home], current, T0);
    expect(r.ranked.map((p) => [p.id, p.standing, p.reason])).toEqual([
      ["openai:home", "usable", expect.stringMatching(/^usable: 90% headroom/)],
      ["openai:work", "limited", "limited: in OpenClaw cooldown, back in 1h"],
    ]);
    expect(decideOrder(current, r).action).toBe("switch-first");
  });
});

describe("candidateFrom: what ranking takes from a profile's usage", () => {
  const withLocal = (cooldownUntilMs: number | null, disabledUntilMs: number | null) =>
    candidateFrom(
      usageFromBody("a", SHAPE_BODIES.spark_spent(T0), {
        nowMs: T0,
        fetchedAtMs: T0,
        local: { cooldownUntilMs, cooldownReason: cooldownUntilMs ? "rate_limit" : null, disabledUntilMs },
      }),
    ).blocked_until_ms;

  it("is held back until the later of a profile-wide cooldown and a disable, either alone", () => {
    expect(withLocal(T0 + HOUR, T0 + 3 * HOUR)).toBe(T0 + 3 * HOUR);
    expect(withLocal(T0 + 3 * HOUR, T0 + HOUR)).toBe(T0 + 3 * HOUR);
    expect(withLocal(null, T0 + 2 * HOUR)).toBe(T0 + 2 * HOUR);
    expect(withLocal(T0 + 2 * HOUR, null)).toBe(T0 + 2 * HOUR);
    expect(withLocal(null, null)).toBeNull();
  });

  it("carries the forecast recorded with the check", () => {
    const p = usageFromBody("a", SHAPE_BODIES.spark_spent(T0), { nowMs: T0, fetchedAtMs: T0 });
    const forecast = candidate("a", { runsDry: true }).forecast;
    expect(candidateFrom({ ...p, forecast }).forecast).toEqual(forecast);
    expect(candidateFrom(p).forecast).toBeNull();
  });
});
