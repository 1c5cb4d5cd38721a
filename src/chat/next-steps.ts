import { NEEDS_LOGIN } from "../usage/error-hints.ts";
import type { UsageCheck } from "../usage/types.ts";
import { rankByHeadroom } from "../usage/verdict.ts";
import type { Choice } from "./reply.ts";

/** The natural next steps under a usage result: re-login each 🔴 profile, put the best 🟢 profile first. */
export function nextSteps(check: UsageCheck): Choice[][] {
  const rows: Choice[][] = [];
  for (const p of check.profiles) {
    if (p.status === "unusable" && p.error && NEEDS_LOGIN.has(p.error.code)) {
      rows.push([
        {
          label: `Re-login ${p.label}`,
          command: `/codex_auth login ${p.profileId}`,
          typed: `/codex_auth login ${p.label}`,
          style: "danger",
        },
      ]);
    }
  }
  // The same ranking as the suggested message: a profile whose binding limit is spent is never offered.
  const best = rankByHeadroom(check.profiles)[0];
  if (best && best.local.orderIndex !== 0 && check.profiles.length > 1) {
    rows.push([
      {
        label: `Put ${best.label} first`,
        command: `/codex_auth first ${best.profileId}`,
        typed: `/codex_auth first ${best.label}`,
        style: "success",
      },
    ]);
  }
  return rows;
}
