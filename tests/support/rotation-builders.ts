import type { RotationCandidate } from "../../src/rotation/types.ts";
import type { ProfileForecast, UsageWindow, WindowKind } from "../../src/usage/types.ts";

export const T0 = Date.parse("2026-10-01T12:00:00Z");
export const MIN = 60_000;
export const HOUR = 3_600_000;

/** A usage window with `left` percent left that resets `resetInMs` after `now`. */
function win(left: number, resetInMs: number, kind: WindowKind = "five_hour", now = T0): UsageWindow {
  return {
    used_percent: 100 - left,
    left_percent: left,
    reset_at: new Date(now + resetInMs).toISOString(),
    reset_in_seconds: Math.round(resetInMs / 1000),
    limit_window_seconds: kind === "five_hour" ? 18_000 : 604_800,
  };
}

export interface CandidateSpec {
  five?: [left: number, resetInMs: number] | null;
  weekly?: [left: number, resetInMs: number] | null;
  status?: RotationCandidate["status"];
  blockedForMs?: number;
  runsDry?: boolean;
  /** With runsDry: in how many ms the 5h window runs out. */
  dryInMs?: number;
  problem?: string;
}

export function candidate(id: string, spec: CandidateSpec = {}, now = T0): RotationCandidate {
  const five: [number, number] | null = spec.five === undefined ? [80, 3 * HOUR] : spec.five;
  const weekly: [number, number] | null = spec.weekly === undefined ? [80, 3 * 24 * HOUR] : spec.weekly;
  const forecast: ProfileForecast | null =
    spec.runsDry === undefined
      ? null
      : {
          profile: id,
          windows: {
            five_hour: {
              window: "five_hour",
              left_percent: 50,
              burn_percent_per_hour: 10,
              exhausts_at_ms: spec.runsDry ? now + (spec.dryInMs ?? 2 * HOUR) : null,
              reset_at_ms: now + 5 * HOUR,
              runs_dry_before_reset: spec.runsDry,
              basis: "burn-rate",
            },
            weekly: null,
          },
          runs_dry_before_reset: spec.runsDry,
        };
  return {
    id,
    status: spec.status ?? "ok",
    windows: {
      five_hour: five ? win(five[0], five[1], "five_hour", now) : null,
      weekly: weekly ? win(weekly[0], weekly[1], "weekly", now) : null,
    },
    blocked_until_ms: spec.blockedForMs === undefined ? null : now + spec.blockedForMs,
    problem: spec.problem ?? null,
    forecast,
  };
}

import type { ProfileUsageReport, UsageReport } from "../../src/usage/types.ts";

export interface ReportProfileSpec {
  id: string;
  status?: ProfileUsageReport["status"];
  five?: UsageWindowSpec | null;
  weekly?: UsageWindowSpec | null;
  fetchedAt?: number | null;
  orderIndex?: number | null;
  cooldownUntil?: number | null;
  errorCode?: NonNullable<ProfileUsageReport["error"]>["code"];
}
type UsageWindowSpec = [left: number, resetInMs: number];

/** A UsageReport as runUsageCheck returns it, for the profiles given. */
export function usageReport(specs: ReportProfileSpec[], now = T0): UsageReport {
  const profiles: ProfileUsageReport[] = specs.map((s, i) => {
    const five: UsageWindowSpec | null = s.five === undefined ? [80, 3 * HOUR] : s.five;
    const weekly: UsageWindowSpec | null = s.weekly === undefined ? [80, 3 * 24 * HOUR] : s.weekly;
    const fetched = s.fetchedAt === undefined ? now : s.fetchedAt;
    const orderIndex = s.orderIndex === undefined ? i : s.orderIndex;
    return {
      profile: s.id,
      label: s.id.slice(s.id.indexOf(":") + 1),
      status: s.status ?? "ok",
      plan: "plus",
      windows: {
        five_hour: five ? win(five[0], five[1], "five_hour", now) : null,
        weekly: weekly ? win(weekly[0], weekly[1], "weekly", now) : null,
      },
      error: s.errorCode ? { code: s.errorCode, hint: "log in again" } : null,
      local: {
        token_expires_at: null,
        token_expired: false,
        account_id: null,
        email: null,
        cooldown_until: s.cooldownUntil ? new Date(s.cooldownUntil).toISOString() : null,
        cooldown_reason: s.cooldownUntil ? "rate_limit" : null,
        disabled_until: null,
        disabled_reason: null,
        error_count: 0,
        in_order: orderIndex !== null,
        order_index: orderIndex,
        shares_account_with: [],
      },
      source: fetched === null ? "none" : "fresh",
      fetched_at: fetched === null ? null : new Date(fetched).toISOString(),
    };
  });
  return {
    summary: {
      total: profiles.length,
      ok: profiles.filter((p) => p.status === "ok").length,
      limited: profiles.filter((p) => p.status === "limited").length,
      unusable: profiles.filter((p) => p.status === "unusable").length,
      data: "fresh",
      fetched_at: new Date(now).toISOString(),
      agent: "main",
      store_layout: "sqlite",
      selection: "all",
    },
    profiles,
    formatted_profiles: [],
    suggested_user_message: "",
  };
}
