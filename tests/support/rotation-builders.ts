import type { RotationCandidate } from "../../src/rotation/types.ts";
import type { ProfileForecast, ProfileUsage, UsageCheck } from "../../src/usage/types.ts";
import { checkOf, errorReport, readingOf, renewalPendingReport, usageFromBody } from "./usage-report-builders.ts";

export const T0 = Date.parse("2026-10-01T12:00:00Z");
export const MIN = 60_000;
export const HOUR = 3_600_000;

type WindowSpec = [left: number, resetInMs: number];

/** A raw wham/usage window with `left` percent left that resets `resetInMs` after `now`. */
const rawWindow = ([left, resetInMs]: WindowSpec, seconds: number, now: number) => ({
  used_percent: 100 - left,
  limit_window_seconds: seconds,
  reset_after_seconds: Math.round(resetInMs / 1000),
  reset_at: Math.floor((now + resetInMs) / 1000),
});

/** The wham/usage body of a 5-hour + weekly account (either window may be null); "limited" sets the flags. */
function bodyOf(five: WindowSpec | null, weekly: WindowSpec | null, limited: boolean, now: number) {
  return {
    plan_type: "plus",
    rate_limit: {
      allowed: !limited,
      limit_reached: limited,
      primary_window: five ? rawWindow(five, 18_000, now) : null,
      secondary_window: weekly ? rawWindow(weekly, 604_800, now) : null,
    },
  };
}

export interface CandidateSpec {
  five?: WindowSpec | null;
  weekly?: WindowSpec | null;
  /** Any other answer shape: replaces the 5-hour + weekly body. */
  body?: Record<string, unknown>;
  status?: RotationCandidate["status"];
  renewalPending?: boolean;
  blockedForMs?: number;
  runsDry?: boolean;
  /** With runsDry: in how many ms the 5h window runs out. */
  dryInMs?: number;
  problem?: string;
}

export function candidate(id: string, spec: CandidateSpec = {}, now = T0): RotationCandidate {
  const five = spec.five === undefined ? ([80, 3 * HOUR] as WindowSpec) : spec.five;
  const weekly = spec.weekly === undefined ? ([80, 3 * 24 * HOUR] as WindowSpec) : spec.weekly;
  const forecast: ProfileForecast | null =
    spec.runsDry === undefined
      ? null
      : {
          profileId: id,
          limits: [
            {
              key: "main:five_hour",
              kind: "five_hour",
              windowSeconds: 18_000,
              leftPercent: 50,
              burnPercentPerHour: 10,
              exhaustsAtMs: spec.runsDry ? now + (spec.dryInMs ?? 2 * HOUR) : null,
              resetAtMs: now + 5 * HOUR,
              runsDryBeforeReset: spec.runsDry,
              basis: "burn-rate",
            },
          ],
          runsDryBeforeReset: spec.runsDry,
        };
  const status = spec.status ?? "ok";
  const noReading = status === "unusable" || spec.renewalPending === true;
  // A window that reset before `now` was read before its reset (an answer's past reset is an unknown one).
  const fetchedAt = Math.min(now, ...[five, weekly].map((w) => (w ? now + w[1] - MIN : now)));
  return {
    id,
    status,
    reading: noReading ? null : readingOf(spec.body ?? bodyOf(five, weekly, status === "limited", now), fetchedAt),
    renewal_pending: spec.renewalPending ?? false,
    blocked_until_ms: spec.blockedForMs === undefined ? null : now + spec.blockedForMs,
    problem: spec.problem ?? null,
    forecast,
  };
}

export interface ReportProfileSpec {
  id: string;
  status?: ProfileUsage["status"];
  five?: WindowSpec | null;
  weekly?: WindowSpec | null;
  body?: Record<string, unknown>;
  renewalPending?: boolean;
  fetchedAt?: number | null;
  orderIndex?: number | null;
  cooldownUntil?: number | null;
  errorCode?: NonNullable<ProfileUsage["error"]>["code"];
  /** The account the profile is logged into (identity.accountId); none by default. */
  account?: string;
}

/** A UsageCheck as runUsageCheck returns it, for the profiles given, each answer through the real normalizer. */
export function usageCheck(specs: ReportProfileSpec[], now = T0): UsageCheck {
  const profiles = specs.map((s, i): ProfileUsage => {
    const label = s.id.slice(s.id.indexOf(":") + 1);
    const orderIndex = s.orderIndex === undefined ? i : s.orderIndex;
    const local = {
      orderIndex,
      accountId: null,
      cooldownUntilMs: s.cooldownUntil ?? null,
      cooldownReason: s.cooldownUntil ? "rate_limit" : null,
    };
    if (s.renewalPending) return { ...renewalPendingReport(label, local), profileId: s.id };
    if (s.errorCode || s.fetchedAt === null || s.status === "unusable") {
      const error = { code: s.errorCode ?? "timeout", hint: "log in again" } as const;
      return { ...errorReport(label, error, local), profileId: s.id };
    }
    const five = s.five === undefined ? ([80, 3 * HOUR] as WindowSpec) : s.five;
    const weekly = s.weekly === undefined ? ([80, 3 * 24 * HOUR] as WindowSpec) : s.weekly;
    const fetched = s.fetchedAt ?? now;
    const body = s.body ?? bodyOf(five, weekly, s.status === "limited", now);
    const identity = { accountId: s.account ?? null, userId: null };
    return usageFromBody(label, body, { profileId: s.id, identity, nowMs: now, fetchedAtMs: fetched, local });
  });
  return checkOf(profiles, now);
}
