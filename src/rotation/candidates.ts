import type { ProfileUsageReport, UsageReport } from "../usage/types.ts";
import { forecastFor } from "./forecast.ts";
import type { UsageHistory } from "./history.ts";
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
    forecast: history ? forecastFor(p.profile, history, now) : null,
  };
}

/** The Codex order as the usage report saw it: profiles in the order, by position. */
export function orderFromReport(report: UsageReport): string[] {
  return report.profiles
    .filter((p) => p.local.in_order && p.local.order_index !== null)
    .sort((a, b) => (a.local.order_index ?? 0) - (b.local.order_index ?? 0))
    .map((p) => p.profile);
}
