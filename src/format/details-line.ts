import type { UsageCredits, UsageLimit } from "../usage/model.ts";
import type { ProfileUsage } from "../usage/types.ts";
import { type LineContext, lineLimits, resetText } from "./profile-line.ts";
import { blockedLong, bold, formatDuration, hasMonthlyWindow, shortLabels } from "./vocabulary.ts";

/** "12.5" → "12.50", "100" → "100": amounts as the endpoint counts them. */
const amount = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(2));

/** The credits balance as the endpoint counts it: a number of credits, not money ("12.50", "100"). */
export const creditsBalance = (c: UsageCredits): string => (c.balance === null ? "" : amount(c.balance));

function limitFields(limits: UsageLimit[], nowMs: number): string {
  const monthly = hasMonthlyWindow(limits);
  return limits
    .map((l) => {
      const [percent, reset] = shortLabels(l, monthly);
      // A limit the endpoint says is reached, with percent still showing: that percent is not room.
      const reached = l.reached && l.leftPercent > 0 ? " (reached)" : "";
      return `${percent} ${bold(`${l.leftPercent}%`)} ${reset} ${bold(resetText(l.resetAtMs, nowMs))}${reached}`;
    })
    .join(", ");
}

/** Per-model limits, one group per limit name (or metered feature). */
function modelGroups(limits: UsageLimit[], nowMs: number): string[] {
  const groups = new Map<string, UsageLimit[]>();
  for (const l of limits.filter((x) => x.scope === "model")) {
    const name = l.name ?? l.feature ?? "model limit";
    groups.set(name, [...(groups.get(name) ?? []), l]);
  }
  return [...groups].map(([name, ls]) => `${name} ${limitFields(ls, nowMs)}`);
}

function creditsText(c: UsageCredits | null): string | null {
  if (c === null) return null;
  if (c.unlimited) return `credits ${bold("unlimited")}`;
  if (!c.hasCredits && (c.balance ?? 0) <= 0) return null;
  const text = c.balance === null ? "credits" : `credits ${bold(creditsBalance(c))}`;
  return c.overageLimitReached ? `${text} (overage limit reached)` : text;
}

/**
 * The second, indented line `--details` (chat: `details`) adds under a profile: plan, why and until when it is
 * blocked, the spend pool's amounts, per-model limits and unavailable models, code-review limits, credits and
 * reset credits. Never part of the profile's own line.
 */
export function formatDetailsLine(p: ProfileUsage, ctx: LineContext): string {
  const now = ctx.checkedAtMs;
  const parts: string[] = [];
  if (p.plan) parts.push(`plan ${p.plan}`);
  if (p.renewalPending) {
    const exp = p.local.tokenExpiresAtMs;
    parts.push(
      exp === null ? "access token missing" : `access token lapsed ${formatDuration((now - exp) / 1000)} ago`,
      "no request sent with it",
    );
  }
  if (p.error) parts.push(`no reading (${p.error.code})`);
  const v = p.verdict;
  if (v?.blockedReason) {
    const back = v.backAtMs === null ? "back unknown" : `back in ${resetText(v.backAtMs, now)}`;
    parts.push(`blocked: ${blockedLong(v.blockedReason)}, ${back}`);
  }
  if (v?.continuesOnCredits) parts.push("continues on credits");
  for (const l of lineLimits(p)) {
    const a = l.amounts;
    if (a && a.used !== null && a.limit !== null) parts.push(`spend ${amount(a.used)} of ${amount(a.limit)} used`);
    else if (a && a.remaining !== null) parts.push(`spend ${amount(a.remaining)} left`);
  }
  const limits = p.reading?.limits ?? [];
  parts.push(...modelGroups(limits, now));
  for (const m of p.reading?.unavailableModels ?? []) {
    const back = m.availableAtMs === null ? "back unknown" : `back in ${resetText(m.availableAtMs, now)}`;
    parts.push(`${m.model} unavailable, ${back}${m.creditsWouldEnable ? " (credits would enable it)" : ""}`);
  }
  const review = limits.filter((l) => l.scope === "code_review");
  if (review.length > 0) parts.push(`code review ${limitFields(review, now)}`);
  const credits = creditsText(p.reading?.credits ?? null);
  if (credits) parts.push(credits);
  const resets = p.reading?.resetCredits ?? 0;
  const applying = p.reading?.resetCreditsApplicable ?? resets;
  const verb = applying === 0 ? "none applies" : applying === 1 ? "1 applies" : `${applying} apply`;
  const applies = applying === resets ? "" : ` (${verb} now)`;
  if (resets > 0) parts.push(`reset credits ${bold(String(resets))}${applies}`);
  return `  ↳ ${parts.length > 0 ? parts.join(" · ") : "nothing more reported"}`;
}
