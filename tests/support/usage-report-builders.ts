import type { ProfileStatus, ProfileUsageReport, UsageError, UsageWindow } from "../../src/usage/types.ts";

/** Builders for ProfileUsageReport values in the format tests (not a test file itself). */
const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);

export const win = (used: number, resetIn: number, limit = 18000): UsageWindow => ({
  used_percent: used,
  left_percent: 100 - used,
  reset_at: new Date(NOW + resetIn * 1000).toISOString(),
  reset_in_seconds: resetIn,
  limit_window_seconds: limit,
});

export function sampleReport(
  label: string,
  o: { status?: ProfileStatus; h5?: UsageWindow | null; wk?: UsageWindow | null; error?: UsageError | null },
): ProfileUsageReport {
  return {
    profile: `openai:${label}`,
    label,
    status: o.status ?? "ok",
    plan: "plus",
    windows: {
      five_hour: o.h5 === undefined ? win(20, 3600) : o.h5,
      weekly: o.wk === undefined ? win(40, 86400, 604800) : o.wk,
    },
    error: o.error ?? null,
    local: {
      token_expires_at: null,
      token_expired: false,
      account_id: "acc",
      email: null,
      cooldown_until: null,
      cooldown_reason: null,
      disabled_until: null,
      disabled_reason: null,
      error_count: 0,
      in_order: true,
      order_index: 0,
      shares_account_with: [],
    },
    source: o.error ? "none" : "fresh",
    fetched_at: o.error ? null : new Date(NOW).toISOString(),
  };
}
