import { NEEDS_LOGIN } from "../usage/error-hints.ts";
import { rankByHeadroom } from "../usage/profile-status.ts";
import type { UsageReport } from "../usage/types.ts";
import type { Choice } from "./reply.ts";

/** The natural next steps under a usage result: re-login each 🔴 profile, put the best 🟢 profile first. */
export function nextSteps(report: UsageReport): Choice[][] {
  const rows: Choice[][] = [];
  for (const p of report.profiles) {
    if (p.status === "unusable" && p.error && NEEDS_LOGIN.has(p.error.code)) {
      rows.push([
        {
          label: `Re-login ${p.label}`,
          command: `/codex_auth login ${p.profile}`,
          typed: `/codex_auth login ${p.label}`,
          style: "danger",
        },
      ]);
    }
  }
  const best = rankByHeadroom(report.profiles)[0];
  if (best && best.local.order_index !== 0 && report.summary.total > 1) {
    rows.push([
      {
        label: `Put ${best.label} first`,
        command: `/codex_auth first ${best.profile}`,
        typed: `/codex_auth first ${best.label}`,
        style: "success",
      },
    ]);
  }
  return rows;
}
