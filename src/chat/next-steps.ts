import type { ProfileUsageReport, UsageErrorCode, UsageReport } from "../usage/types.ts";
import type { Choice } from "./reply.ts";

/** Usage errors that a new login fixes. */
const RELOGIN_CODES: ReadonlySet<UsageErrorCode> = new Set<UsageErrorCode>([
  "auth_not_accepted_by_usage_endpoint",
  "token_expired_locally",
  "missing_access_token",
]);

/** The natural next steps under a usage result: re-login each 🔴 profile, put the best 🟢 profile first. */
export function nextSteps(report: UsageReport): Choice[][] {
  const rows: Choice[][] = [];
  for (const p of report.profiles) {
    if (p.status === "unusable" && p.error && RELOGIN_CODES.has(p.error.code)) {
      rows.push([{ label: `Re-login ${p.label}`, command: `/codex_auth login ${p.profile}`, typed: `/codex_auth login ${p.label}`, style: "danger" }]);
    }
  }
  const best = bestProfile(report.profiles);
  if (best && best.local.order_index !== 0 && report.summary.total > 1) {
    rows.push([{ label: `Put ${best.label} first`, command: `/codex_auth first ${best.profile}`, typed: `/codex_auth first ${best.label}`, style: "success" }]);
  }
  return rows;
}

/** The ok profile with the most headroom in its tighter window. */
export function bestProfile(profiles: ProfileUsageReport[]): ProfileUsageReport | null {
  let best: ProfileUsageReport | null = null;
  let bestLeft = -1;
  for (const p of profiles) {
    if (p.status !== "ok") continue;
    const lefts = [p.windows.five_hour, p.windows.weekly].filter((w) => w !== null).map((w) => w.left_percent);
    const left = lefts.length > 0 ? Math.min(...lefts) : 0;
    if (left > bestLeft) {
      best = p;
      bestLeft = left;
    }
  }
  return best;
}
