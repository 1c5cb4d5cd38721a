import { describe, expect, it } from "vitest";
import { poolChart, poolSentence } from "../../src/format/pool-line.ts";
import { poolJson } from "../../src/format/usage-report.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import { poolParts, poolRunway } from "../../src/usage/forecast.ts";
import type { LimitForecast, ProfileUsage } from "../../src/usage/types.ts";
import { NOW, renewalPendingReport, sampleReport, usageFromBody, win } from "../support/usage-report-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

const HOUR = 3_600_000;
const limit = (kind: LimitForecast["kind"], left: number, burn: number | null, resetInH: number): LimitForecast => ({
  key: `main:${kind}`,
  kind,
  windowSeconds: kind === "five_hour" ? 18_000 : 604_800,
  leftPercent: left,
  burnPercentPerHour: burn,
  exhaustsAtMs: null,
  resetAtMs: NOW + resetInH * HOUR,
  runsDryBeforeReset: false,
  basis: "burn-rate",
});
/** "unusable": a deactivated account; "unread": one whose usage could not be read this time (a timeout). */
const account = (
  label: string,
  limits: LimitForecast[],
  status: ProfileUsage["status"] | "unread" = "ok",
): ProfileUsage => ({
  ...sampleReport(label, { h5: win(10, 3600), wk: win(50, 86_400, 604_800) }),
  status: status === "unread" ? "unusable" : status,
  ...(status === "ok" || status === "limited"
    ? {}
    : { error: makeUsageError(status === "unread" ? "timeout" : "account_deactivated"), reading: null }),
  forecast: { profileId: `openai:${label}`, limits, runsDryBeforeReset: false },
});

describe("the pool's runway", () => {
  it("spends every account's long limit at the summed pace, against the soonest reset", () => {
    const r = poolRunway(
      [
        account("a", [limit("five_hour", 5, 90, 1), limit("weekly", 20, 2, 52)]),
        account("b", [limit("weekly", 40, 3, 100)]),
      ],
      NOW,
    );
    // 60 % left at 5 %/h: 12 h; the first weekly reset is in 52 h: 40 h short.
    expect(r).toMatchObject({ accounts: 2, leftPercent: 60, burnPercentPerHour: 5, runsOutAtMs: NOW + 12 * HOUR });
    expect(r?.nextResetAtMs).toBe(NOW + 52 * HOUR);
    expect(r?.shortByMs).toBe(40 * HOUR);
    expect(poolSentence(r!, NOW)).toBe(
      "The pool lasts ~12h at this pace; the next reset is in 2d 4h: about 1d 16h short.",
    );
    expect(poolJson(r!)).toMatchObject({ left_percent: 60, short_by_hours: 40 });
  });

  it("says enough when the pool outlasts the next reset, and leaves unusable accounts out", () => {
    const r = poolRunway(
      [account("a", [limit("weekly", 80, 1, 10)]), account("gone", [limit("weekly", 100, 0, 5)], "unusable")],
      NOW,
    );
    expect(r).toMatchObject({ accounts: 1, shortByMs: 0, nextResetAtMs: NOW + 10 * HOUR });
    expect(poolSentence(r!, NOW)).toBe(
      "The pool lasts ~3d 8h at this pace; the next reset is in 10h: enough until then.",
    );
  });

  it("an account whose usage could not be read this time is counted from its last readings, not dropped", () => {
    const a = account("a", [limit("weekly", 60, 2, 96)]);
    const idle = (label: string, status: "ok" | "unread") => account(label, [limit("weekly", 100, 0, 96)], status);
    const read = poolRunway([a, idle("b", "ok"), idle("c", "ok")], NOW);
    const oneUnread = poolRunway([a, idle("b", "ok"), idle("c", "unread")], NOW);
    expect(oneUnread).toEqual(read);
    expect(oneUnread).toMatchObject({ accounts: 3, leftPercent: 260, shortByMs: 0 });
  });

  it("counts each account's longest window (or spend pool), never a short one of another length", () => {
    const other = (seconds: number, left: number, burn: number, resetInH: number): LimitForecast => ({
      ...limit("weekly", left, burn, resetInH),
      key: `main:other:${seconds}`,
      kind: seconds === 86_400 ? "daily" : "other",
      windowSeconds: seconds,
    });
    const r = poolRunway(
      [
        account("m90", [other(5400, 5, 60, 1), limit("weekly", 50, 1, 100)]),
        account("day", [other(86_400, 10, 5, 6), limit("weekly", 30, 1, 80)]),
        account("h36", [other(129_600, 20, 2, 20), limit("weekly", 20, 3, 60)]),
        account("spend", [{ ...limit("weekly", 40, 1, 200), key: "main:spend", kind: null, windowSeconds: null }]),
      ],
      NOW,
    );
    // 50 + 30 + 20 + 40 = 140 % at 1 + 1 + 3 + 1 = 6 %/h; the first weekly reset is in 60 h, not the 90-minute one.
    expect(r).toMatchObject({ accounts: 4, leftPercent: 140, burnPercentPerHour: 6, nextResetAtMs: NOW + 60 * HOUR });
    expect(r?.shortByMs).toBe(60 * HOUR - (140 / 6) * HOUR);
  });

  it("an account with a spend pool beside its week counts the one with less left, at its pace", () => {
    const spend = (left: number, burn: number): LimitForecast => ({
      ...limit("weekly", left, burn, 200),
      key: "main:spend",
      kind: null,
      windowSeconds: null,
    });
    const r = poolRunway(
      [
        account("tight-week", [limit("weekly", 20, 2, 50), spend(60, 1)]),
        account("tight-pool", [limit("weekly", 70, 1, 40), spend(10, 3)]),
      ],
      NOW,
    );
    expect(r).toMatchObject({ accounts: 2, leftPercent: 30, burnPercentPerHour: 5, nextResetAtMs: NOW + 50 * HOUR });
  });

  it("leaves out an account blocked with no known return: no reset brings its room back", () => {
    const blocked = (shape: "workspace_credits_depleted" | "five_hour_spent_spend_reached"): ProfileUsage => ({
      ...usageFromBody(shape, SHAPE_BODIES[shape](NOW)),
      forecast: { profileId: shape, limits: [limit("weekly", 80, 0, 30)], runsDryBeforeReset: false },
    });
    const r = poolRunway(
      [
        account("a", [limit("weekly", 20, 10, 60)]),
        blocked("workspace_credits_depleted"),
        blocked("five_hour_spent_spend_reached"),
      ],
      NOW,
    );
    // Only a's 20 % at 10 %/h: dry in 2 h, 58 h before its reset (the blocked ones' 30 h reset brings nothing).
    expect(r).toMatchObject({ accounts: 1, leftPercent: 20, nextResetAtMs: NOW + 60 * HOUR, shortByMs: 58 * HOUR });
  });

  it("the next reset is one still to come: a long limit that has reset since brings none", () => {
    const r = poolRunway(
      [account("a", [limit("weekly", 100, null, -2)]), account("b", [limit("weekly", 40, 4, 20)])],
      NOW,
    );
    expect(r).toMatchObject({ accounts: 2, leftPercent: 140, nextResetAtMs: NOW + 20 * HOUR, shortByMs: 0 });
  });

  it("names usable accounts it cannot count: an idle backup never read, renewed by OpenClaw on its next use", () => {
    const backup = { ...renewalPendingReport("backup"), forecast: null };
    const r = poolRunway([account("a", [limit("weekly", 20, 10, 60)]), backup], NOW);
    expect(r).toMatchObject({ accounts: 1, leftPercent: 20, notCounted: ["backup"] });
    expect(poolSentence(r!, NOW)).toMatch(/about 2d 10h short\. Not counted: `backup` \(no reading yet\)\.$/);
    expect(poolJson(r!).not_counted).toEqual(["backup"]);
    // Read before (its history holds a long limit): counted; unusable or blocked for good: left out, not named.
    const full = poolRunway([account("a", [limit("weekly", 20, 10, 60)])], NOW);
    expect(full?.notCounted).toEqual([]);
    expect(poolSentence(full!, NOW)).not.toContain("Not counted");
  });

  it("names a usable account read with no long limit to count (a 5-hour window only, or one of unknown length)", () => {
    const r = poolRunway(
      [account("a", [limit("weekly", 20, 10, 60)]), account("short", [limit("five_hour", 60, 20, 2)])],
      NOW,
    );
    expect(r).toMatchObject({ accounts: 1, notCounted: [], withoutLongLimit: ["short"] });
    expect(poolSentence(r!, NOW)).toMatch(/Not counted: `short` \(no weekly, monthly or spend limit read\)\.$/);
    expect(poolJson(r!).not_counted).toEqual(["short"]);
  });

  it("is null before any long limit has a pace", () => {
    expect(poolRunway([account("a", [limit("weekly", 80, null, 10)])], NOW)).toBeNull();
    expect(poolRunway([account("a", [limit("five_hour", 80, 10, 1)])], NOW)).toBeNull();
  });
});

describe("the pool as a chart block", () => {
  it("one bar per usable account with a long limit: its least left, in percent", () => {
    const chart = poolChart(
      poolParts([
        account("a", [limit("five_hour", 5, 90, 1), limit("weekly", 20.4, 2, 52)]),
        account("b", [limit("weekly", 40, 3, 100)]),
        account("c", [limit("weekly", 90, 1, 10)], "unusable"),
        account("d", [limit("five_hour", 50, 1, 2)]),
      ]),
    );
    expect(chart).toEqual({
      title: "Codex pool: long limit left per account",
      categories: ["a", "b"],
      series: [{ name: "left", values: [20, 40] }],
      yLabel: "%",
    });
  });
  it("labels fit 20 characters and stay unique; nothing to draw, or more than 20 bars, is null", () => {
    const weekly = [limit("weekly", 30, 1, 5)];
    const chart = poolChart(
      poolParts([
        account("a", weekly),
        account("a", weekly),
        account("someone.long@example.com", weekly),
        account("someone.long@example.org", weekly),
      ]),
    );
    expect(chart?.categories).toEqual(["a", "a#2", "someone.long@exampl…", "someone.long@exa…#4"]);
    for (const c of chart?.categories ?? []) expect(Array.from(c).length).toBeLessThanOrEqual(20);
    expect(poolChart(poolParts([account("a", [])]))).toBeNull();
    expect(poolChart(poolParts(Array.from({ length: 21 }, (_, i) => account(`p${i}`, weekly))))).toBeNull();
  });
});
