import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { Nullable } from "../lib/nullable.ts";
import { type UsageReading, WINDOW_KINDS } from "./model.ts";

/**
 * The usage cache file (usage-cache.ts). Checked at run time by the code generated from it (cache-checks.ts,
 * `npm run checks`), so a cached answer loads no TypeBox; TypeBox itself cleans each reading before a write.
 */
export const CACHE_VERSION = 4;

export const Percent = Type.Number({ minimum: 0, maximum: 100 });
const Short = (pattern: string) => Type.String({ maxLength: 64, pattern });

/**
 * A reading as cached: `closed` refuses an object with a field of any other name (the check on read: such an entry
 * is not passed on); open, it is what Value.Clean cuts a reading down to before a write (a union of closed objects
 * would leave an object with an extra field uncut).
 */
function readingSchema(closed: boolean) {
  const o = { additionalProperties: !closed };
  const limit = Type.Object(
    {
      key: Type.String({ maxLength: 160, pattern: "^[A-Za-z0-9_.:-]+$" }),
      scope: Type.Union([Type.Literal("main"), Type.Literal("model"), Type.Literal("code_review")]),
      type: Type.Union([Type.Literal("window"), Type.Literal("spend")]),
      kind: Nullable(Type.Union(WINDOW_KINDS.map((k) => Type.Literal(k)))),
      windowSeconds: Nullable(Type.Number({ exclusiveMinimum: 0 })),
      name: Nullable(Short("^[A-Za-z0-9][\\x20-\\x7e]*$")),
      feature: Nullable(Short("^[A-Za-z][A-Za-z0-9_.-]*$")),
      usedPercent: Percent,
      leftPercent: Percent,
      resetAtMs: Nullable(Type.Number()),
      reached: Type.Boolean(),
      amounts: Nullable(
        Type.Object(
          { limit: Nullable(Type.Number()), used: Nullable(Type.Number()), remaining: Nullable(Type.Number()) },
          o,
        ),
      ),
    },
    o,
  );
  return Type.Object(
    {
      plan: Nullable(Type.String({ maxLength: 48, pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" })),
      fetchedAtMs: Type.Number(),
      allowed: Type.Boolean(),
      limitReached: Type.Boolean(),
      spendReached: Type.Boolean(),
      limits: Type.Array(limit, { maxItems: 64 }),
      credits: Nullable(
        Type.Object(
          {
            hasCredits: Type.Boolean(),
            unlimited: Type.Boolean(),
            balance: Nullable(Type.Number()),
            overageLimitReached: Type.Boolean(),
          },
          o,
        ),
      ),
      resetCredits: Nullable(Type.Integer({ minimum: 0 })),
      resetCreditsApplicable: Nullable(Type.Integer({ minimum: 0 })),
      reachedType: Nullable(Short("^[A-Za-z][A-Za-z0-9_.-]*$")),
      unavailableModels: Type.Array(
        Type.Object(
          {
            model: Short("^[A-Za-z][A-Za-z0-9_.-]*$"),
            availableAtMs: Nullable(Type.Number()),
            creditsWouldEnable: Type.Boolean(),
          },
          o,
        ),
        { maxItems: 32 },
      ),
    },
    o,
  );
}
export const CachedReadingSchema = readingSchema(true);
const WrittenReadingSchema = readingSchema(false);
export const CacheFileSchema = Type.Object({
  version: Type.Literal(CACHE_VERSION),
  entries: Type.Record(Type.String(), Type.Unknown()),
});

export type CacheFile = Static<typeof CacheFileSchema>;

/** Only the reading's own fields survive, so nothing else can reach the file. */
export function cleanReading(reading: UsageReading): UsageReading {
  return Value.Clean(WrittenReadingSchema, structuredClone(reading)) as UsageReading;
}
