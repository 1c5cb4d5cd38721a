import { profileLabel } from "../openclaw/provider.ts";
import type { RotationApplyResult, RotationPlan } from "./rotate.ts";

const list = (ids: string[]): string => (ids.length > 0 ? ids.map(profileLabel).join(", ") : "(none)");

/** The human view of a plan: both orders, the decision, and one line per profile. */
export function planLines(plan: RotationPlan): string[] {
  const lines = [
    `Codex auth order for agent ${plan.agent} (provider ` +
      `${plan.provider}), ${plan.policy}${plan.if_better ? ", only if clearly better" : ""}:`,
    `  current:  ${list(plan.current)}`,
    `  proposed: ${list(plan.proposed)}${plan.changed ? "" : "  (no change)"}`,
    `  decision: ${plan.decision}: ${plan.why}`,
  ];
  if (plan.changed && plan.ends_backups.length > 0)
    lines.push(
      `  note: storing this order ends OpenClaw's use of its API-key backup ${plan.ends_backups.join(", ")} ` +
        "(codex_auth order clear brings it back)",
    );
  for (const r of plan.reasons) {
    const move =
      r.from === r.to ? "" : ` (${r.from === null ? "new" : `was ${r.from}`}${r.to === null ? ", left out" : ""})`;
    lines.push(`  ${r.to === null ? "-" : `${r.to}.`} ${r.label}${move}: ${r.reason}`);
  }
  return lines;
}

export function applyLines(result: RotationApplyResult): string[] {
  const lines = planLines(result);
  if (!result.changed) return [...lines, "Nothing to change."];
  const r = result.result;
  if (!r) return lines;
  if (r.verify && !r.verify.matches)
    return [...lines, `Applied, but OpenClaw now reports: ${list(r.verify.observed)}.`];
  if (!r.ok) return [...lines, `Not applied: ${r.error?.code ?? "failed"}: ${r.error?.message ?? ""}`.trim()];
  const unsaved = result.state_not_saved
    ? [`Rotation state not saved (${result.state_not_saved}): profiles left out now are not put back by themselves.`]
    : [];
  return [...lines, `Applied and verified: ${list(result.proposed)}.`, ...r.notes, ...unsaved];
}
