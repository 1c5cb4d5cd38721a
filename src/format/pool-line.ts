import { codeName } from "../lib/display-text.ts";
import type { PoolPart, PoolRunway } from "../usage/types.ts";
import { formatDuration } from "./vocabulary.ts";

/**
 * "The pool lasts ~31h at this pace; the next reset is in 2d 4h: about 17h short." or "… enough until then.", and
 * "Not counted: `backup` (no reading yet)." where a usable account has no reading, or no long limit to count.
 */
export function poolSentence(r: PoolRunway, now: number): string {
  const names = (labels: string[]) =>
    labels.length > 3 ? `${labels.length} accounts` : labels.map((l) => codeName(l)).join(", ");
  const left = [
    ...(r.notCounted.length > 0 ? [`${names(r.notCounted)} (no reading yet)`] : []),
    ...(r.withoutLongLimit.length > 0 ? [`${names(r.withoutLongLimit)} (no weekly, monthly or spend limit read)`] : []),
  ];
  return runwaySentence(r, now) + (left.length > 0 ? ` Not counted: ${left.join("; ")}.` : "");
}

function runwaySentence(r: PoolRunway, now: number): string {
  const lasts =
    r.runsOutAtMs === null
      ? "is not being used"
      : `lasts ~${formatDuration((r.runsOutAtMs - now) / 1000)} at this pace`;
  if (r.nextResetAtMs === null) return `The pool ${lasts}.`;
  const reset = `the next reset is in ${formatDuration((r.nextResetAtMs - now) / 1000)}`;
  if (r.shortByMs === null || r.shortByMs === 0) return `The pool ${lasts}; ${reset}: enough until then.`;
  return `The pool ${lasts}; ${reset}: about ${formatDuration(r.shortByMs / 1000)} short.`;
}

/** Chart limits that hold on every channel that draws charts (Slack's are the tightest: 20 bars, 20 characters). */
const CHART_MAX_BARS = 20;
const CHART_MAX_LABEL = 20;

/** Labels cut to the chart's width and kept unique: a repeated one gets its position (#2). */
function chartLabels(labels: string[]): string[] {
  const cut = (l: string, room: number): string => {
    const chars = Array.from(l);
    return chars.length <= room ? l : `${chars.slice(0, room - 1).join("")}…`;
  };
  const short = labels.map((l) => cut(l, CHART_MAX_LABEL));
  return short.map((l, i) => (short.indexOf(l) === i ? l : `${cut(labels[i] ?? l, CHART_MAX_LABEL - 3)}#${i + 1}`));
}

/**
 * The pool as a bar chart (OpenClaw's portable chart block): each account's long limit left, in percent. Null
 * with nothing to draw, or more accounts than a chart shows (the text says the same either way).
 */
export function poolChart(
  parts: readonly PoolPart[],
): { title: string; categories: string[]; series: Array<{ name: string; values: number[] }>; yLabel: string } | null {
  if (parts.length === 0 || parts.length > CHART_MAX_BARS) return null;
  return {
    title: "Codex pool: long limit left per account",
    categories: chartLabels(parts.map((x) => x.label)),
    series: [{ name: "left", values: parts.map((x) => Math.round(x.leftPercent)) }],
    yLabel: "%",
  };
}
