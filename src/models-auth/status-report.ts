import type { AuthSnapshot, HealthStatus } from "./state.ts";

interface StatusRow {
  id: string;
  status: HealthStatus;
  /** 0-based position in the effective order, null when OpenClaw would not try it. */
  position: number | null;
  expiresAtMs: number | null;
  /** For cooldown/disabled: when it becomes usable again. */
  unusableUntilMs: number | null;
  reason: string | null;
}

export interface StatusReport {
  agentId: string;
  provider: string;
  /** The profile OpenClaw tries first, null when none is usable. */
  first: string | null;
  orderSource: "stored-override" | "automatic";
  rows: StatusRow[];
}

/** Pure: auth health per profile, effective order first, then the rest by id. */
export function statusReport(snap: AuthSnapshot): StatusReport {
  const rows: StatusRow[] = snap.profiles.map((p) => {
    const at = snap.effectiveOrder.indexOf(p.id);
    return {
      id: p.id,
      status: p.status,
      position: at === -1 ? null : at,
      expiresAtMs: p.expiresAtMs,
      unusableUntilMs: p.unusableUntilMs,
      reason: p.reason,
    };
  });
  for (const id of snap.knownIds) {
    if (!rows.some((r) => r.id === id))
      rows.push({ id, status: "unknown", position: null, expiresAtMs: null, unusableUntilMs: null, reason: null });
  }
  rows.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity) || a.id.localeCompare(b.id));
  return {
    agentId: snap.agentId,
    provider: snap.provider,
    first: snap.effectiveOrder[0] ?? null,
    orderSource: snap.storedOrder === null ? "automatic" : "stored-override",
    rows,
  };
}
