import { codeName, shellWord } from "../lib/display-text.ts";
import type { UsageLimit } from "../usage/model.ts";
import type { ProfileUsage, UsageCheck } from "../usage/types.ts";
import { mainLimits } from "../usage/verdict.ts";
import { blockedShort, bold, formatDuration, hasMonthlyWindow, shortLabels } from "./vocabulary.ts";

const STATUS_ICON = { ok: "🟢", limited: "🟠", unusable: "🔴" } as const;

/** What a line needs from its check: the time resets are counted from, and the agent (for the renewal hint). */
export type LineContext = Pick<UsageCheck, "checkedAtMs" | "agent">;

/** "2h 10m" until the reset, "<1m" once it has passed, "unknown" when the answer gave none. */
export const resetText = (resetAtMs: number | null, nowMs: number): string =>
  resetAtMs === null ? "unknown" : formatDuration(Math.max(0, (resetAtMs - nowMs) / 1000));

/** The main-pool limits, in the order of the line (the reading holds them in that order). */
export const lineLimits = (p: ProfileUsage): UsageLimit[] => (p.reading ? mainLimits(p.reading) : []);

/**
 * Blocked by something other than the limit the line shows at 0 % (the answer's flags, a limit reached short of
 * 100 % used, a reached spend control beside a spent window, a workspace limit): without the reason, an orange
 * line would show only room, or the wrong block.
 */
function blockedBeyondLimits(p: ProfileUsage): boolean {
  const reason = p.verdict?.blockedReason;
  if (!reason) return false;
  const binding = p.verdict?.binding ?? null;
  if (binding === null || binding.leftPercent > 0) return true;
  return reason !== (binding.type === "spend" ? "spend_limit" : "rate_limit");
}

/** How OpenClaw gets to renew an idle profile's token; the shell command is verified against openclaw 2026.9.6. */
function renewalHint(p: Pick<ProfileUsage, "profileId">, agent: string): string {
  const id = shellWord(p.profileId);
  return (
    "OpenClaw renews its token the next time it uses this profile; to renew it now, stop the gateway and run " +
    `\`openclaw models status --probe --probe-profile ${id} --agent ${agent}\` (one small model request).`
  );
}

/**
 * One chat line per profile. For an account with 5-hour and weekly windows, exactly:
 *   🟢 `label` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**
 * Other shapes show the main limits the account really has, in the order 5h, day, week, month, year, other,
 * spend pool last: percents (what is LEFT) first, then resets. Nothing is invented for an absent kind; an
 * answer without any limit reads "no limit reported". A block that is not a limit at 0 % adds
 * ` | blocked: <reason>`. Unusable: 🔴 `label` — <code>: <hint>. Renewal pending:
 * 🟢 `label` — renewal pending: <hint>.
 */
export function formatProfileLine(p: ProfileUsage, ctx: LineContext): string {
  const head = `${STATUS_ICON[p.status]} ${codeName(p.label)} —`;
  if (p.status === "unusable") {
    return `${head} ${p.error?.code ?? "unusable"}: ${p.error?.hint ?? "No usage could be read."}`;
  }
  if (p.renewalPending) return `${head} renewal pending: ${renewalHint(p, ctx.agent)}`;
  const limits = lineLimits(p);
  const monthly = hasMonthlyWindow(limits);
  const labels = limits.map((l) => shortLabels(l, monthly));
  const fields =
    limits.length === 0
      ? ["no limit reported"]
      : [
          ...limits.map((l, i) => `${labels[i]![0]} ${bold(`${l.leftPercent}%`)}`),
          ...limits.map((l, i) => `${labels[i]![1]} ${bold(resetText(l.resetAtMs, ctx.checkedAtMs))}`),
        ];
  const reason = p.verdict?.blockedReason;
  if (reason && blockedBeyondLimits(p)) fields.push(`blocked: ${blockedShort(reason)}`);
  return `${head} ${fields.join(" | ")}`;
}
