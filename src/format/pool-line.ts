import type { PoolRunway } from "../usage/pool-runway.ts";
import { formatDuration } from "./duration.ts";

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
