import type { CodexProfile, ProfileSet } from "../profiles/index.ts";
import { profileStatus } from "./profile-status.ts";
import type {
  ProfileLocalReport,
  ProfileUsageReport,
  UsageError,
  UsageSnapshot,
  UsageSummary,
  UsageWindow,
  WindowKind,
} from "./types.ts";
import { windowAt } from "./windows.ts";

/** What happened for one profile: a reading (fresh or cached) or an error. */
export type ProfileOutcome =
  | { kind: "snapshot"; snapshot: UsageSnapshot; source: "fresh" | "cache" }
  | { kind: "error"; error: UsageError };

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function localReport(profile: CodexProfile, set: ProfileSet, nowMs: number): ProfileLocalReport {
  const { identity, state } = profile;
  const accountId = identity.accountId;
  return {
    token_expires_at: iso(identity.expiresAtMs),
    token_expired: identity.expiresAtMs !== null && identity.expiresAtMs <= nowMs,
    account_id: accountId,
    email: identity.email,
    cooldown_until: state.cooldownUntilMs !== null && state.cooldownUntilMs > nowMs ? iso(state.cooldownUntilMs) : null,
    cooldown_reason: state.cooldownUntilMs !== null && state.cooldownUntilMs > nowMs ? state.cooldownReason : null,
    disabled_until: state.disabledUntilMs !== null && state.disabledUntilMs > nowMs ? iso(state.disabledUntilMs) : null,
    disabled_reason: state.disabledUntilMs !== null && state.disabledUntilMs > nowMs ? state.disabledReason : null,
    error_count: state.errorCount,
    in_order: profile.orderIndex !== null,
    order_index: profile.orderIndex,
    shares_account_with:
      accountId === null
        ? []
        : set.profiles.filter((p) => p.id !== profile.id && p.identity.accountId === accountId).map((p) => p.id),
  };
}

export function profileReport(
  profile: CodexProfile,
  outcome: ProfileOutcome,
  set: ProfileSet,
  nowMs: number,
): ProfileUsageReport {
  const local = localReport(profile, set, nowMs);
  if (outcome.kind === "error") {
    return {
      profile: profile.id,
      label: profile.label,
      status: "unusable",
      plan: profile.identity.plan,
      windows: { five_hour: null, weekly: null },
      error: outcome.error,
      local,
      source: "none",
      fetched_at: null,
    };
  }
  const { snapshot } = outcome;
  const windows: Record<WindowKind, UsageWindow | null> = {
    five_hour: snapshot.windows.five_hour && windowAt(snapshot.windows.five_hour, nowMs),
    weekly: snapshot.windows.weekly && windowAt(snapshot.windows.weekly, nowMs),
  };
  const current: UsageSnapshot = { ...snapshot, windows };
  return {
    profile: profile.id,
    label: profile.label,
    status: profileStatus({ ok: true, snapshot: current }, nowMs),
    plan: snapshot.plan ?? profile.identity.plan,
    windows,
    error: null,
    local,
    source: outcome.source,
    fetched_at: iso(snapshot.fetched_at_ms),
  };
}

export function summarize(
  reports: ProfileUsageReport[],
  context: { agent: string; layout: string; selection: string },
): UsageSummary {
  const sources = new Set(reports.map((r) => r.source).filter((s) => s !== "none"));
  const fetched = reports
    .map((r) => r.fetched_at)
    .filter((t): t is string => t !== null)
    .sort();
  return {
    total: reports.length,
    ok: reports.filter((r) => r.status === "ok").length,
    limited: reports.filter((r) => r.status === "limited").length,
    unusable: reports.filter((r) => r.status === "unusable").length,
    data:
      sources.size === 0 ? "none" : sources.size > 1 ? "mixed" : (sources.values().next().value as "fresh" | "cache"),
    fetched_at: fetched.length > 0 ? (fetched[fetched.length - 1] ?? null) : null,
    agent: context.agent,
    store_layout: context.layout,
    selection: context.selection,
  };
}
