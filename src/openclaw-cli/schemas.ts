import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Nullable } from "../lib/nullable.ts";

/**
 * The parts of openclaw's --json outputs the gateway relies on. Objects stay open (extra keys are
 * fine: OpenClaw adds fields between releases); the fields read here are checked.
 */
export const OrderGetJson = Type.Object({
  agentId: Type.String(),
  provider: Type.String(),
  order: Nullable(Type.Array(Type.String())),
});
export type OrderGetJson = Static<typeof OrderGetJson>;

const ProfileHealthJson = Type.Object({
  profileId: Type.String(),
  provider: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  status: Type.String(),
  reasonCode: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Nullable(Type.Number())),
  remainingMs: Type.Optional(Nullable(Type.Number())),
});
export type ProfileHealthJson = Static<typeof ProfileHealthJson>;

const UnusableJson = Type.Object({
  profileId: Type.String(),
  provider: Type.Optional(Type.String()),
  kind: Type.String(),
  reason: Type.Optional(Type.String()),
  until: Type.Optional(Nullable(Type.Number())),
  remainingMs: Type.Optional(Nullable(Type.Number())),
});
export type UnusableJson = Static<typeof UnusableJson>;

export const StatusJson = Type.Object({
  configPath: Type.Optional(Type.String()),
  agentId: Type.Optional(Type.String()),
  agentDir: Type.String(),
  auth: Type.Object({
    storePath: Type.Optional(Type.String()),
    providers: Type.Optional(
      Type.Array(
        Type.Object({
          provider: Type.String(),
          profiles: Type.Optional(Type.Object({ labels: Type.Optional(Type.Array(Type.String())) })),
        }),
      ),
    ),
    unusableProfiles: Type.Optional(Type.Array(UnusableJson)),
    oauth: Type.Object({
      profiles: Type.Array(ProfileHealthJson),
      providers: Type.Array(
        Type.Object({
          provider: Type.String(),
          effectiveProfiles: Type.Optional(Type.Array(ProfileHealthJson)),
        }),
      ),
    }),
  }),
});
export type StatusJson = Static<typeof StatusJson>;

export const AuthListJson = Type.Object({
  agentId: Type.Optional(Type.String()),
  profiles: Type.Array(
    Type.Object({
      id: Type.String(),
      provider: Type.String(),
      type: Type.Optional(Type.String()),
      email: Type.Optional(Nullable(Type.String())),
      account: Type.Optional(Nullable(Type.String())),
      status: Type.Optional(Type.String()),
    }),
  ),
});
export type AuthListJson = Static<typeof AuthListJson>;

export function matches<T extends TSchema>(schema: T, value: unknown): value is Static<T> {
  return Value.Check(schema, value);
}
