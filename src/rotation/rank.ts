import { limitNameOf } from "../format/forecast-line.ts";
import { blockedShort, formatDuration, hasMonthlyWindow, limitName } from "../format/vocabulary.ts";
import { readingAt } from "../usage/normalize.ts";
import { bindingLimit, longLimits, mainLimits, verdictOf } from "../usage/verdict.ts";
import {
  DEFAULT_RANK_POLICY,
  type RankedProfile,
  type Ranking,
  type RankPolicy,
  type RotationCandidate,
} from "./types.ts";

function dryIn(c: RotationCandidate, now: number): number | null {
  const times = (c.forecast?.limits ?? []).flatMap((f) =>
    f.runsDryBeforeReset && f.exhaustsAtMs !== null ? [Math.max(0, f.exhaustsAtMs - now)] : [],
  );
  return times.length > 0 ? Math.min(...times) : null;
}

/** Classifies one candidate as of `now` (its reading seen at that time: passed resets count as available); pure. */
function assess(c: RotationCandidate, now: number): RankedProfile {
  const reading = c.reading && readingAt(c.reading, now);
  const verdict = reading && verdictOf(reading);
  const main = reading ? mainLimits(reading) : [];
  const monthly = hasMonthlyWindow(main);
  const binding = reading && bindingLimit(reading);
  // The tie-breaker is the long limit's reset (a sooner week or month refills sooner), never a short window's.
  const longest = longLimits(main).at(-1) ?? null;
  const base = {
    id: c.id,
    headroom: binding ? Math.round(binding.leftPercent) : null,
    long_reset_at_ms: longest?.resetAtMs ?? null,
    runs_dry: c.forecast?.runsDryBeforeReset ?? false,
    dry_in_ms: dryIn(c, now),
    binding_reset_in_ms: binding?.resetAtMs != null ? Math.max(0, binding.resetAtMs - now) : null,
    unread: false,
    renewal_pending: false,
    cooldown_only: false,
    on_credits: false,
  };

  const blocked = c.blocked_until_ms !== null && c.blocked_until_ms > now ? c.blocked_until_ms : null;
  // OpenClaw's own cooldown still says something of an account whose usage could not be read.
  if (c.usage_unread && blocked === null) {
    return {
      ...base,
      standing: "usable",
      back_at_ms: null,
      unread: true,
      reason: `usage not read this time (${c.problem ?? "no reading"}): kept in the order, behind known headroom`,
    };
  }
  if (c.status === "unusable" && !c.usage_unread) {
    return {
      ...base,
      standing: "unusable",
      back_at_ms: null,
      reason: `unusable (${c.problem ?? "no usable reading"}): left out of the order, not deleted`,
    };
  }

  const limitedByUsage = verdict?.status === "limited";
  if (limitedByUsage || blocked !== null) {
    const usageBack = limitedByUsage ? verdict.backAtMs : undefined;
    // An unknown return (a workspace block) stays unknown whatever the cooldown says.
    const backAt =
      usageBack === null ? null : Math.max(usageBack ?? Number.NEGATIVE_INFINITY, blocked ?? Number.NEGATIVE_INFINITY);
    const exhausted = main.filter((l) => l.reached || l.leftPercent <= 0);
    const reason = verdict?.blockedReason;
    // A spend control reached without a pool of its own holds beside a spent window: both are said.
    const spendToo = reason === "spend_limit" && !exhausted.some((l) => l.type === "spend");
    const what = !limitedByUsage
      ? "in OpenClaw cooldown"
      : (reason === "rate_limit" || reason === "spend_limit") && exhausted.length > 0
        ? `${exhausted.map((l) => limitName(l, monthly)).join(" and ")} used up` +
          (spendToo ? ` and ${blockedShort("spend_limit")}` : "")
        : reason
          ? blockedShort(reason)
          : "limit reached";
    const when = backAt !== null ? `back in ${formatDuration((backAt - now) / 1000)}` : "back time unknown";
    // OpenClaw's cooldown holds it back whatever its credits allow.
    const onCredits = limitedByUsage && verdict.continuesOnCredits && blocked === null;
    return {
      ...base,
      binding_reset_in_ms: backAt !== null ? Math.max(0, backAt - now) : null,
      standing: "limited",
      back_at_ms: backAt,
      cooldown_only: !limitedByUsage,
      on_credits: onCredits,
      reason: `limited: ${what}, ${when}${onCredits ? "; goes on with credits meanwhile" : ""}`,
    };
  }

  if (c.renewal_pending) {
    // Its last readings, from before its token lapsed, may show a limit it had used up: that holds until its reset.
    const spent = (c.forecast?.limits ?? []).filter((l) => l.basis === "exhausted" && (l.resetAtMs ?? 0) > now);
    if (spent.length > 0) {
      const backAt = Math.max(...spent.map((l) => l.resetAtMs ?? now));
      const names = spent.map((l) => limitNameOf(l, c.forecast?.limits ?? [])).join(" and ");
      return {
        ...base,
        renewal_pending: true,
        binding_reset_in_ms: backAt - now,
        standing: "limited",
        back_at_ms: backAt,
        reason:
          `limited: ${names} used up at its last reading (renewal pending), ` +
          `back in ${formatDuration((backAt - now) / 1000)}`,
      };
    }
    return {
      ...base,
      renewal_pending: true,
      standing: "usable",
      back_at_ms: null,
      reason: "renewal pending: OpenClaw renews its token on its next use; kept in the order, behind known headroom",
    };
  }
  if (base.headroom === null) {
    return {
      ...base,
      standing: "usable",
      back_at_ms: null,
      reason: "usable: no limit reported, ranked after known headroom",
    };
  }
  const pace =
    base.dry_in_ms !== null
      ? `; runs dry in ~${formatDuration(base.dry_in_ms / 1000)} at this pace, before its reset`
      : base.runs_dry
        ? "; runs dry before its reset at this pace"
        : "";
  const longNote =
    longest?.resetAtMs != null
      ? `, ${limitName(longest, monthly)} resets in ${formatDuration((longest.resetAtMs - now) / 1000)}`
      : "";
  const described = main.map((l) => `${limitName(l, monthly)} ${Math.round(l.leftPercent)}%`).join(", ");
  return {
    ...base,
    standing: "usable",
    back_at_ms: null,
    reason: `usable: ${base.headroom}% headroom (${described})${longNote}${pace}`,
  };
}

const byNullableAsc = (a: number | null, b: number | null): number =>
  (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY) || 0;

/** Below this binding headroom a profile is no choice for a long task: expiry-first ranks it behind those with room. */
export const ROOM_MARGIN_PERCENT = 20;

const hasRoom = (p: RankedProfile): boolean => (p.headroom ?? 0) >= ROOM_MARGIN_PERCENT;

/**
 * Ranks candidates: usable ones with a known headroom first (a profile that runs dry before its reset behind
 * one that won't; then, by policy, the binding limit's left % and the sooner long reset, or, expiry-first, those
 * with room by the sooner long reset), then usable ones without a known headroom (no limit reported, renewal
 * pending: never ahead of a known one), then limited ones (those that go on with credits first) by when they come
 * back. Unusable ones are returned separately. `currentOrder` only breaks the remaining ties.
 */
export function rankProfiles(
  candidates: RotationCandidate[],
  currentOrder: string[],
  now: number,
  policy: RankPolicy = DEFAULT_RANK_POLICY,
): Ranking {
  const position = (id: string): number => {
    const i = currentOrder.indexOf(id);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  const assessed = candidates.map((c) => assess(c, now));
  const tie = (a: RankedProfile, b: RankedProfile): number =>
    position(a.id) - position(b.id) || a.id.localeCompare(b.id);
  const byHeadroom = (a: RankedProfile, b: RankedProfile): number =>
    (b.headroom ?? 0) - (a.headroom ?? 0) || byNullableAsc(a.long_reset_at_ms, b.long_reset_at_ms);
  const byExpiry = (a: RankedProfile, b: RankedProfile): number =>
    Number(hasRoom(b)) - Number(hasRoom(a)) ||
    (hasRoom(a) ? byNullableAsc(a.long_reset_at_ms, b.long_reset_at_ms) : 0) ||
    byHeadroom(a, b);
  const usable = assessed.filter((p) => p.standing === "usable");
  const known = usable
    .filter((p) => p.headroom !== null)
    .sort(
      // Expiry-first wants the soonest-lapsing quota spent, run dry or not; the hysteresis moves on in time.
      (a, b) =>
        (policy === "expiry-first" ? byExpiry(a, b) : Number(a.runs_dry) - Number(b.runs_dry) || byHeadroom(a, b)) ||
        tie(a, b),
    );
  const unknown = usable.filter((p) => p.headroom === null).sort(tie);
  const limited = assessed
    .filter((p) => p.standing === "limited")
    .sort(
      (a, b) => Number(b.on_credits) - Number(a.on_credits) || byNullableAsc(a.back_at_ms, b.back_at_ms) || tie(a, b),
    );
  const dropped = assessed.filter((p) => p.standing === "unusable").sort(tie);
  return { ranked: [...known, ...unknown, ...limited], dropped };
}
