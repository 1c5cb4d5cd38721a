import type { UsageCheck, UsageReport } from "../usage/types.ts";
import type { UsageForecast } from "./forecast-line.ts";
import { formatProfileLine } from "./profile-line.ts";
import { suggestedUserMessage } from "./suggested-message.ts";

/**
 * The usage JSON contract from one check: the profiles with their chat lines and the suggested message, plus
 * each profile's forecast and `--forecast` line when the caller recorded the history (null: it could not).
 */
export function usageReport(check: UsageCheck, forecast: UsageForecast | null): UsageReport {
  const report: UsageReport = {
    summary: check.summary,
    profiles: check.profiles,
    formatted_profiles: check.profiles.map(formatProfileLine),
    suggested_user_message: suggestedUserMessage(check.profiles),
  };
  if (forecast) {
    for (const p of report.profiles) p.forecast = forecast.forecasts[p.profile] ?? null;
    report.forecast_lines = forecast.lines;
  }
  return report;
}
