import { fakeAccessToken } from "./fake-jwt.ts";

/**
 * The standard fixture accounts. carol and dave are two seats of one Team workspace: they share an
 * account id, which is normal. Tokens expire in a year so that `openclaw doctor --fix` never tries to
 * refresh them (it would fence an expired credential).
 */
export interface FixtureAccount {
  name: string;
  email: string;
  accountId: string;
  userId: string;
  plan: string;
}

export const FIXTURE_ACCOUNTS: FixtureAccount[] = [
  { name: "alice@example.com", email: "alice@example.com", accountId: "acc-alice", userId: "user-alice", plan: "plus" },
  { name: "bob@example.com", email: "bob@example.com", accountId: "acc-bob", userId: "user-bob", plan: "pro" },
  { name: "carol@example.com", email: "carol@example.com", accountId: "acc-team", userId: "user-carol", plan: "team" },
  { name: "dave@example.com", email: "dave@example.com", accountId: "acc-team", userId: "user-dave", plan: "team" },
];

export interface LegacyCredential {
  type: "oauth";
  provider: string;
  access: string;
  refresh: string;
  expires: number;
  accountId: string;
  email: string;
}

export function fixtureCredential(a: FixtureAccount, provider: string, expSec: number): LegacyCredential {
  return {
    type: "oauth",
    provider,
    access: fakeAccessToken({ accountId: a.accountId, userId: a.userId, email: a.email, plan: a.plan, exp: expSec }),
    refresh: `fake-refresh-${a.userId}-0123456789`,
    expires: expSec * 1000,
    accountId: a.accountId,
    email: a.email,
  };
}

/** A legacy auth-profiles.json (layout ≤ 2026.4.6 when `inline` state is given). */
export function legacyAuthProfiles(
  options: {
    provider?: string;
    accounts?: FixtureAccount[];
    expSec?: number;
    inline?: {
      order?: Record<string, string[]>;
      lastGood?: Record<string, string>;
      usageStats?: Record<string, unknown>;
    };
    extra?: Record<string, unknown>;
  } = {},
): { version: 1; profiles: Record<string, unknown> } & Record<string, unknown> {
  const provider = options.provider ?? "openai-codex";
  const exp = options.expSec ?? Math.floor(Date.now() / 1000) + 365 * 86400;
  const profiles: Record<string, unknown> = {};
  for (const a of options.accounts ?? FIXTURE_ACCOUNTS)
    profiles[`${provider}:${a.name}`] = fixtureCredential(a, provider, exp);
  Object.assign(profiles, options.extra ?? {});
  return { version: 1, profiles, ...(options.inline ?? {}) };
}

/** Every secret string in a legacy store, for leak assertions. */
export function secretsOf(store: { profiles: Record<string, unknown> }): string[] {
  const out: string[] = [];
  for (const p of Object.values(store.profiles)) {
    const c = p as Record<string, unknown>;
    for (const k of ["access", "refresh", "key", "token"]) if (typeof c[k] === "string") out.push(c[k] as string);
  }
  return out;
}
