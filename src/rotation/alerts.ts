import type { UsageErrorCode } from "../errors/index.ts";
import { dict } from "../lib/dict.ts";
import { storedKey } from "../secrets/redact.ts";
import { usageUnread } from "../usage/profile-usage.ts";
import type { LimitForecast, PoolRunway, ProfileUsage } from "../usage/types.ts";

/**
 * When to tell the owner's chat ahead of trouble, and when to stay quiet. PURE: the conditions come from one
 * usage check with its forecasts; what was already said lives in a small memory the caller stores.
 */
export type AlertCondition =
  /** The first account runs out of a main limit within the lead time, before that limit resets. */
  | {
      kind: "runs-dry";
      key: string;
      profileId: string;
      label: string;
      limit: LimitForecast;
      resetAtMs: number | null;
      /** Credits carry the account on once that window is used up. */
      onCredits: boolean;
    }
  /** At the recent pace the whole pool is spent before the next reset brings quota back. */
  | { kind: "pool-short"; key: string; pool: PoolRunway; resetAtMs: number | null }
  /** The alert tick itself cannot read usage (the store, no profiles): said once, so that silence is not mistaken. */
  | { kind: "unavailable"; key: string; code: string; message: string; resetAtMs: null }
  /** Only a new login helps this account. */
  | {
      kind: "relogin";
      key: string;
      profileId: string;
      label: string;
      code: UsageErrorCode;
      hint: string;
      resetAtMs: null;
    };

export interface AlertInput {
  /** Each with its forecast (null without enough history). */
  profiles: ProfileUsage[];
  /** The first profile of the auth order, the one OpenClaw uses now. */
  first: string | undefined;
  /** Null: too little history for a runway; undefined: the history could not be read this time. */
  pool: PoolRunway | null | undefined;
  leadMs: number;
  now: number;
}

/** Credits carry an account on once a window of its is used up (not past a reached spend control). */
function creditsAfter(p: ProfileUsage, limit: LimitForecast): "none" | "balance" | "unlimited" {
  const credits = p.reading?.credits;
  if (!credits || limit.kind === null || p.reading?.spendReached || credits.overageLimitReached) return "none";
  return credits.unlimited ? "unlimited" : credits.hasCredits ? "balance" : "none";
}

/** A condition's key in the rotation state: a profile id that holds a token is kept by its digest. */
const alertKey = (kind: "runs-dry" | "relogin", profileId: string): string => storedKey(`${kind}:${profileId}`);

/** The conditions that hold now, at most one per kind and account. */
export function alertConditions(input: AlertInput): AlertCondition[] {
  const out: AlertCondition[] = [];
  const first = input.profiles.find((p) => p.profileId === input.first);
  if (first && first.status !== "unusable") {
    const dry = (first.forecast?.limits ?? [])
      .filter((l) => l.basis === "exhausted" || (l.basis === "burn-rate" && l.runsDryBeforeReset))
      .filter((l) => l.exhaustsAtMs !== null && l.exhaustsAtMs - input.now <= input.leadMs)
      // With unlimited credits the account cannot run dry of a window: nothing to warn of.
      .filter((l) => creditsAfter(first, l) !== "unlimited")
      .sort((a, b) => (a.exhaustsAtMs ?? 0) - (b.exhaustsAtMs ?? 0))[0];
    if (dry)
      out.push({
        kind: "runs-dry",
        key: alertKey("runs-dry", first.profileId),
        profileId: first.profileId,
        label: first.label,
        limit: dry,
        resetAtMs: dry.resetAtMs,
        onCredits: creditsAfter(first, dry) === "balance",
      });
  }
  if (input.pool && input.pool.shortByMs !== null && input.pool.shortByMs > 0)
    out.push({ kind: "pool-short", key: "pool-short", pool: input.pool, resetAtMs: input.pool.nextResetAtMs });
  for (const p of input.profiles) {
    if (p.needsLogin && p.error)
      out.push({
        kind: "relogin",
        key: alertKey("relogin", p.profileId),
        profileId: p.profileId,
        label: p.label,
        code: p.error.code,
        hint: p.error.hint,
        resetAtMs: null,
      });
  }
  return out;
}

/**
 * A runs-dry alert said stays said while the run-out is this many lead times away at most: a pace that wavers
 * around the lead (bursts of use) does not clear it and say it again within one window.
 */
const RUNS_DRY_BAND = 1.5;

/**
 * The keys of conditions this tick cannot judge, so that their absence from alertConditions is no sign that
 * they cleared: those of an account it could not read, the runway of an account without a forecast, while the
 * first account is not known or while its run-out is near the lead (RUNS_DRY_BAND), and the pool's while an
 * account or the runway is missing.
 */
export function unjudged(input: AlertInput): (key: string) => boolean {
  const keys = new Set<string>();
  const nearLead = (p: ProfileUsage): boolean =>
    p.profileId === input.first &&
    (p.forecast?.limits ?? []).some(
      (l) =>
        l.runsDryBeforeReset && l.exhaustsAtMs !== null && l.exhaustsAtMs - input.now <= RUNS_DRY_BAND * input.leadMs,
    );
  for (const p of input.profiles) {
    if (usageUnread(p)) keys.add(alertKey("relogin", p.profileId));
    if (usageUnread(p) || p.forecast === undefined || input.first === undefined || nearLead(p))
      keys.add(alertKey("runs-dry", p.profileId));
  }
  if (input.pool === undefined || input.profiles.some(usageUnread)) keys.add("pool-short");
  return (key) => keys.has(key);
}

/** What was said about one condition: `sent` false while quiet hours hold it back. */
interface AlertMemoryEntry {
  since: number;
  sent: boolean;
  resetAtMs: number | null;
}
export type AlertMemory = Record<string, AlertMemoryEntry>;

/** Readings of one window may put its reset a few seconds apart; a new window moves it by hours. */
const SAME_WINDOW_MS = 30 * 60_000;

/**
 * Whether a condition that holds again is the one already said: its reset is unknown on either side, or not later
 * than the remembered one. An earlier one (the first account's 5-hour window running out beside its week) is no
 * news while the condition never cleared; a later one is a new window.
 */
const sameEpisode = (remembered: number | null, now: number | null): boolean =>
  remembered === null || now === null || now < remembered + SAME_WINDOW_MS;

/**
 * Each condition is sent once per window: not again while it holds, again after it cleared and came back or when
 * a new window brings it anew. In quiet hours nothing is sent; a condition still holding afterwards is sent then.
 * A remembered condition this tick cannot judge (`unjudged`) is kept as it was, not taken for cleared.
 */
export function decideAlerts(
  conditions: AlertCondition[],
  memory: AlertMemory,
  o: { quiet: boolean; now: number; unjudged?: (key: string) => boolean },
): { send: AlertCondition[]; memory: AlertMemory } {
  const send: AlertCondition[] = [];
  const next = dict<AlertMemoryEntry>();
  for (const c of conditions) {
    const prev = Object.hasOwn(memory, c.key) ? memory[c.key] : undefined;
    const known = prev !== undefined && sameEpisode(prev.resetAtMs, c.resetAtMs);
    const since = known ? prev.since : o.now;
    const resetAtMs =
      known && prev.resetAtMs !== null && c.resetAtMs !== null ? Math.max(prev.resetAtMs, c.resetAtMs) : c.resetAtMs;
    if (known && prev.sent) next[c.key] = { ...prev, resetAtMs };
    else if (o.quiet) next[c.key] = { since, sent: false, resetAtMs };
    else {
      send.push(c);
      next[c.key] = { since, sent: true, resetAtMs };
    }
  }
  for (const [key, entry] of Object.entries(memory)) {
    if (!Object.hasOwn(next, key) && o.unjudged?.(key)) next[key] = entry;
  }
  return { send, memory: next };
}

/** Whether `now` falls in the quiet span of local time (start > end spans midnight; start = end is never). */
export function inQuietHours(
  now: number,
  quiet: { startMin: number; endMin: number } | null,
  timeZone: string | null,
): boolean {
  if (!quiet || quiet.startMin === quiet.endMin) return false;
  const parts = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    ...(timeZone ? { timeZone } : {}),
  }).formatToParts(now);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const m = part("hour") * 60 + part("minute");
  return quiet.startMin < quiet.endMin
    ? m >= quiet.startMin && m < quiet.endMin
    : m >= quiet.startMin || m < quiet.endMin;
}
