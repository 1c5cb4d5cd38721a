import type { CodexProviderId } from "../openclaw/provider.ts";
import type { CodexProfile } from "../profiles/index.ts";

/** What OpenClaw reports for one agent and one provider, read through its CLI only (preflight and verify). */
export type HealthStatus = "ok" | "expiring" | "expired" | "cooldown" | "disabled" | "missing" | "unknown";

export interface ProfileHealth {
  id: string;
  status: HealthStatus;
  /** Access-token expiry, ms epoch. */
  expiresAtMs: number | null;
  /** When a cooldown or disable ends, ms epoch. */
  unusableUntilMs: number | null;
  reason: string | null;
  /**
   * Expired, but renewed by OpenClaw on its next use: the store (read in place) holds a refresh token and no failed
   * renewal. `models status` reports such a profile (an idle backup past its token's ten days) as plain "expired".
   */
  renewable?: true;
}

export interface AuthSnapshot {
  agentId: string;
  provider: CodexProviderId;
  /** The stored per-agent override as `order get` shows it; null = selecting automatically. */
  storedOrder: string[] | null;
  /** The order OpenClaw would try profiles in (`models status` effectiveProfiles, or computed: see below). */
  effectiveOrder: string[];
  /**
   * "openclaw": reported by its `models status --json`; "store": the release reports none (2026.4.x), so it was
   * computed from its store read in place, the way that release computes it.
   */
  effectiveOrderSource: "openclaw" | "store";
  /**
   * Profiles of another provider OpenClaw tries for Codex now, which no order stored for `provider` can hold:
   * 2026.5.28's openai API keys, tried only while no openai-codex order is stored (read from its store, the way it
   * resolves its order; its `models status` leaves them out). Empty on every other release.
   */
  unstorableIds: string[];
  /** Every saved profile id of the provider (`models auth list`, else `models status`). */
  knownIds: string[];
  profiles: ProfileHealth[];
  configPath: string | null;
  agentDir: string;
  /**
   * A legacy auth-profiles.json holding profiles this release ignores until `openclaw doctor --fix` imports it
   * (2026.6.11/2026.7.1 report zero profiles then); null otherwise.
   */
  ignoredLegacyFile: string | null;
  /** Agent ids configured in openclaw.json; null when the file could not be read. */
  configuredAgents: string[] | null;
}

/** Whether OpenClaw renews a stored profile's access token on its next use (or is renewing it now). */
export function renewsOnUse(p: Pick<CodexProfile, "renewal">): boolean {
  return p.renewal === "possible" || p.renewal === "in_progress";
}

export function isUsable(p: ProfileHealth): boolean {
  return p.status === "ok" || p.status === "expiring" || (p.status === "expired" && p.renewable === true);
}

export function agentArgs(agentId: string | null): string[] {
  return agentId ? ["--agent", agentId] : [];
}
