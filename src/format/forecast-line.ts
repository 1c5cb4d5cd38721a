import type { LimitForecast, ProfileForecast } from "../usage/types.ts";
import { formatDuration, limitName } from "./vocabulary.ts";

/** "5h", "weekly", "monthly", "monthly spend", "30-hour": a limit's name in a forecast line or an alert. */
export function limitNameOf(f: LimitForecast, all: LimitForecast[]): string {
  const type = f.kind === null ? ("spend" as const) : ("window" as const);
  return limitName(
    { ...f, type },
    all.some((x) => x.kind === "monthly"),
  );
}

function limitPhrase(f: LimitForecast, all: LimitForecast[], now: number): string {
  const name = limitNameOf(f, all);
  const resets = f.resetAtMs === null ? "reset unknown" : `resets in ${formatDuration((f.resetAtMs - now) / 1000)}`;
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
      if (!f.runsDryBeforeReset || f.exhaustsAtMs === null) return `${name} lasts at this pace, ${resets}`;
      // The pace of readings from before this check (the profile could not be read now) may end in the past.
      return f.exhaustsAtMs <= now
        ? `${name} ran out ~${formatDuration((now - f.exhaustsAtMs) / 1000)} ago if its last pace held, ${resets}`
        : `${name} runs out in ~${formatDuration((f.exhaustsAtMs - now) / 1000)} at this pace, ${resets}`;
  }
}

/**
 * One line per profile for `--forecast`, e.g.
 * "work: 5h runs out in ~1h 20m at this pace, resets in 2h 10m; weekly lasts at this pace, resets in 3d 4h".
 */
export function formatForecastLine(label: string, forecast: ProfileForecast | null, now: number): string {
  if (!forecast) return `${label}: no forecast yet (it needs two readings at least 10 minutes apart)`;
  const parts = forecast.limits.map((f) => limitPhrase(f, forecast.limits, now));
  return `${label}: ${parts.length > 0 ? parts.join("; ") : "no limit data"}`;
}
