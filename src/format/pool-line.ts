import { type PoolRunway, poolParts } from "../usage/pool-runway.ts";
import type { ProfileUsage } from "../usage/types.ts";
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

/**
 * The pool as a bar chart (OpenClaw's portable chart block): each account's long limit left, in percent. Labels
 * must be unique in a chart, so a repeated label falls back to the full profile id. Null with nothing to draw.
 */
export function poolChart(
  profiles: ProfileUsage[],
): { title: string; categories: string[]; series: Array<{ name: string; values: number[] }>; yLabel: string } | null {
  const parts = poolParts(profiles);
  if (parts.length === 0) return null;
  const labels = parts.map((x) => x.profile.label);
  const unique = (l: string, i: number): string => (labels.indexOf(l) === i ? l : (parts[i]?.profile.profileId ?? l));
  return {
    title: "Codex pool: long limit left per account",
    categories: labels.map(unique),
    series: [{ name: "left", values: parts.map((x) => Math.round(x.leftPercent)) }],
    yLabel: "%",
  };
}
