import { type Static, Type } from "@sinclair/typebox";

/**
 * What raw-store.ts keeps of OpenClaw's auth store, checked at run time by the code generated from these schemas
 * (store-checks.ts, `npm run checks`), so that reading the store loads no TypeBox.
 */
const CREDENTIAL_TYPES = ["oauth", "token", "api_key"] as const;

export const Credential = Type.Object({
  type: Type.Union(CREDENTIAL_TYPES.map((t) => Type.Literal(t))),
  provider: Type.String({ minLength: 1 }),
  access: Type.Optional(Type.String()),
  // Only whether these secrets are there: their values are never needed, so never kept in memory.
  refreshState: Type.Optional(Type.Union([Type.Literal("present"), Type.Literal("fenced"), Type.Literal("failed")])),
  hasKey: Type.Optional(Type.Literal(true)),
  hasToken: Type.Optional(Type.Literal(true)),
  expires: Type.Optional(Type.Number()),
  accountId: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
  chatgptPlanType: Type.Optional(Type.String()),
  // A secret reference in place of the key (api_key) or token: the oldest order rules whose releases take it.
  refSince: Type.Optional(Type.Union([Type.Literal("2026.4"), Type.Literal("2026.5"), Type.Literal("2026.9")])),
});
export type RawCredential = Static<typeof Credential>;

export const UsageStats = Type.Object({
  lastUsed: Type.Optional(Type.Number()),
  cooldownUntil: Type.Optional(Type.Number()),
  cooldownReason: Type.Optional(Type.String()),
  cooldownModel: Type.Optional(Type.String()),
  disabledUntil: Type.Optional(Type.Number()),
  disabledReason: Type.Optional(Type.String()),
  blockedUntil: Type.Optional(Type.Number()),
  blockedReason: Type.Optional(Type.String()),
  errorCount: Type.Optional(Type.Number()),
});
export type RawUsageStats = Static<typeof UsageStats>;

/** The outer shape of a credentials payload (auth-profiles.json, auth_profile_store, authProfiles.store). */
export const StorePayload = Type.Object({
  // Any value: OpenClaw reads Number(version ?? 1) and goes on whatever that gives; nothing here depends on it.
  version: Type.Optional(Type.Unknown()),
  profiles: Type.Record(Type.String(), Type.Unknown()),
});
export type RawStorePayload = Static<typeof StorePayload>;
