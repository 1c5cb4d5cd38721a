import type { UsageLimit, WindowKind } from "../usage/model.ts";

/*
 * The names a limit goes by: short ones on a profile's line (5h/r5, week/rw, month/rm…), long ones in
 * sentences ("5-hour", "weekly", "monthly spend"). One place, so the line, the details, the suggested message,
 * the forecast and rotation's reasons say the same.
 */

type Labelled = Pick<UsageLimit, "key" | "type" | "kind" | "windowSeconds">;

const SHORT: Record<Exclude<WindowKind, "other">, [percent: string, reset: string]> = {
  five_hour: ["5h", "r5"],
  daily: ["day", "rd"],
  weekly: ["week", "rw"],
  monthly: ["month", "rm"],
  annual: ["year", "ry"],
};
const LONG: Record<Exclude<WindowKind, "other">, string> = {
  five_hour: "5-hour",
  daily: "daily",
  weekly: "weekly",
  monthly: "monthly",
  annual: "annual",
};

/** A window of an unusual length in its own unit: [count, unit letter, unit word]. */
function otherLength(seconds: number | null): [number, string, string] {
  const s = seconds ?? 0;
  if (s < 3600) return [Math.max(1, Math.round(s / 60)), "m", "minute"];
  if (s < 48 * 3600) return [Math.round(s / 3600), "h", "hour"];
  return [Math.round(s / 86_400), "d", "day"];
}

/** ":2" when the answer had a second limit of the same kind. */
const repeat = (l: Labelled): string => /:(\d+)$/.exec(l.key)?.[1] ?? "";

/**
 * [percent label, reset label] on the line: 5h/r5, day/rd, week/rw, month/rm, year/ry, "N-hour"/rNh or
 * "N-day"/rNd; the spend pool is month/rm, or pool/rp when the account also has a monthly window.
 */
export function shortLabels(l: Labelled, hasMonthlyWindow: boolean): [string, string] {
  const n = repeat(l);
  if (l.type === "spend" || l.kind === null) return hasMonthlyWindow ? [`pool${n}`, `rp${n}`] : [`month${n}`, `rm${n}`];
  if (l.kind === "other") {
    const [count, unit, word] = otherLength(l.windowSeconds);
    return [`${count}-${word}${n}`, `r${count}${unit}${n}`];
  }
  const [percent, reset] = SHORT[l.kind];
  return [`${percent}${n}`, `${reset}${n}`];
}

/** "5-hour", "weekly", "30-day"…, "monthly spend" (or "spend pool" beside a monthly window), for sentences. */
export function longName(l: Labelled, hasMonthlyWindow = false): string {
  if (l.type === "spend" || l.kind === null) return hasMonthlyWindow ? "spend pool" : "monthly spend";
  if (l.kind === "other") {
    const [count, , word] = otherLength(l.windowSeconds);
    return `${count}-${word}`;
  }
  return LONG[l.kind];
}

export const hasMonthlyWindow = (limits: readonly Labelled[]): boolean =>
  limits.some((l) => l.type === "window" && l.kind === "monthly");
