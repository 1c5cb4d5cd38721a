import { forecastFor } from "../usage/forecast.ts";
import type { UsageHistory } from "../usage/history.ts";
import type { ProfileUsage } from "../usage/types.ts";
import type { RotationCandidate } from "./types.ts";

const laterOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

export function candidateFrom(p: ProfileUsage, history: UsageHistory | null, now: number): RotationCandidate {
  return {
    id: p.profileId,
    status: p.status,
    reading: p.reading,
    renewal_pending: p.renewalPending,
    blocked_until_ms: laterOf(p.local.cooldownUntilMs, p.local.disabledUntilMs),
    problem: p.error?.code ?? null,
    // The usage check already projects each profile from the history; compute only when it did not.
    forecast: p.forecast !== undefined ? p.forecast : history ? forecastFor(p.profileId, history, now) : null,
  };
}
