import type { BlockedReason, UsageLimit, WindowKind } from "../usage/model.ts";
import type { UsageCheck } from "../usage/types.ts";

/*
 * The words every line is made of, in one place so that the line, the details, the suggested message, the
 * forecast and rotation's reasons say the same: durations, the names a limit goes by and why an account is
 * blocked (a profile's label is lib/display-text.ts's codeName).
 */

/**
 * Compact relative durations for chat lines, floored: `<1m`, `45m`, `2h 10m`, `3d 4h`.
 * Two units at most; a zero minor unit is dropped (`1h`, `3d`), a zero major unit never shows.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return "<1m";
  const totalMinutes = Math.floor(seconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return withMinor(`${totalHours}h`, totalMinutes % 60, "m");
  return withMinor(`${Math.floor(totalHours / 24)}d`, totalHours % 24, "h");
}

const withMinor = (major: string, minor: number, unit: string): string =>
  minor === 0 ? major : `${major} ${minor}${unit}`;

/** Why a limited account is blocked, in a few words for its line and in a sentence for details and messages. */
const BLOCKED_SHORT: Record<BlockedReason, string> = {
  rate_limit: "rate limit reached",
  spend_limit: "spend limit reached",
  workspace_owner_credits_depleted: "workspace out of credits",
  workspace_member_credits_depleted: "workspace out of credits",
  workspace_owner_usage_limit_reached: "workspace usage limit reached",
  workspace_member_usage_limit_reached: "workspace usage limit reached",
  unknown: "reason unknown",
};

const BLOCKED_TODO: Partial<Record<BlockedReason, string>> = {
  workspace_owner_credits_depleted: "add credits to the workspace",
  workspace_member_credits_depleted: "ask the workspace owner to add credits",
  workspace_owner_usage_limit_reached: "raise the workspace's usage limit",
  workspace_member_usage_limit_reached: "ask the workspace owner to raise its usage limit",
};

export const blockedShort = (reason: BlockedReason): string => BLOCKED_SHORT[reason];

/** "workspace out of credits (ask the workspace owner to add credits)". */
export function blockedLong(reason: BlockedReason): string {
  const todo = BLOCKED_TODO[reason];
  return todo === undefined ? BLOCKED_SHORT[reason] : `${BLOCKED_SHORT[reason]} (${todo})`;
}

// The names a limit goes by: short ones on a profile's line (5h/r5, week/rw, month/rm…), long ones in sentences.
type Labelled = Pick<UsageLimit, "key" | "type" | "kind" | "windowSeconds">;

const LIMIT_SHORT: Record<Exclude<WindowKind, "other">, [percent: string, reset: string]> = {
  five_hour: ["5h", "r5"],
  daily: ["day", "rd"],
  weekly: ["week", "rw"],
  monthly: ["month", "rm"],
  annual: ["year", "ry"],
};
const LIMIT_LONG: Record<Exclude<WindowKind, "other">, string> = {
  five_hour: "5-hour",
  daily: "daily",
  weekly: "weekly",
  monthly: "monthly",
  annual: "annual",
};

/** Whole units of `unit` seconds in `s`, give or take 1 % of it; else null. */
function whole(s: number, unit: number): number | null {
  const n = Math.round(s / unit);
  return n >= 1 && Math.abs(s - n * unit) <= s * 0.01 ? n : null;
}

/**
 * A window of an unusual length in the largest unit it is a whole number of: [count, unit letter, unit word].
 * Days from two days on, else hours, else minutes: 60 hours is "60-hour", never a rounded "3-day".
 */
function otherLength(s: number): [number, string, string] {
  const days = s >= 48 * 3600 ? whole(s, 86_400) : null;
  if (days !== null) return [days, "d", "day"];
  const hours = whole(s, 3600);
  if (hours !== null) return [hours, "h", "hour"];
  return [Math.max(1, Math.round(s / 60)), "m", "minute"];
}

/** "2" when the answer had a second limit of the same kind (its key ends in ":2"), else "". */
const repeat = (l: Labelled): string => /:(\d+)$/.exec(l.key)?.[1] ?? "";

/**
 * [percent label, reset label] on the line: 5h/r5, day/rd, week/rw, month/rm, year/ry, "N-hour"/rNh or
 * "N-day"/rNd, limit/rl for a window of unknown length; the spend pool is month/rm, or pool/rp when the account
 * also has a monthly window.
 */
export function shortLabels(l: Labelled, hasMonthlyWindow: boolean): [string, string] {
  const n = repeat(l);
  if (l.type === "spend" || l.kind === null) return hasMonthlyWindow ? [`pool${n}`, `rp${n}`] : [`month${n}`, `rm${n}`];
  if (l.kind === "other") {
    if (l.windowSeconds === null) return [`limit${n}`, `rl${n}`];
    const [count, unit, word] = otherLength(l.windowSeconds);
    return [`${count}-${word}${n}`, `r${count}${unit}${n}`];
  }
  const [percent, reset] = LIMIT_SHORT[l.kind];
  return [`${percent}${n}`, `${reset}${n}`];
}

/**
 * "5-hour", "weekly", "30-day"…, "monthly spend" (or "spend pool" beside a monthly window), for sentences; a second
 * limit of one kind is "weekly 2", as its line's week2.
 */
export function longName(l: Labelled, hasMonthlyWindow = false): string {
  const n = repeat(l);
  return n ? `${baseName(l, hasMonthlyWindow)} ${n}` : baseName(l, hasMonthlyWindow);
}

function baseName(l: Labelled, hasMonthlyWindow: boolean): string {
  if (l.type === "spend" || l.kind === null) return hasMonthlyWindow ? "spend pool" : "monthly spend";
  if (l.kind === "other") {
    if (l.windowSeconds === null) return "unknown-length";
    const [count, , word] = otherLength(l.windowSeconds);
    return `${count}-${word}`;
  }
  return LIMIT_LONG[l.kind];
}

/** A value as the chat lines emphasise it. */
export const bold = (text: string): string => `**${text}**`;

/** How a sentence names a limit: "5h" for the 5-hour window, else its long name. */
export const limitName = (l: Labelled, hasMonthlyWindow = false): string =>
  l.kind === "five_hour" ? "5h" : longName(l, hasMonthlyWindow);

export const hasMonthlyWindow = (limits: readonly Labelled[]): boolean =>
  limits.some((l) => l.type === "window" && l.kind === "monthly");

/**
 * What a check's reader is warned of: the store's warnings, then this host's clock where the answers showed it
 * off (its resets are already right; OpenClaw's token expiry on this host is not).
 */
export function checkWarnings(check: Pick<UsageCheck, "warnings" | "clockOffsetMs">): string[] {
  const warnings = [...(check.warnings ?? [])];
  const offset = check.clockOffsetMs ?? 0;
  if (offset === 0) return warnings;
  // Rounded, not floored: a clock 45 min off, measured a moment later, is not "44m" off.
  const by = formatDuration(Math.round(Math.abs(offset) / 60_000) * 60);
  warnings.push(
    `This host's clock is ${by} ${offset > 0 ? "behind" : "ahead of"} the usage server's: the resets shown are ` +
      "counted from its answers, but OpenClaw times its tokens by this clock; set the system time (NTP)",
  );
  return warnings;
}
