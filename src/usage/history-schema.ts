import { type Static, Type } from "@sinclair/typebox";
import { Nullable } from "../lib/nullable.ts";
// The readings' own bound: a point out of range would make a pace of thousands of %/h.
import { Percent } from "./cache-schema.ts";
import { WINDOW_KINDS } from "./model.ts";

/** The usage history file (history-store.ts), checked at run time by the code generated from it (history-checks.ts). */
const KIND = Type.Union([...WINDOW_KINDS, "spend"].map((k) => Type.Literal(k)));
const LimitPointSchema = Type.Object({
  used_percent: Percent,
  reset_at_ms: Nullable(Type.Number()),
  kind: KIND,
  window_seconds: Nullable(Type.Number()),
});
const HistorySchema = Type.Object({
  version: Type.Literal(2),
  profiles: Type.Record(
    Type.String(),
    Type.Array(Type.Object({ t: Type.Number(), limits: Type.Record(Type.String(), LimitPointSchema) })),
  ),
});

/** The first version kept only the 5-hour and weekly windows; its points carry over under their new keys. */
const V1WindowSchema = Type.Object({
  used_percent: Percent,
  reset_at_ms: Type.Number(),
  limit_window_seconds: Type.Number(),
});
const V1HistorySchema = Type.Object({
  version: Type.Literal(1),
  profiles: Type.Record(
    Type.String(),
    Type.Array(
      Type.Object({ t: Type.Number(), five_hour: Nullable(V1WindowSchema), weekly: Nullable(V1WindowSchema) }),
    ),
  ),
});

/** Either version, as stored. */
export const HistoryFileSchema = Type.Union([HistorySchema, V1HistorySchema]);
export type HistoryV1 = Static<typeof V1HistorySchema>;
