import { describe, expect, it } from "vitest";
import { formatForecastLine } from "../../src/format/forecast-line.ts";
import { forecastFor } from "../../src/usage/forecast.ts";
import type { HistoryPoint, UsageHistory } from "../../src/usage/history.ts";
import { HOUR, MIN, T0 } from "../support/rotation-builders.ts";
import { readingOf } from "../support/usage-report-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

/** A profile whose usage history is kept under its bare id (the history here is built by hand). */
const keyed = (id: string) => ({ profileId: id, accountKey: id });

/** Readings of one profile's 5h window: [minutes before T0, used %, reset minutes after T0]. */
function fiveHourHistory(readings: Array<[agoMin: number, used: number, resetInMin: number]>): UsageHistory {
  const points: HistoryPoint[] = readings.map(([ago, used, reset]) => ({
    t: T0 - ago * MIN,
    limits: {
      "main:five_hour": {
        used_percent: used,
        reset_at_ms: T0 + reset * MIN,
        kind: "five_hour",
        window_seconds: 18_000,
      },
    },
  }));
  return { version: 2, profiles: { "openai:work": points } };
}

type Row = {
  name: string;
  readings: Array<[number, number, number]>;
  basis: string;
  runsDry: boolean;
  exhaustsInMin?: number;
  rate?: number;
};

const rows: Row[] = [
  {
    name: "steady burn that runs out before the reset",
    readings: [
      [60, 40, 130],
      [30, 50, 130],
      [0, 60, 130],
    ],
    basis: "burn-rate",
    runsDry: true,
    exhaustsInMin: 120,
    rate: 20,
  },
  {
    name: "slow burn that lasts to the reset",
    readings: [
      [60, 40, 100],
      [0, 45, 100],
    ],
    basis: "burn-rate",
    runsDry: false,
    exhaustsInMin: 660,
    rate: 5,
  },
  {
    name: "idle",
    readings: [
      [60, 40, 100],
      [0, 40, 100],
    ],
    basis: "idle",
    runsDry: false,
  },
  { name: "one reading is not enough", readings: [[0, 40, 100]], basis: "insufficient-history", runsDry: false },
  {
    name: "readings too close together",
    readings: [
      [5, 30, 100],
      [0, 40, 100],
    ],
    basis: "insufficient-history",
    runsDry: false,
  },
  // Before the reset: 90 % used resetting at T0-20m; after it a new period. The old readings must not count.
  {
    name: "a reset between readings starts a new period",
    readings: [
      [60, 80, -20],
      [30, 90, -20],
      [15, 2, 285],
      [0, 6, 285],
    ],
    basis: "burn-rate",
    runsDry: false,
    rate: 16,
  },
  // 1 % before a reset that came 10 minutes ago, then 2 → 6 %: usage never went down, yet the period is new.
  {
    name: "a new reset time starts a new period even when usage did not go down",
    readings: [
      [60, 1, -10],
      [20, 2, 290],
      [0, 6, 290],
    ],
    basis: "burn-rate",
    runsDry: false,
    rate: 12,
  },
  {
    name: "usage going down without a new reset time also starts a new period",
    readings: [
      [60, 90, 100],
      [20, 5, 100],
      [0, 10, 100],
    ],
    basis: "burn-rate",
    runsDry: false,
    rate: 15,
  },
  {
    name: "only the lookback counts (90 minutes for 5h)",
    readings: [
      [240, 0, 60],
      [60, 50, 60],
      [0, 60, 60],
    ],
    basis: "burn-rate",
    runsDry: false,
    rate: 10,
  },
  // A check every two hours: nothing inside the 90-minute lookback but the latest, so the newest reading before it.
  {
    name: "a sparse history takes its pace from the newest reading before the lookback",
    readings: [
      [120, 10, 150],
      [0, 70, 150],
    ],
    basis: "burn-rate",
    runsDry: true,
    exhaustsInMin: 60,
    rate: 30,
  },
  {
    name: "exhausted",
    readings: [
      [30, 90, 60],
      [0, 100, 60],
    ],
    basis: "exhausted",
    runsDry: true,
  },
  {
    name: "a reset at this very moment has passed",
    readings: [
      [30, 90, 0],
      [10, 100, 0],
    ],
    basis: "reset-passed",
    runsDry: false,
  },
  {
    name: "a passed reset reads as available",
    readings: [
      [30, 90, -10],
      [10, 100, -10],
    ],
    basis: "reset-passed",
    runsDry: false,
  },
];

describe("forecastFor", () => {
  it.each(rows)("$name", ({ readings, basis, runsDry, exhaustsInMin, rate }) => {
    const f = forecastFor(keyed("openai:work"), fiveHourHistory(readings), T0);
    const five = f?.limits.find((l) => l.key === "main:five_hour");
    expect(five?.basis).toBe(basis);
    expect(five?.runsDryBeforeReset).toBe(runsDry);
    expect(f?.runsDryBeforeReset).toBe(runsDry);
    if (exhaustsInMin !== undefined) expect(five?.exhaustsAtMs).toBe(T0 + exhaustsInMin * MIN);
    if (rate !== undefined) expect(five?.burnPercentPerHour).toBeCloseTo(rate, 5);
  });

  it("a profile whose token renewal is pending burns nothing, whatever pace its last readings showed", () => {
    // Burning 20 %/h until 20 hours ago, then idle until its token lapsed; the weekly-style reset is far off.
    const history = fiveHourHistory([
      [21 * 60, 10, 60],
      [20 * 60, 30, 60],
    ]);
    const burning = forecastFor(keyed("openai:work"), history, T0);
    expect(burning?.limits[0]).toMatchObject({ basis: "burn-rate", runsDryBeforeReset: true });
    const idle = forecastFor({ ...keyed("openai:work"), renewalPending: true }, history, T0);
    expect(idle?.limits[0]).toMatchObject({
      basis: "idle",
      leftPercent: 70,
      burnPercentPerHour: 0,
      exhaustsAtMs: null,
      runsDryBeforeReset: false,
    });
    expect(idle?.runsDryBeforeReset).toBe(false);
  });

  it("is null without readings and ignores readings from the future", () => {
    expect(forecastFor(keyed("openai:none"), { version: 2, profiles: {} }, T0)).toBeNull();
    const h = fiveHourHistory([[-30, 99, 100]]);
    expect(forecastFor(keyed("openai:work"), h, T0)).toBeNull();
  });

  it("a limit with an unknown reset that runs out at all runs out before it", () => {
    const points: HistoryPoint[] = [60, 0].map((minutesAgo, i) => ({
      t: T0 - minutesAgo * MIN,
      limits: {
        "main:weekly": { used_percent: 50 + i * 5, reset_at_ms: null, kind: "weekly", window_seconds: 604_800 },
      },
    }));
    const f = forecastFor(keyed("w"), { version: 2, profiles: { w: points } }, T0);
    expect(f?.limits[0]).toMatchObject({ basis: "burn-rate", exhaustsAtMs: T0 + 9 * HOUR, runsDryBeforeReset: true });
    expect(f?.runsDryBeforeReset).toBe(true);
  });

  it("an 'other' window looks back a fifth of its length: 7.2 h for 36 hours, beyond the 5-hour 90 minutes", () => {
    const points: HistoryPoint[] = [6 * 60, 0].map((minutesAgo, i) => ({
      t: T0 - minutesAgo * MIN,
      limits: {
        "main:other": {
          used_percent: 10 + i * 12,
          reset_at_ms: T0 + 20 * HOUR,
          kind: "other",
          window_seconds: 129_600,
        },
      },
    }));
    const f = forecastFor(keyed("o"), { version: 2, profiles: { o: points } }, T0);
    expect(f?.limits[0]).toMatchObject({ basis: "burn-rate", burnPercentPerHour: 2 });
  });

  it("projects the weekly window from its own, longer lookback", () => {
    const points: HistoryPoint[] = [20, 10, 0].map((hoursAgo, i) => ({
      t: T0 - hoursAgo * HOUR,
      limits: {
        "main:weekly": {
          used_percent: 50 + i * 20,
          reset_at_ms: T0 + 48 * HOUR,
          kind: "weekly",
          window_seconds: 604_800,
        },
      },
    }));
    const f = forecastFor(keyed("w"), { version: 2, profiles: { w: points } }, T0);
    expect(f?.limits).toEqual([
      {
        key: "main:weekly",
        kind: "weekly",
        windowSeconds: 604_800,
        leftPercent: 10,
        basis: "burn-rate",
        burnPercentPerHour: 2,
        runsDryBeforeReset: true,
        exhaustsAtMs: T0 + 5 * HOUR,
        resetAtMs: T0 + 48 * HOUR,
      },
    ]);
  });

  it("a long limit's single whole-percent step in a short span is no pace yet; two steps are", () => {
    const weekly = (usedThen: number): UsageHistory => ({
      version: 2,
      profiles: {
        w: [20, 0].map((minutesAgo, i) => ({
          t: T0 - minutesAgo * MIN,
          limits: {
            "main:weekly": {
              used_percent: i === 0 ? usedThen : 59,
              reset_at_ms: T0 + 72 * HOUR,
              kind: "weekly" as const,
              window_seconds: 604_800,
            },
          },
        })),
      },
    });
    // 58 → 59 % in 20 minutes reads as 3 %/h, running out in under a day: anything from 0 to 6 %/h, really.
    expect(forecastFor(keyed("w"), weekly(58), T0)?.limits[0]?.basis).toBe("insufficient-history");
    expect(forecastFor(keyed("w"), weekly(57), T0)?.limits[0]).toMatchObject({
      basis: "burn-rate",
      burnPercentPerHour: 6,
    });
  });

  it("a slow pace that still empties the limit before its reset is a pace, not idle", () => {
    // A Team month at 95 → 97 % used over 48 hours (1 % a day, under 0.05 %/h): 3 % left, resets in 18 days.
    const points: HistoryPoint[] = [48, 0].map((hoursAgo, i) => ({
      t: T0 - hoursAgo * HOUR,
      limits: {
        "main:monthly": {
          used_percent: 95 + i * 2,
          reset_at_ms: T0 + 18 * 24 * HOUR,
          kind: "monthly",
          window_seconds: 2_592_000,
        },
      },
    }));
    const f = forecastFor(keyed("t"), { version: 2, profiles: { t: points } }, T0);
    expect(f?.limits[0]).toMatchObject({ basis: "burn-rate", runsDryBeforeReset: true, exhaustsAtMs: T0 + 72 * HOUR });
    expect(formatForecastLine("t", f, T0)).toBe("t: monthly runs out in ~3d at this pace, resets in 18d");
  });

  it("covers monthly windows and the spend pool, in the order of the line", () => {
    // Over 40 hours: the month went 60 → 80 % (0.5 %/h, lasts 40 h, resets in 10 days: runs dry first);
    // the spend pool 10 → 12 % (0.05 %/h: idle).
    const points: HistoryPoint[] = [40, 0].map((hoursAgo, i) => ({
      t: T0 - hoursAgo * HOUR,
      limits: {
        "main:spend": { used_percent: 10 + i * 2, reset_at_ms: T0 + 240 * HOUR, kind: "spend", window_seconds: null },
        "main:monthly": {
          used_percent: 60 + i * 20,
          reset_at_ms: T0 + 240 * HOUR,
          kind: "monthly",
          window_seconds: 2_592_000,
        },
      },
    }));
    const f = forecastFor(keyed("m"), { version: 2, profiles: { m: points } }, T0);
    expect(f?.limits.map((l) => [l.key, l.basis, l.runsDryBeforeReset])).toEqual([
      ["main:monthly", "burn-rate", true],
      ["main:spend", "idle", false],
    ]);
    expect(f?.limits[0]?.exhaustsAtMs).toBe(T0 + 40 * HOUR);
    expect(f?.runsDryBeforeReset).toBe(true);
    expect(formatForecastLine("m", f, T0)).toBe(
      "m: monthly runs out in ~1d 16h at this pace, resets in 10d; spend pool idle, resets in 10d",
    );
  });
});

describe("a limit the answer calls reached short of 100 %", () => {
  it("is used up now, not 'runs out at this pace'", () => {
    const points: HistoryPoint[] = [70, 75, 80].map((used, i) => ({
      t: T0 - (2 - i) * 10 * MIN,
      limits: {
        "main:weekly": { used_percent: used, reset_at_ms: T0 + 72 * HOUR, kind: "weekly", window_seconds: 604_800 },
      },
    }));
    const history = { version: 2 as const, profiles: { w: points } };
    const reading = readingOf(SHAPE_BODIES.weekly_reached_under_100(T0), T0);
    const f = forecastFor({ ...keyed("w"), reading }, history, T0);
    expect(f?.limits.map((l) => [l.key, l.basis, l.leftPercent, l.exhaustsAtMs])).toEqual([
      ["main:weekly", "exhausted", 0, T0],
    ]);
    expect(formatForecastLine("w", f, T0)).toBe("w: weekly used up, resets in 3d");
    // Without the reading (or before it is reached) the pace decides.
    expect(forecastFor(keyed("w"), history, T0)?.limits[0]?.basis).toBe("burn-rate");
  });
});

describe("formatForecastLine", () => {
  it("says when a window runs out and when it resets", () => {
    const f = forecastFor(
      keyed("openai:work"),
      fiveHourHistory([
        [40, 40, 130],
        [0, 60, 130],
      ]),
      T0,
    );
    expect(formatForecastLine("work", f, T0)).toBe("work: 5h runs out in ~1h 20m at this pace, resets in 2h 10m");
  });

  it("covers every basis", () => {
    const now = T0;
    const line = (readings: Array<[number, number, number]>) =>
      formatForecastLine("w", forecastFor(keyed("openai:work"), fiveHourHistory(readings), now), now);
    expect(
      line([
        [60, 40, 100],
        [0, 45, 100],
      ]),
    ).toBe("w: 5h lasts at this pace, resets in 1h 40m");
    expect(
      line([
        [60, 40, 100],
        [0, 40, 100],
      ]),
    ).toBe("w: 5h idle, resets in 1h 40m");
    expect(line([[0, 40, 100]])).toBe("w: 5h no pace yet, resets in 1h 40m");
    expect(line([[0, 100, 100]])).toBe("w: 5h used up, resets in 1h 40m");
    expect(line([[30, 90, -10]])).toBe("w: 5h has reset");
    // Readings from 3 hours ago (the profile could not be read since): the pace ran dry in the past.
    expect(
      line([
        [200, 40, 130],
        [180, 60, 130],
      ]),
    ).toBe("w: 5h ran out ~2h 20m ago if its last pace held, resets in 2h 10m");
    expect(formatForecastLine("w", null, now)).toBe(
      "w: no forecast yet (it needs two readings at least 10 minutes apart)",
    );
  });
});
