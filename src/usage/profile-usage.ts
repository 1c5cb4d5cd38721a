import type { CodexProfile, ProfileIdentity, ProfileSet } from "../profiles/index.ts";
import { storedKey } from "../secrets/redact.ts";
import { NEEDS_LOGIN } from "./error-hints.ts";
import type { UsageReading } from "./model.ts";
import { readingAt } from "./normalize.ts";
import type { ProfileLocal, ProfileUsage, UsageCheck, UsageError } from "./types.ts";
import { inReportOrder, rankByHeadroom, verdictOf } from "./verdict.ts";

/** What happened for one profile: a reading (fresh or cached), an error, or a renewal OpenClaw has to make. */
export type ProfileOutcome =
  | { kind: "reading"; reading: UsageReading; source: "fresh" | "cache"; clockOffsetMs?: number | null }
  | { kind: "error"; error: UsageError }
  | { kind: "renewal-pending" };

const active = (until: number | null, nowMs: number): number | null => (until !== null && until > nowMs ? until : null);

function localOf(profile: CodexProfile, set: ProfileSet, nowMs: number): ProfileLocal {
  const { identity, state } = profile;
  const accountId = identity.accountId;
  const cooldown = active(state.cooldownUntilMs, nowMs);
  const disabled = active(state.disabledUntilMs, nowMs);
  return {
    tokenExpiresAtMs: identity.expiresAtMs,
    tokenExpired: identity.expiresAtMs !== null && identity.expiresAtMs <= nowMs,
    accountId,
    email: identity.email,
    cooldownUntilMs: cooldown,
    cooldownReason: cooldown !== null ? state.cooldownReason : null,
    cooldownModel: cooldown !== null ? state.cooldownModel : null,
    disabledUntilMs: disabled,
    disabledReason: disabled !== null ? state.disabledReason : null,
    errorCount: state.errorCount,
    orderIndex: profile.orderIndex,
    sharesAccountWith:
      accountId === null
        ? []
        : set.profiles.filter((p) => p.id !== profile.id && p.identity.accountId === accountId).map((p) => p.id),
  };
}

/**
 * One profile of one user on one account. Team seats share an account id, two agents may each have a profile of
 * the same id, and a re-login may put another account under an id: none of them shares a cached reading or a pace.
 * The cache and the history are keyed by it: an id that holds a token is kept by its digest.
 */
export const accountKeyOf = (profileId: string, identity: Pick<ProfileIdentity, "accountId" | "userId">): string =>
  storedKey(`${profileId}#${identity.accountId ?? ""}#${identity.userId ?? ""}`);

/** One profile's result, seen at nowMs: the reading aged (passed resets at 0 % used) and its verdict. */
export function profileUsage(
  profile: CodexProfile,
  outcome: ProfileOutcome,
  set: ProfileSet,
  nowMs: number,
): ProfileUsage {
  const who = { profileId: profile.id, label: profile.label, plan: profile.identity.plan, identity: profile.identity };
  return usageOf(who, localOf(profile, set, nowMs), outcome, nowMs);
}

/** The same from a profile's id, label and local state (what tests and benchmarks build without a store). */
export function usageOf(
  who: {
    profileId: string;
    label: string;
    plan: string | null;
    identity?: Pick<ProfileIdentity, "accountId" | "userId">;
  },
  local: ProfileLocal,
  outcome: ProfileOutcome,
  nowMs: number,
): ProfileUsage {
  const accountKey = accountKeyOf(who.profileId, who.identity ?? { accountId: null, userId: null });
  const base = { profileId: who.profileId, accountKey, label: who.label, local };
  if (outcome.kind !== "reading") {
    const pending = outcome.kind === "renewal-pending";
    return {
      ...base,
      status: pending ? "ok" : "unusable",
      plan: who.plan,
      reading: null,
      verdict: null,
      error: pending ? null : outcome.error,
      renewalPending: pending,
      needsLogin: !pending && NEEDS_LOGIN.has(outcome.error.code),
      source: "none",
      fetchedAtMs: null,
    };
  }
  const seen = readingAt(outcome.reading, nowMs);
  const reading = { ...seen, limits: inReportOrder(seen.limits) };
  const verdict = verdictOf(reading);
  return {
    ...base,
    status: verdict.status,
    plan: reading.plan ?? who.plan,
    reading,
    verdict,
    error: null,
    renewalPending: false,
    needsLogin: false,
    source: outcome.source,
    fetchedAtMs: reading.fetchedAtMs,
  };
}

/**
 * Its usage could not be read this time (a timeout, a 5xx, a rate limit, a bug of ours): that says nothing of
 * the account, unlike a login only a new one mends or a deactivated account.
 */
export const usageUnread = (p: Pick<ProfileUsage, "status" | "needsLogin" | "error">): boolean =>
  p.status === "unusable" && !p.needsLogin && p.error?.code !== "account_deactivated";

/** A check over these profiles, with the ranking its presentations read. */
export function usageCheckOf(parts: Omit<UsageCheck, "ranking">): UsageCheck {
  return { ...parts, ranking: rankByHeadroom(parts.profiles).map((p) => p.profileId) };
}
