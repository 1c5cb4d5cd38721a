import { usageUnread } from "../usage/profile-usage.ts";
import type { ProfileUsage } from "../usage/types.ts";
import type { RotationCandidate } from "./types.ts";

const laterOf = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.max(a, b);

/** What ranking needs of one profile's usage; its forecast is the one recorded with the check (none without). */
export function candidateFrom(p: ProfileUsage): RotationCandidate {
  return {
    id: p.profileId,
    status: p.status,
    reading: p.reading,
    renewal_pending: p.renewalPending,
    // A cooldown OpenClaw scoped to one model (a per-model limit such as Spark's) leaves the account serving the rest.
    blocked_until_ms: laterOf(p.local.cooldownModel === null ? p.local.cooldownUntilMs : null, p.local.disabledUntilMs),
    problem: p.error?.code ?? null,
    usage_unread: usageUnread(p),
    forecast: p.forecast ?? null,
  };
}
