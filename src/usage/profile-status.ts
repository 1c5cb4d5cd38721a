import type { ProfileStatus, UsageError, UsageSnapshot, UsageWindow } from "./types.ts";

export type UsageOutcome = { ok: true; snapshot: UsageSnapshot } | { ok: false; error: UsageError };

type WithWindows = Pick<UsageSnapshot, "windows">;

const windowsOf = (s: WithWindows): UsageWindow[] =>
  [s.windows.five_hour, s.windows.weekly].filter((w): w is UsageWindow => w !== null);

/** True once the window's reset time is at or before nowMs. */
const hasReset = (w: UsageWindow, nowMs: number): boolean => Date.parse(w.reset_at) <= nowMs;

/**
 * ok | limited | unusable. Limited: a window at 100 % used, or the endpoint's own limit_reached /
 * allowed=false flags, unless a window has reset since that answer (the flags then describe a
 * window that is no longer full). Any error makes the profile unusable.
 * `snapshot` should already be seen at nowMs (see snapshotAt).
 */
export function profileStatus(outcome: UsageOutcome, nowMs: number): ProfileStatus {
  if (!outcome.ok) return "unusable";
  const windows = windowsOf(outcome.snapshot);
  if (windows.some((w) => w.used_percent >= 100)) return "limited";
  const flagged = outcome.snapshot.limit_reached || !outcome.snapshot.allowed;
  if (flagged && !windows.some((w) => hasReset(w, nowMs))) return "limited";
  return "ok";
}

/** The smaller share left over the windows the account has (hitting either one throttles); null without windows. */
export function headroomPercent(snapshot: WithWindows): number | null {
  const windows = windowsOf(snapshot);
  if (windows.length === 0) return null;
  return Math.min(...windows.map((w) => w.left_percent));
}

/**
 * The ok profiles, most headroom first (the tighter window counts; none = last), ties in the given order.
 * The one ranking of "which profile to use now" for chat lines and buttons; rotation ranks with more
 * (forecast, cooldowns, limited profiles) in src/rotation/rank.ts.
 */
export function rankByHeadroom<R extends Pick<UsageSnapshot, "windows"> & { status: ProfileStatus }>(
  reports: readonly R[],
): R[] {
  return reports
    .map((r, index) => ({ r, index, room: r.status === "ok" ? (headroomPercent(r) ?? -1) : Number.NaN }))
    .filter((x) => !Number.isNaN(x.room))
    .sort((a, b) => b.room - a.room || a.index - b.index)
    .map((x) => x.r);
}

/**
 * Seconds until a limited profile is usable again: the latest reset among full windows, else
 * (flags only) the earliest reset of any window; null when nothing says.
 */
export function secondsUntilBack(snapshot: WithWindows): number | null {
  const windows = windowsOf(snapshot);
  const full = windows.filter((w) => w.used_percent >= 100);
  if (full.length > 0) return Math.max(...full.map((w) => w.reset_in_seconds));
  if (windows.length === 0) return null;
  return Math.min(...windows.map((w) => w.reset_in_seconds));
}
