import { NEEDS_LOGIN } from "../usage/error-hints.ts";
import { rankByHeadroom, secondsUntilBack } from "../usage/profile-status.ts";
import type { ProfileUsageReport } from "../usage/types.ts";
import { formatDuration } from "./duration.ts";
import { codeLabel } from "./label.ts";

/**
 * One short paragraph a chat can send as it is: which profile to use now (most headroom, ties in
 * the given order), which are limited and when they return, which need a new login, which could
 * not be checked.
 */
export function suggestedUserMessage(reports: ProfileUsageReport[]): string {
  if (reports.length === 0) return "No Codex profiles were found.";
  const sentences: string[] = [];

  const ranked = rankByHeadroom(reports);
  const best = ranked[0];
  const limited = reports
    .filter((r) => r.status === "limited")
    .map((r) => ({ r, back: secondsUntilBack(r) }))
    .sort((a, b) => (a.back ?? Infinity) - (b.back ?? Infinity));

  if (best) {
    sentences.push(`Use ${codeLabel(best.label)} now${roomText(best)}.`);
    const others = ranked.slice(1);
    if (others.length > 0) sentences.push(`Also available: ${others.map((r) => codeLabel(r.label)).join(", ")}.`);
  } else if (limited[0]) {
    const first = limited[0];
    const when = first.back === null ? "" : `, in ${formatDuration(first.back)}`;
    sentences.push(`No profile has room right now; ${codeLabel(first.r.label)} is back first${when}.`);
  } else {
    sentences.push("No profile can be used right now.");
  }

  if (limited.length > 0) {
    const items = limited.map(
      ({ r, back }) => `${codeLabel(r.label)} (${back === null ? "limited" : `back in ${formatDuration(back)}`})`,
    );
    sentences.push(`Limited: ${items.join(", ")}.`);
  }

  const unusable = reports.filter((r) => r.status === "unusable");
  const relogin = unusable.filter((r) => r.error !== null && NEEDS_LOGIN.has(r.error.code));
  if (relogin.length > 0) {
    sentences.push(
      `Needs a new login with /codex_auth: ${relogin.map((r) => `${codeLabel(r.label)}${reason(r)}`).join(", ")}.`,
    );
  }
  const deactivated = unusable.filter((r) => r.error?.code === "account_deactivated");
  if (deactivated.length > 0) {
    sentences.push(`Looks deactivated: ${deactivated.map((r) => codeLabel(r.label)).join(", ")}.`);
  }
  const unchecked = unusable.filter((r) => !relogin.includes(r) && !deactivated.includes(r));
  if (unchecked.length > 0) {
    sentences.push(
      `Could not check ${unchecked.map((r) => `${codeLabel(r.label)} (${r.error?.code ?? "unknown"})`).join(", ")}; ` +
        `try again shortly.`,
    );
  }
  return sentences.join(" ");
}

function roomText(r: ProfileUsageReport): string {
  const parts: string[] = [];
  if (r.windows.five_hour) parts.push(`${r.windows.five_hour.left_percent}% of the 5-hour`);
  if (r.windows.weekly) parts.push(`${r.windows.weekly.left_percent}% of the weekly`);
  return parts.length === 0 ? "" : `: ${parts.join(" and ")} limit left`;
}

const reason = (r: ProfileUsageReport): string => {
  const why = r.error?.detail ?? (r.error?.code === "auth_not_accepted_by_usage_endpoint" ? undefined : r.error?.code);
  return why === undefined ? "" : ` (${why})`;
};
