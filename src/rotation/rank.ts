import { formatDuration } from "../format/duration.ts";
import type { UsageWindow, WindowKind } from "../usage/types.ts";
import type { RankedProfile, Ranking, RotationCandidate } from "./types.ts";

const WINDOW_LABEL: Record<WindowKind, string> = { five_hour: "5h", weekly: "weekly" };
const KINDS: WindowKind[] = ["five_hour", "weekly"];

function resetAtMs(w: UsageWindow): number {
  const ms = Date.parse(w.reset_at);
  return Number.isFinite(ms) ? ms : Number.POSITIVE_INFINITY;
}

/** Left percent as of now: a window whose reset time has passed counts as fully available again. */
function leftNow(w: UsageWindow, now: number): number {
  if (resetAtMs(w) <= now) return 100;
  return Math.max(0, Math.min(100, w.left_percent));
}

function describeWindows(c: RotationCandidate, now: number): string {
  const parts = KINDS.flatMap((k) => {
    const w = c.windows[k];
    return w ? [`${WINDOW_LABEL[k]} ${Math.round(leftNow(w, now))}%`] : [];
  });
  return parts.length > 0 ? parts.join(", ") : "no window data";
}

function dryIn(c: RotationCandidate, now: number): number | null {
  const times = KINDS.flatMap((k) => {
    const f = c.forecast?.windows[k];
    return f?.runs_dry_before_reset && f.exhausts_at_ms !== null ? [Math.max(0, f.exhausts_at_ms - now)] : [];
  });
  return times.length > 0 ? Math.min(...times) : null;
}

/** Classifies one candidate; pure. */
function assess(c: RotationCandidate, now: number): RankedProfile {
  const present = KINDS.flatMap((k) => (c.windows[k] ? [[k, c.windows[k]] as const] : []));
  const headroom = present.length > 0 ? Math.min(...present.map(([, w]) => leftNow(w, now))) : null;
  const weekly = c.windows.weekly;
  const weeklyReset = weekly ? resetAtMs(weekly) : null;
  const base = {
    id: c.id,
    headroom: headroom === null ? null : Math.round(headroom),
    weekly_reset_at_ms: weeklyReset !== null && Number.isFinite(weeklyReset) ? weeklyReset : null,
    runs_dry: c.forecast?.runs_dry_before_reset ?? false,
    dry_in_ms: dryIn(c, now),
  };

  if (c.status === "unusable") {
    return {
      ...base,
      standing: "unusable",
      back_at_ms: null,
      reason: `unusable (${c.problem ?? "no usable reading"}): left out of the order, not deleted`,
    };
  }

  const exhausted = present.filter(([, w]) => leftNow(w, now) <= 0);
  const blocked = c.blocked_until_ms !== null && c.blocked_until_ms > now ? c.blocked_until_ms : null;
  const limitedByUsage =
    exhausted.length > 0 || (c.status === "limited" && !present.some(([, w]) => resetAtMs(w) <= now));
  if (limitedByUsage || blocked !== null) {
    const times = [...exhausted.map(([, w]) => resetAtMs(w)), ...(blocked !== null ? [blocked] : [])].filter(
      Number.isFinite,
    );
    const backAt = times.length > 0 ? Math.max(...times) : null;
    const what =
      exhausted.length > 0
        ? `${exhausted.map(([k]) => WINDOW_LABEL[k]).join(" and ")} used up`
        : blocked !== null
          ? "in OpenClaw cooldown"
          : "limit reached";
    const when = backAt !== null ? `back in ${formatDuration((backAt - now) / 1000)}` : "back time unknown";
    return { ...base, standing: "limited", back_at_ms: backAt, reason: `limited: ${what}, ${when}` };
  }

  const pace =
    base.dry_in_ms !== null
      ? `; runs dry in ~${formatDuration(base.dry_in_ms / 1000)} at this pace, before its reset`
      : base.runs_dry
        ? "; runs dry before its reset at this pace"
        : "";
  const weeklyNote =
    base.weekly_reset_at_ms !== null
      ? `, weekly resets in ${formatDuration((base.weekly_reset_at_ms - now) / 1000)}`
      : "";
  return {
    ...base,
    standing: "usable",
    back_at_ms: null,
    reason: `usable: ${base.headroom ?? 100}% headroom (${describeWindows(c, now)})${weeklyNote}${pace}`,
  };
}

const byNullableAsc = (a: number | null, b: number | null): number =>
  (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY) || 0;

/**
 * Ranks candidates: usable first (a profile that runs dry before its reset behind one that won't, then by
 * headroom, then the sooner weekly reset), then limited ones by when they come back. Unusable ones are
 * returned separately. `currentOrder` only breaks the remaining ties, so equal profiles keep their places.
 */
export function rankProfiles(candidates: RotationCandidate[], currentOrder: string[], now: number): Ranking {
  const position = (id: string): number => {
    const i = currentOrder.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const assessed = candidates.map((c) => assess(c, now));
  const tie = (a: RankedProfile, b: RankedProfile): number =>
    position(a.id) - position(b.id) || a.id.localeCompare(b.id);
  const usable = assessed
    .filter((p) => p.standing === "usable")
    .sort(
      (a, b) =>
        Number(a.runs_dry) - Number(b.runs_dry) ||
        (b.headroom ?? 100) - (a.headroom ?? 100) ||
        byNullableAsc(a.weekly_reset_at_ms, b.weekly_reset_at_ms) ||
        tie(a, b),
    );
  const limited = assessed
    .filter((p) => p.standing === "limited")
    .sort((a, b) => byNullableAsc(a.back_at_ms, b.back_at_ms) || tie(a, b));
  const dropped = assessed.filter((p) => p.standing === "unusable").sort(tie);
  return { ranked: [...usable, ...limited], dropped };
}
