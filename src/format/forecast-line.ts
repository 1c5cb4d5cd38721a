import { forecastFor } from "../usage/forecast.ts";
import type { UsageHistory } from "../usage/history.ts";
import type { ProfileForecast, ProfileUsageReport, WindowForecast, WindowKind } from "../usage/types.ts";
import { formatDuration } from "./duration.ts";

const LABEL: Record<WindowKind, string> = { five_hour: "5h", weekly: "weekly" };

function windowPhrase(f: WindowForecast, now: number): string {
  const name = LABEL[f.window];
  const resets = `resets in ${formatDuration((f.reset_at_ms - now) / 1000)}`;
  switch (f.basis) {
    case "reset-passed":
      return `${name} has reset`;
    case "exhausted":
      return `${name} used up, ${resets}`;
    case "insufficient-history":
      return `${name} no pace yet, ${resets}`;
    case "idle":
      return `${name} idle, ${resets}`;
    case "burn-rate":
      return f.runs_dry_before_reset && f.exhausts_at_ms !== null
        ? `${name} runs out in ~${formatDuration((f.exhausts_at_ms - now) / 1000)} at this pace, ${resets}`
        : `${name} lasts at this pace, ${resets}`;
  }
}

/**
 * One line per profile for `--forecast`, e.g.
 * "work: 5h runs out in ~1h 20m at this pace, resets in 2h 10m; weekly lasts at this pace, resets in 3d 4h".
 */
export function formatForecastLine(label: string, forecast: ProfileForecast | null, now: number): string {
  if (!forecast) return `${label}: no forecast yet (it needs two readings at least 10 minutes apart)`;
  const parts = (["five_hour", "weekly"] as const).flatMap((k) => {
    const w = forecast.windows[k];
    return w ? [windowPhrase(w, now)] : [];
  });
  return `${label}: ${parts.length > 0 ? parts.join("; ") : "no window data"}`;
}

export interface UsageForecast {
  /** Per full profile id; null until there are readings. */
  forecasts: Record<string, ProfileForecast | null>;
  /** One `--forecast` line per profile, in report order. */
  lines: string[];
}

/** Each profile's windows projected from the usage history, and its `--forecast` line. Pure. */
export function forecastReport(
  report: { profiles: ProfileUsageReport[] },
  history: UsageHistory,
  now: number,
): UsageForecast {
  const forecasts: Record<string, ProfileForecast | null> = {};
  const lines: string[] = [];
  for (const p of report.profiles) {
    const f = forecastFor(p.profile, history, now);
    forecasts[p.profile] = f;
    lines.push(formatForecastLine(p.label, f, now));
  }
  return { forecasts, lines };
}
