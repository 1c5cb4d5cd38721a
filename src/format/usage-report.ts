import type { UsageLimit } from "../usage/model.ts";
import type { LimitForecast, PoolRunway, ProfileForecast, ProfileUsage, UsageCheck } from "../usage/types.ts";
import { formatForecastLine } from "./forecast-line.ts";
import { poolSentence } from "./pool-line.ts";
import { formatProfileLine } from "./profile-line.ts";
import { suggestedUserMessage } from "./suggested-message.ts";
import type {
  LimitForecastJson,
  LimitJson,
  PoolJson,
  ProfileJson,
  SummaryJson,
  UsageReport,
  WindowJson,
} from "./usage-json.ts";
import { checkWarnings } from "./vocabulary.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const secondsUntil = (ms: number | null, nowMs: number): number | null =>
  ms === null ? null : Math.max(0, Math.floor((ms - nowMs) / 1000));
const kindOf = (l: Pick<UsageLimit, "kind">): string => l.kind ?? "spend_pool";

function limitJson(l: UsageLimit, nowMs: number): LimitJson {
  return {
    key: l.key,
    scope: l.scope,
    kind: kindOf(l),
    name: l.name,
    feature: l.feature,
    limit_window_seconds: l.windowSeconds,
    used_percent: l.usedPercent,
    left_percent: l.leftPercent,
    reset_at: iso(l.resetAtMs),
    reset_in_seconds: secondsUntil(l.resetAtMs, nowMs),
    reached: l.reached,
    amounts: l.amounts,
  };
}

/** windows.five_hour / windows.weekly as in the first contract: the fuller main window of that kind, or null. */
function windowJson(limits: UsageLimit[], kind: "five_hour" | "weekly", nowMs: number): WindowJson {
  const of = limits.filter((l) => l.scope === "main" && l.type === "window" && l.kind === kind);
  const w = of.sort((a, b) => b.usedPercent - a.usedPercent)[0];
  if (!w || w.resetAtMs === null || w.windowSeconds === null) return null;
  return {
    used_percent: w.usedPercent,
    left_percent: w.leftPercent,
    reset_at: new Date(w.resetAtMs).toISOString(),
    reset_in_seconds: secondsUntil(w.resetAtMs, nowMs)!,
    limit_window_seconds: w.windowSeconds,
  };
}

function forecastJson(f: ProfileForecast): ProfileJson["forecast"] {
  const one = (l: LimitForecast): LimitForecastJson => ({
    key: l.key,
    kind: kindOf(l),
    left_percent: l.leftPercent,
    burn_percent_per_hour: l.burnPercentPerHour,
    exhausts_at_ms: l.exhaustsAtMs,
    reset_at_ms: l.resetAtMs,
    runs_dry_before_reset: l.runsDryBeforeReset,
    basis: l.basis,
  });
  const window = (kind: "five_hour" | "weekly") => {
    const l = f.limits.find((x) => x.key === `main:${kind}`);
    return l ? { window: kind, ...one(l) } : null;
  };
  return {
    profile: f.profileId,
    windows: { five_hour: window("five_hour"), weekly: window("weekly") },
    limits: f.limits.map(one),
    runs_dry_before_reset: f.runsDryBeforeReset,
  };
}

function profileJson(p: ProfileUsage, nowMs: number): ProfileJson {
  const limits = p.reading?.limits ?? [];
  const binding = p.verdict?.binding ?? null;
  const c = p.reading?.credits ?? null;
  const out: ProfileJson = {
    profile: p.profileId,
    label: p.label,
    status: p.status,
    plan: p.plan,
    windows: { five_hour: windowJson(limits, "five_hour", nowMs), weekly: windowJson(limits, "weekly", nowMs) },
    limits: limits.map((l) => limitJson(l, nowMs)),
    binding: binding && {
      key: binding.key,
      kind: kindOf(binding),
      left_percent: binding.leftPercent,
      reset_at: iso(binding.resetAtMs),
      reset_in_seconds: secondsUntil(binding.resetAtMs, nowMs),
    },
    credits: c && {
      has_credits: c.hasCredits,
      unlimited: c.unlimited,
      balance: c.balance,
      overage_limit_reached: c.overageLimitReached,
    },
    reset_credits: p.reading?.resetCredits ?? null,
    reset_credits_applicable: p.reading?.resetCreditsApplicable ?? null,
    unavailable_models: (p.reading?.unavailableModels ?? []).map((m) => ({
      model: m.model,
      available_at: iso(m.availableAtMs),
      available_in_seconds: secondsUntil(m.availableAtMs, nowMs),
      credits_would_enable: m.creditsWouldEnable,
    })),
    blocked_reason: p.verdict?.blockedReason ?? null,
    back_at: iso(p.verdict?.backAtMs ?? null),
    continues_on_credits: p.verdict?.continuesOnCredits ?? false,
    renewal_pending: p.renewalPending,
    error: p.error,
    local: {
      token_expires_at: iso(p.local.tokenExpiresAtMs),
      token_expired: p.local.tokenExpired,
      account_id: p.local.accountId,
      email: p.local.email,
      cooldown_until: iso(p.local.cooldownUntilMs),
      cooldown_reason: p.local.cooldownReason,
      disabled_until: iso(p.local.disabledUntilMs),
      disabled_reason: p.local.disabledReason,
      error_count: p.local.errorCount,
      in_order: p.local.orderIndex !== null,
      order_index: p.local.orderIndex,
      shares_account_with: p.local.sharesAccountWith,
    },
    source: p.source,
    fetched_at: iso(p.fetchedAtMs),
  };
  if (p.forecast !== undefined) out.forecast = p.forecast && forecastJson(p.forecast);
  return out;
}

/** `summary.pool`: the runway in the JSON's units (ISO times, rounded percents, hours). */
export function poolJson(r: PoolRunway): PoolJson {
  return {
    accounts: r.accounts,
    not_counted: [...r.notCounted, ...r.withoutLongLimit],
    left_percent: Math.round(r.leftPercent),
    burn_percent_per_hour: Math.round(r.burnPercentPerHour * 10) / 10,
    runs_out_at: iso(r.runsOutAtMs),
    next_reset_at: iso(r.nextResetAtMs),
    short_by_hours: r.shortByMs === null ? null : Math.round(r.shortByMs / 360_000) / 10,
  };
}

function summaryJson(check: UsageCheck): Omit<SummaryJson, "pool"> {
  const ps = check.profiles;
  const sources = new Set(ps.map((p) => p.source).filter((s) => s !== "none"));
  const fetched = ps.map((p) => p.fetchedAtMs).filter((t): t is number => t !== null);
  return {
    total: ps.length,
    ok: ps.filter((p) => p.status === "ok").length,
    limited: ps.filter((p) => p.status === "limited").length,
    unusable: ps.filter((p) => p.status === "unusable").length,
    renewal_pending: ps.filter((p) => p.renewalPending).length,
    data:
      sources.size === 0 ? "none" : sources.size > 1 ? "mixed" : (sources.values().next().value as "fresh" | "cache"),
    fetched_at: fetched.length > 0 ? iso(Math.max(...fetched)) : null,
    agent: check.agent,
    store_layout: check.storeLayout,
    selection: check.selection,
  };
}

/**
 * The usage JSON contract from one check: the profiles with their chat lines and the suggested message, plus
 * each profile's forecast and `--forecast` line when the caller recorded the check in the usage history.
 */
export function usageReport(check: UsageCheck): UsageReport {
  const recorded = check.pool !== undefined;
  const pool = check.pool ?? null;
  const message = suggestedUserMessage(check);
  const report: UsageReport = {
    summary: { ...summaryJson(check), pool: pool && poolJson(pool) },
    profiles: check.profiles.map((p) => profileJson(p, check.checkedAtMs)),
    formatted_profiles: check.profiles.map((p) => formatProfileLine(p, check)),
    suggested_user_message: pool ? `${message} ${poolSentence(pool, check.checkedAtMs)}` : message,
  };
  if (recorded)
    report.forecast_lines = check.profiles.map((p) =>
      formatForecastLine(p.label, p.forecast ?? null, check.checkedAtMs),
    );
  const warnings = checkWarnings(check);
  if (warnings.length > 0) report.warnings = warnings;
  return report;
}
