import { forecastFor } from "../usage/forecast.ts";
import type { UsageHistory } from "../usage/history.ts";
import type { ProfileUsageReport } from "../usage/types.ts";
import type { RotationCandidate } from "./types.ts";

function laterOf(a: string | null, b: string | null): number | null {
  const times = [a, b].map((x) => (x === null ? Number.NaN : Date.parse(x))).filter(Number.isFinite);
  return times.length > 0 ? Math.max(...times) : null;
}

export function candidateFrom(p: ProfileUsageReport, history: UsageHistory | null, now: number): RotationCandidate {
  return {
    id: p.profile,
    status: p.status,
    windows: p.windows,
    blocked_until_ms: laterOf(p.local.cooldown_until, p.local.disabled_until),
    problem: p.error?.code ?? (p.local.token_expired ? "token_expired_locally" : null),
    // The usage check already projects each profile from the history; compute only when it did not.
    forecast: p.forecast !== undefined ? p.forecast : history ? forecastFor(p.profile, history, now) : null,
  };
}
