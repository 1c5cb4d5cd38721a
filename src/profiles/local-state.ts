import { fenceOf, type RawCredential, type RawUsageStats } from "./raw-store.ts";
import type { ProfileLocalState, RenewalState } from "./types.ts";

const active = (until: number | undefined, now: number): number | null =>
  typeof until === "number" && Number.isFinite(until) && until > 0 && now < until ? until : null;

/**
 * A profile's local health as OpenClaw would see it now. Windows that have ended are dropped, and when
 * every window has ended the error count reads 0 (OpenClaw's clearExpiredCooldowns does the same lazily).
 * A model-independent block (blockedUntil) counts as a cooldown. PURE.
 */
export function localStateOf(stats: RawUsageStats | undefined, now: number): ProfileLocalState {
  if (!stats)
    return {
      cooldownUntilMs: null,
      cooldownReason: null,
      disabledUntilMs: null,
      disabledReason: null,
      errorCount: 0,
      lastUsedMs: null,
    };
  const cooldown = active(stats.cooldownUntil, now);
  const blocked = active(stats.blockedUntil, now);
  const disabled = active(stats.disabledUntil, now);
  const anyEnded = [stats.cooldownUntil, stats.blockedUntil, stats.disabledUntil].some(
    (v) => typeof v === "number" && v > 0 && now >= v,
  );
  const stillActive = cooldown !== null || blocked !== null || disabled !== null;
  const useBlock = blocked !== null && (cooldown === null || blocked > cooldown);
  return {
    cooldownUntilMs: useBlock ? blocked : cooldown,
    cooldownReason: useBlock
      ? (stats.blockedReason ?? null)
      : cooldown !== null
        ? (stats.cooldownReason ?? null)
        : null,
    disabledUntilMs: disabled,
    disabledReason: disabled !== null ? (stats.disabledReason ?? null) : null,
    errorCount: anyEnded && !stillActive ? 0 : Math.max(0, Math.trunc(stats.errorCount ?? 0)),
    lastUsedMs: typeof stats.lastUsed === "number" && stats.lastUsed > 0 ? stats.lastUsed : null,
  };
}

/** Whether OpenClaw can renew this credential on its next use, from the credential and its local state. PURE. */
export function renewalOf(credential: RawCredential, state: ProfileLocalState): RenewalState {
  const access = fenceOf(credential.access);
  if (access === "failed" || credential.refreshState === "failed" || state.disabledReason === "auth_permanent")
    return "failed";
  if (access === "pending" || credential.refreshState === "fenced") return "in_progress";
  return credential.refreshState === "present" ? "possible" : "none";
}
