import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/*
 * The wham/usage body, validated leniently: unknown fields and unknown plan types pass, and every
 * optional part is checked on its own, so a malformed extra never hides the main windows.
 * Only `plan_type` and `rate_limit` (the "codex" limit) decide whether the body is usable.
 */

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const WindowSnapshotSchema = Type.Object({
  used_percent: Type.Number(),
  limit_window_seconds: Type.Number({ exclusiveMinimum: 0 }),
  reset_after_seconds: Type.Optional(Type.Number()),
  reset_at: Type.Optional(Type.Number()),
});
export type WindowSnapshot = Static<typeof WindowSnapshotSchema>;

const RateLimitDetailsSchema = Type.Object({
  allowed: Type.Optional(Type.Boolean()),
  limit_reached: Type.Optional(Type.Boolean()),
  primary_window: Type.Optional(Nullable(WindowSnapshotSchema)),
  secondary_window: Type.Optional(Nullable(WindowSnapshotSchema)),
});
type RateLimitDetails = Static<typeof RateLimitDetailsSchema>;

const AdditionalRateLimitSchema = Type.Object({
  limit_name: Type.String(),
  metered_feature: Type.String(),
  rate_limit: Type.Optional(Nullable(RateLimitDetailsSchema)),
});

const CreditsSchema = Type.Object({
  has_credits: Type.Boolean(),
  unlimited: Type.Boolean(),
  balance: Type.Optional(Nullable(Type.Union([Type.String(), Type.Number()]))),
  overage_limit_reached: Type.Optional(Type.Boolean()),
});

const ReachedTypeSchema = Type.Object({ type: Type.String(), details: Type.Optional(Nullable(Type.String())) });

const OPTIONAL_PARTS = {
  code_review_rate_limit: RateLimitDetailsSchema,
  additional_rate_limits: Type.Array(AdditionalRateLimitSchema),
  credits: CreditsSchema,
  rate_limit_reached_type: ReachedTypeSchema,
} as const;
type OptionalPartName = keyof typeof OPTIONAL_PARTS;

export interface ParsedUsage {
  plan: string | null;
  /** The main ("codex") limit; null when the account has none (credits-only workspaces). */
  rateLimit: RateLimitDetails | null;
  codeReviewRateLimit: RateLimitDetails | null;
  additionalRateLimits: Static<typeof AdditionalRateLimitSchema>[];
  credits: Static<typeof CreditsSchema> | null;
  rateLimitReachedType: string | null;
  /** Optional parts that were present but malformed, and were dropped. Names only, never values. */
  droppedParts: OptionalPartName[];
}

export type ParseUsageResult = { ok: true; value: ParsedUsage } | { ok: false; reason: "not_json" | "wrong_schema" };

export function parseUsageBody(text: string): ParseUsageResult {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, reason: "not_json" };
  }
  return parseUsageJson(body);
}

/** A window without any reset time cannot be shown or aged; treat it as a schema error rather than invent one. */
function windowsHaveResets(limit: RateLimitDetails): boolean {
  return [limit.primary_window, limit.secondary_window].every(
    (w) => w === undefined || w === null || w.reset_at !== undefined || w.reset_after_seconds !== undefined,
  );
}

export function parseUsageJson(body: unknown): ParseUsageResult {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: false, reason: "wrong_schema" };
  const record = body as Record<string, unknown>;

  const plan = typeof record.plan_type === "string" && record.plan_type !== "" ? record.plan_type : null;
  const rawLimit = record.rate_limit;
  let rateLimit: RateLimitDetails | null = null;
  if (rawLimit !== undefined && rawLimit !== null) {
    // The main windows are the point of the call: a malformed main limit is an invalid response.
    if (!Value.Check(RateLimitDetailsSchema, rawLimit) || !windowsHaveResets(rawLimit)) {
      return { ok: false, reason: "wrong_schema" };
    }
    rateLimit = rawLimit;
  }
  if (plan === null && rateLimit === null) return { ok: false, reason: "wrong_schema" };

  const droppedParts: OptionalPartName[] = [];
  const part = <K extends OptionalPartName>(name: K): Static<(typeof OPTIONAL_PARTS)[K]> | null => {
    const raw = record[name];
    if (raw === undefined || raw === null) return null;
    if (Value.Check(OPTIONAL_PARTS[name], raw)) return raw as Static<(typeof OPTIONAL_PARTS)[K]>;
    droppedParts.push(name);
    return null;
  };

  return {
    ok: true,
    value: {
      plan,
      rateLimit,
      codeReviewRateLimit: part("code_review_rate_limit"),
      additionalRateLimits: part("additional_rate_limits") ?? [],
      credits: part("credits"),
      rateLimitReachedType: part("rate_limit_reached_type")?.type ?? null,
      droppedParts,
    },
  };
}
