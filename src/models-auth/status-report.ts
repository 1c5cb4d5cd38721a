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
  /** Expired, and renewed by OpenClaw on its next use (see ProfileHealth). */
  renewable?: true;
}

/** A row's health as the text outputs show it. */
export function healthText(r: StatusRow): string {
  return r.renewable ? "expired, renewed by OpenClaw on its next use" : r.status;
}

export interface StatusReport {
  agentId: string;
  provider: string;
  /** The profile OpenClaw tries first (it may be in a cooldown), null when the effective order is empty. */
  first: string | null;
  orderSource: "stored-override" | "automatic";
  /** Who gave the effective order: OpenClaw's `models status`, or computed from the store (2026.4.x). */
  effectiveOrderSource: AuthSnapshot["effectiveOrderSource"];
  /** Why no profile shows although credentials exist, and what fixes it; null when nothing is off. */
  hint: string | null;
  rows: StatusRow[];
}

/** How the text outputs name where the effective order came from. */
export function orderSourceText(source: AuthSnapshot["effectiveOrderSource"]): string {
  return source === "openclaw" ? "reported by openclaw" : "computed from the store as OpenClaw 2026.4.x does";
}

/** 2026.6.11/2026.7.1 before `doctor --fix`: zero profiles reported while the legacy file holds some. */
export function ignoredLegacyHint(snap: AuthSnapshot): string | null {
  return snap.ignoredLegacyFile === null
    ? null
    : `OpenClaw lists no ${snap.provider} profile, but ${snap.ignoredLegacyFile} holds profiles it reads only ` +
        "after importing them: run `openclaw doctor --fix`.";
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
      ...(p.renewable ? { renewable: true as const } : {}),
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
    effectiveOrderSource: snap.effectiveOrderSource,
    hint: ignoredLegacyHint(snap),
    rows,
  };
}
