import type { UsageSnapshot, UsageWindow, WindowKind } from "./types.ts";
import type { ParsedUsage, WindowSnapshot } from "./usage-response.ts";

const WINDOW_SECONDS: Record<WindowKind, number> = { five_hour: 18_000, weekly: 604_800 };
const WINDOW_TOLERANCE = 0.05;

/** five_hour or weekly by duration (±5 %), never by primary/secondary position; other durations → null. */
export function classifyWindowSeconds(seconds: number): WindowKind | null {
  for (const kind of ["five_hour", "weekly"] as const) {
    const target = WINDOW_SECONDS[kind];
    if (Math.abs(seconds - target) <= target * WINDOW_TOLERANCE) return kind;
  }
  return null;
}

const clampPercent = (value: number): number => Math.min(100, Math.max(0, Math.round(value)));

/** When the window resets, in ms: the absolute reset_at first, else reset_after_seconds from the answer's time. */
function resetAtMs(w: WindowSnapshot, fetchedAtMs: number): number {
  if (w.reset_at !== undefined) return w.reset_at * 1000;
  return fetchedAtMs + (w.reset_after_seconds ?? 0) * 1000;
}

/**
 * A window as seen at `nowMs`. Once its reset time has passed it counts as 0 % used; its reset_at
 * is kept as the endpoint said (the next reset is not invented) and reset_in_seconds is 0.
 */
export function windowAt(window: UsageWindow, nowMs: number): UsageWindow {
  const resetMs = Date.parse(window.reset_at);
  if (resetMs <= nowMs) return { ...window, used_percent: 0, left_percent: 100, reset_in_seconds: 0 };
  return { ...window, reset_in_seconds: Math.floor((resetMs - nowMs) / 1000) };
}

function normalizeWindow(w: WindowSnapshot, fetchedAtMs: number): UsageWindow {
  const used = clampPercent(w.used_percent);
  const window: UsageWindow = {
    used_percent: used,
    left_percent: 100 - used,
    reset_at: new Date(resetAtMs(w, fetchedAtMs)).toISOString(),
    reset_in_seconds: 0,
    limit_window_seconds: w.limit_window_seconds,
  };
  return windowAt(window, fetchedAtMs);
}

/** Picks the 5h and weekly windows out of the main limit, by duration. Two of one kind: the fuller one wins. */
export function classifyWindows(
  candidates: Array<WindowSnapshot | null | undefined>,
  fetchedAtMs: number,
): Record<WindowKind, UsageWindow | null> {
  const out: Record<WindowKind, UsageWindow | null> = { five_hour: null, weekly: null };
  for (const candidate of candidates) {
    if (!candidate) continue;
    const kind = classifyWindowSeconds(candidate.limit_window_seconds);
    if (kind === null) continue;
    const window = normalizeWindow(candidate, fetchedAtMs);
    const current = out[kind];
    if (current === null || window.used_percent > current.used_percent) out[kind] = window;
  }
  return out;
}

export function buildSnapshot(parsed: ParsedUsage, fetchedAtMs: number): UsageSnapshot {
  const limit = parsed.rateLimit;
  return {
    plan: parsed.plan,
    allowed: limit?.allowed ?? true,
    limit_reached: limit?.limit_reached ?? false,
    windows: classifyWindows([limit?.primary_window, limit?.secondary_window], fetchedAtMs),
    fetched_at_ms: fetchedAtMs,
  };
}

/** The same snapshot seen later (e.g. from the cache): resets recounted, passed windows at 0 % used. */
export function snapshotAt(snapshot: UsageSnapshot, nowMs: number): UsageSnapshot {
  const at = (w: UsageWindow | null) => (w === null ? null : windowAt(w, nowMs));
  return { ...snapshot, windows: { five_hour: at(snapshot.windows.five_hour), weekly: at(snapshot.windows.weekly) } };
}
