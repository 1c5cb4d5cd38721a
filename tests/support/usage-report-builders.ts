import type { UsageReading } from "../../src/usage/model.ts";
import { normalizeUsage } from "../../src/usage/normalize.ts";
import { usageCheckOf, usageOf } from "../../src/usage/profile-usage.ts";
import type { ProfileLocal, ProfileUsage, UsageCheck, UsageError } from "../../src/usage/types.ts";
import { parseUsageJson } from "../../src/usage/usage-response.ts";

/**
 * Builders of ProfileUsage values for the format, chat and rotation tests (not a test file itself): every reading
 * goes through the real parser, normalizer and verdict, from a wham/usage body.
 */
export const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);

/** A raw wham/usage window: `used` %, resetting `resetIn` seconds after `at`. */
export const win = (used: number, resetIn: number, limit = 18000, at = NOW) => ({
  used_percent: used,
  limit_window_seconds: limit,
  reset_after_seconds: resetIn,
  reset_at: Math.floor(at / 1000) + resetIn,
});
type RawWindow = ReturnType<typeof win>;

const local = (over: Partial<ProfileLocal> = {}): ProfileLocal => ({
  tokenExpiresAtMs: null,
  tokenExpired: false,
  accountId: "acc",
  email: null,
  cooldownUntilMs: null,
  cooldownReason: null,
  cooldownModel: null,
  disabledUntilMs: null,
  disabledReason: null,
  errorCount: 0,
  orderIndex: 0,
  sharesAccountWith: [],
  ...over,
});

/** A body through the real parser and normalizer; throws when the normalizer calls it invalid. */
export function readingOf(body: unknown, fetchedAtMs = NOW): UsageReading {
  const parsed = parseUsageJson(body);
  if (!parsed.ok) throw new Error(`not a usage body: ${parsed.reason}`);
  const normalized = normalizeUsage(parsed.value, fetchedAtMs);
  if (!normalized.ok) throw new Error(`invalid usage body: ${normalized.dropped.join(", ")}`);
  return normalized.reading;
}

export interface FromBody {
  nowMs?: number;
  fetchedAtMs?: number;
  local?: Partial<ProfileLocal>;
  source?: "fresh" | "cache";
  profileId?: string;
  /** The account and user the profile is logged in as (what keys its cache entry and usage history). */
  identity?: { accountId: string | null; userId: string | null };
}

/** A profile whose usage answer was `body`, seen at `nowMs`. */
export function usageFromBody(label: string, body: unknown, o: FromBody = {}): ProfileUsage {
  const reading = readingOf(body, o.fetchedAtMs ?? NOW);
  return usageOf(
    {
      profileId: o.profileId ?? `openai:${label}`,
      label,
      plan: "plus",
      ...(o.identity ? { identity: o.identity } : {}),
    },
    local(o.local),
    { kind: "reading", reading, source: o.source ?? "fresh" },
    o.nowMs ?? NOW,
  );
}

export function errorReport(label: string, error: UsageError, over: Partial<ProfileLocal> = {}): ProfileUsage {
  return usageOf({ profileId: `openai:${label}`, label, plan: "plus" }, local(over), { kind: "error", error }, NOW);
}

export function renewalPendingReport(label: string, over: Partial<ProfileLocal> = {}): ProfileUsage {
  return usageOf(
    { profileId: `openai:${label}`, label, plan: "plus" },
    local({ tokenExpiresAtMs: NOW - 2 * 86_400_000, tokenExpired: true, ...over }),
    { kind: "renewal-pending" },
    NOW,
  );
}

/** A Plus-style profile with a 5-hour and a weekly window (either may be null); "limited" sets the answer's flags. */
export function sampleReport(
  label: string,
  o: { status?: ProfileUsage["status"]; h5?: RawWindow | null; wk?: RawWindow | null; error?: UsageError | null },
): ProfileUsage {
  if (o.status === "unusable" || o.error) return errorReport(label, o.error ?? { code: "timeout", hint: "try again" });
  const limited = o.status === "limited";
  return usageFromBody(label, {
    plan_type: "plus",
    rate_limit: {
      allowed: !limited,
      limit_reached: limited,
      primary_window: o.h5 === undefined ? win(20, 3600) : o.h5,
      secondary_window: o.wk === undefined ? win(40, 86400, 604800) : o.wk,
    },
  });
}

/** A check over the given profiles, seen at `nowMs`. */
export const checkOf = (profiles: ProfileUsage[], nowMs = NOW, agent = "main"): UsageCheck =>
  usageCheckOf({ checkedAtMs: nowMs, agent, storeLayout: "sqlite", selection: "all", profiles });
