import type { PoolRunway } from "../usage/pool-runway.ts";
import { formatDuration } from "./duration.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `summary.pool` of the usage JSON. */
export interface PoolJson {
  accounts: number;
  left_percent: number;
  burn_percent_per_hour: number;
  runs_out_at: string | null;
  next_reset_at: string | null;
  short_by_hours: number | null;
}

export function poolJson(r: PoolRunway): PoolJson {
  return {
    accounts: r.accounts,
    left_percent: Math.round(r.leftPercent),
    burn_percent_per_hour: Math.round(r.burnPercentPerHour * 10) / 10,
    runs_out_at: iso(r.runsOutAtMs),
    next_reset_at: iso(r.nextResetAtMs),
    short_by_hours: r.shortByMs === null ? null : Math.round(r.shortByMs / 360_000) / 10,
  };
}

/** "The pool lasts ~31h at this pace; the next reset is in 2d 4h: about 17h short." or "… enough until then." */
export function poolSentence(r: PoolRunway, now: number): string {
  const lasts =
    r.runsOutAtMs === null
      ? "is not being used"
      : `lasts ~${formatDuration((r.runsOutAtMs - now) / 1000)} at this pace`;
  if (r.nextResetAtMs === null) return `The pool ${lasts}.`;
  const reset = `the next reset is in ${formatDuration((r.nextResetAtMs - now) / 1000)}`;
  if (r.shortByMs === null || r.shortByMs === 0) return `The pool ${lasts}; ${reset}: enough until then.`;
  return `The pool ${lasts}; ${reset}: about ${formatDuration(r.shortByMs / 1000)} short.`;
}
