import { codeName } from "../lib/display-text.ts";
import type { ProfileUsage, UsageCheck } from "../usage/types.ts";
import { creditsBalance } from "./details-line.ts";
import { lineLimits } from "./profile-line.ts";
import { blockedShort, formatDuration, hasMonthlyWindow, longName } from "./vocabulary.ts";

const andList = (items: string[]): string =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

const backIn = (p: ProfileUsage, nowMs: number): number | null =>
  p.verdict?.backAtMs == null ? null : Math.max(0, (p.verdict.backAtMs - nowMs) / 1000);

/**
 * One short paragraph a chat can send as it is: which profile to use now (most headroom on its binding limit,
 * ties in the given order; never one whose binding limit is spent), which go on on credits, which are limited,
 * why and when they return, which wait for OpenClaw to renew their token, which need a new login, which could
 * not be checked.
 */
export function suggestedUserMessage(check: UsageCheck): string {
  const reports = check.profiles;
  const now = check.checkedAtMs;
  if (reports.length === 0) return "No Codex profiles were found.";
  const sentences: string[] = [];

  const ranked = check.ranking.flatMap((id) => reports.filter((r) => r.profileId === id));
  const best = ranked[0];
  const onCredits = reports.filter((r) => r.status === "limited" && r.verdict?.continuesOnCredits);
  const limited = reports
    .filter((r) => r.status === "limited" && !r.verdict?.continuesOnCredits)
    .map((r) => ({ r, back: backIn(r, now) }))
    .sort((a, b) => (a.back ?? Infinity) - (b.back ?? Infinity));

  if (best) {
    sentences.push(`Use ${codeName(best.label)} now${roomText(best)}.`);
    const others = ranked.slice(1);
    if (others.length > 0) sentences.push(`Also available: ${others.map((r) => codeName(r.label)).join(", ")}.`);
  } else if (limited[0] && onCredits.length === 0) {
    // Unknown returns sort last: when the first is unknown, none is known, and none is "back first".
    const first = limited[0];
    sentences.push(
      first.back === null
        ? "No profile has room right now, and none says when it is back."
        : `No profile has room right now; ${codeName(first.r.label)} is back first, in ${formatDuration(first.back)}.`,
    );
  } else {
    sentences.push(
      onCredits.length > 0 ? "No profile has room on its included limits." : "No profile can be used right now.",
    );
  }

  for (const r of onCredits) sentences.push(creditsSentence(r));
  if (limited.length > 0) sentences.push(`Limited: ${limited.map(({ r, back }) => limitedItem(r, back)).join(", ")}.`);

  const pending = reports.filter((r) => r.renewalPending);
  if (pending.length > 0) {
    sentences.push(
      "Renewal pending (OpenClaw renews the token on its next use): " +
        `${pending.map((r) => codeName(r.label)).join(", ")}.`,
    );
  }
  const unusable = reports.filter((r) => r.status === "unusable");
  const relogin = unusable.filter((r) => r.needsLogin);
  if (relogin.length > 0) {
    sentences.push(
      `Needs a new login with /codex_auth: ${relogin.map((r) => `${codeName(r.label)}${reason(r)}`).join(", ")}.`,
    );
  }
  const deactivated = unusable.filter((r) => r.error?.code === "account_deactivated");
  if (deactivated.length > 0) {
    sentences.push(`Looks deactivated: ${deactivated.map((r) => codeName(r.label)).join(", ")}.`);
  }
  const unchecked = unusable.filter((r) => !relogin.includes(r) && !deactivated.includes(r));
  if (unchecked.length > 0) {
    sentences.push(
      `Could not check ${unchecked.map((r) => `${codeName(r.label)} (${r.error?.code ?? "unknown"})`).join(", ")}; ` +
        `try again shortly.`,
    );
  }
  return sentences.join(" ");
}

/** ": 70% of the 5-hour and 60% of the weekly limit left". */
function roomText(r: ProfileUsage): string {
  const limits = lineLimits(r);
  const monthly = hasMonthlyWindow(limits);
  const parts = limits.map((l) => `${l.leftPercent}% of the ${longName(l, monthly)}`);
  return parts.length === 0 ? "" : `: ${andList(parts)} limit left`;
}

/** "`work` is out of its 5-hour limit and now spends credits, 12.50 left." */
function creditsSentence(r: ProfileUsage): string {
  const binding = r.verdict?.binding ?? null;
  const what = binding ? `its ${longName(binding, hasMonthlyWindow(lineLimits(r)))} limit` : "its included limits";
  const credits = r.reading?.credits;
  const left = credits?.unlimited
    ? " (unlimited)"
    : credits && credits.balance !== null
      ? `, ${creditsBalance(credits)} left`
      : "";
  return `${codeName(r.label)} is out of ${what} and now spends credits${left}.`;
}

/** "`x` (back in 3h; 2 reset credits available)", "`w` (workspace out of credits, back unknown)". */
function limitedItem(r: ProfileUsage, back: number | null): string {
  const reason = r.verdict?.blockedReason ?? "rate_limit";
  const when = back === null ? "back unknown" : `back in ${formatDuration(back)}`;
  const what =
    reason === "rate_limit" ? (back === null ? "limited, back unknown" : when) : `${blockedShort(reason)}, ${when}`;
  const resets = r.reading?.resetCreditsApplicable ?? r.reading?.resetCredits ?? 0;
  const extra = resets > 0 ? `; ${resets} reset credit${resets === 1 ? "" : "s"} available` : "";
  return `${codeName(r.label)} (${what}${extra})`;
}

const reason = (r: ProfileUsage): string => {
  const why = r.error?.detail ?? (r.error?.code === "auth_not_accepted_by_usage_endpoint" ? undefined : r.error?.code);
  return why === undefined ? "" : ` (${why})`;
};
