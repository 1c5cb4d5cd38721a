import type { UsageReport } from "../usage/types.ts";
import { forecastFor } from "./forecast.ts";
import { formatForecastLine } from "./forecast-line.ts";
import { appendReport, historyPath } from "./history-store.ts";
import type { ProfileForecast } from "./types.ts";

export interface UsageForecast {
  /** Per full profile id; null until there are readings. */
  forecasts: Record<string, ProfileForecast | null>;
  /** One `--forecast` line per profile, in report order. */
  lines: string[];
}

/**
 * For `codex_usage --forecast` and the usage JSON: records the report's readings in the usage history
 * (cache dir, atomic, bounded, no tokens) and projects each profile's windows from it.
 */
export function forecastReport(report: UsageReport, env: NodeJS.ProcessEnv, now: number): UsageForecast {
  const history = appendReport(historyPath(env), report, now);
  const forecasts: Record<string, ProfileForecast | null> = {};
  const lines: string[] = [];
  for (const p of report.profiles) {
    const f = forecastFor(p.profile, history, now);
    forecasts[p.profile] = f;
    lines.push(formatForecastLine(p.label, f, now));
  }
  return { forecasts, lines };
}
