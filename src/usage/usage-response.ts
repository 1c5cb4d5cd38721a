import { isRecord } from "../lib/dict.ts";
import { containsSecret } from "../secrets/redact.ts";

/*
 * The wham/usage body, read leniently: unknown fields and plan types pass, every part (and every window inside
 * a part) is checked on its own, so one malformed piece never hides the others. Strings are kept only when
 * they have their expected shape, so an endpoint that reflects the bearer token cannot put it anywhere.
 * Ranges (percent, reset horizon) are checked by the normalizer (normalize.ts).
 */

/** One window as sent: its length (null when not a number), its reset as either field, or neither (null). */
export interface WindowSnapshot {
  used_percent: number;
  limit_window_seconds: number | null;
  reset_after_seconds: number | null;
  reset_at: number | null;
}

/** One rate-limit part (rate_limit, code_review_rate_limit, an additional limit's rate_limit). */
export interface RawPart {
  allowed: boolean | null;
  limitReached: boolean | null;
  windows: WindowSnapshot[];
  /** Windows the part was sent with, read or dropped: its limit_reached speaks for one only when it had one. */
  sent: number;
}

export interface RawSpend {
  /** Where the pool came: spend_control.individual_limit, else rate_limit.individual_limit. */
  source: string;
  reached: boolean;
  limit: number | null;
  used: number | null;
  remaining: number | null;
  usedPercent: number | null;
  remainingPercent: number | null;
  resetAt: number | null;
  resetAfterSeconds: number | null;
}

interface RawAdditional {
  name: string | null;
  feature: string | null;
  part: RawPart;
}

interface RawUnavailableModel {
  model: string;
  /** available_at in ms; null when absent or not an ISO time. */
  availableAt: number | null;
  creditsWouldEnable: boolean;
}

export interface ParsedUsage {
  plan: string | null;
  /** The main ("codex") rate limit; null when the account has none (usage-based workspaces). */
  mainLimit: RawPart | null;
  codeReview: RawPart | null;
  additional: RawAdditional[];
  /** spend_control: reached, and the individual pool when there is one (also one sent in rate_limit). */
  spend: { reached: boolean; pool: RawSpend | null } | null;
  credits: { hasCredits: boolean; unlimited: boolean; balance: number | null; overageLimitReached: boolean } | null;
  reachedType: string | null;
  resetCredits: number | null;
  /** How many of them apply to the limits now; null where the answer does not say. */
  resetCreditsApplicable: number | null;
  /** model_usage entries that say a model is not available now (the available ones say nothing). */
  unavailableModels: RawUnavailableModel[];
  /** What was present but malformed, and dropped: part or window names, never values. */
  dropped: string[];
}

export type ParseUsageResult = { ok: true; value: ParsedUsage } | { ok: false; reason: "not_json" | "wrong_schema" };

const PLAN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;
// Printable ASCII without the characters that would break a Markdown line (` * | _ \ < >) or make a link in a chat
// ([text](url), a scheme's ://): a model's name needs none of them.
const NAME = /^[A-Za-z0-9][\x20-\x7e]{0,63}$/;
const NAME_UNSAFE = /[`*|_\\<>[\]]|:\/\//;

const shaped = (value: unknown, pattern: RegExp): string | null =>
  typeof value === "string" && pattern.test(value) && !containsSecret(value) ? value : null;
const planOf = (value: unknown): string | null => shaped(value, PLAN);
const identifierOf = (value: unknown): string | null => shaped(value, IDENTIFIER);
const nameOf = (value: unknown): string | null => {
  const name = typeof value === "string" ? value.trim() : null;
  return name !== null && !NAME_UNSAFE.test(name) ? shaped(name, NAME) : null;
};

const boolOrNull = (value: unknown): boolean | null => (typeof value === "boolean" ? value : null);

/** A number, or a decimal string ("12.50"), as the endpoint sends amounts; else null. */
function numeric(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * A JSON number as sent (1e308 included: ranges are the normalizer's), or a decimal string ("100"); else null.
 * 1e309 parses as Infinity: it reads as the largest number, so a window used "1e309 %" is spent, not dropped.
 */
const numberOf = (value: unknown): number | null =>
  typeof value === "number" ? Math.max(-Number.MAX_VALUE, Math.min(Number.MAX_VALUE, value)) : numeric(value);
const numberOrNull = (value: unknown): number | null | undefined =>
  value === undefined || value === null ? null : (numberOf(value) ?? undefined);

/**
 * A window with a used percent, else null: it is dropped. A number sent as a string is read as one, so a spent
 * window in that form is not dropped into a line with room it does not have; nor is one whose length or reset is
 * not a number (that field reads as not sent, and a reset of another type is named in `dropped`).
 */
function windowOf(raw: unknown, where: string, dropped: string[]): WindowSnapshot | null {
  if (!isRecord(raw)) return null;
  const used = numberOf(raw.used_percent);
  if (used === null) return null;
  const field = (name: "reset_after_seconds" | "reset_at"): number | null => {
    const value = numberOrNull(raw[name]);
    if (value !== undefined) return value;
    dropped.push(`${where}.${name}`);
    return null;
  };
  return {
    used_percent: used,
    limit_window_seconds: numberOrNull(raw.limit_window_seconds) ?? null,
    reset_after_seconds: field("reset_after_seconds"),
    reset_at: field("reset_at"),
  };
}

export function parseUsageBody(text: string): ParseUsageResult {
  let body: unknown;
  try {
    // A leading byte-order mark is not the body's (fetch's own json() drops it too).
    body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return { ok: false, reason: "not_json" };
  }
  return parseUsageJson(body);
}

function partOf(raw: unknown, name: string, dropped: string[]): RawPart | null {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw)) {
    dropped.push(name);
    return null;
  }
  const windows: WindowSnapshot[] = [];
  let sent = 0;
  for (const slot of ["primary_window", "secondary_window"] as const) {
    if (raw[slot] === undefined || raw[slot] === null) continue;
    sent++;
    const w = windowOf(raw[slot], `${name}.${slot}`, dropped);
    if (w) windows.push(w);
    else dropped.push(`${name}.${slot}`);
  }
  const allowed = boolOrNull(raw.allowed);
  const limitReached = boolOrNull(raw.limit_reached);
  // Nothing of a rate limit in it (`{}`, fields of another schema): not an account without limits. A spend pool
  // sent in it is read by spendOf.
  const pool = raw.individual_limit;
  if (allowed === null && limitReached === null && sent === 0 && (pool === undefined || pool === null)) {
    dropped.push(name);
    return null;
  }
  return { allowed, limitReached, windows, sent };
}

/**
 * spend_control, and its individual pool; a pool sent inside rate_limit instead (as CodexBar also reads it) when
 * spend_control has none.
 */
function spendOf(raw: unknown, rateLimit: unknown, dropped: string[]): ParsedUsage["spend"] {
  if (raw !== undefined && raw !== null && !isRecord(raw)) dropped.push("spend_control");
  const control = isRecord(raw) ? raw : null;
  const reached = control?.reached === true;
  const pool =
    poolOf(control?.individual_limit, "spend_control.individual_limit", reached, dropped) ??
    poolOf(isRecord(rateLimit) ? rateLimit.individual_limit : null, "rate_limit.individual_limit", reached, dropped);
  return control === null && pool === null ? null : { reached, pool };
}

function poolOf(p: unknown, source: string, reached: boolean, dropped: string[]): RawSpend | null {
  if (p === undefined || p === null) return null;
  if (!isRecord(p)) {
    dropped.push(source);
    return null;
  }
  return {
    source,
    reached,
    // Kept as sent: the pool's share comes from them; the normalizer drops the ones too large to show.
    limit: numeric(p.limit),
    used: numeric(p.used),
    remaining: numeric(p.remaining),
    usedPercent: numeric(p.used_percent),
    remainingPercent: numeric(p.remaining_percent),
    resetAt: numeric(p.reset_at),
    resetAfterSeconds: numeric(p.reset_after_seconds),
  };
}

/** Real answers carry one or two; more would outgrow a line, a chat message and the cache's 64 limits a reading. */
const MAX_ADDITIONAL = 16;

function additionalOf(raw: unknown, dropped: string[]): RawAdditional[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    dropped.push("additional_rate_limits");
    return [];
  }
  if (raw.length > MAX_ADDITIONAL) dropped.push(`additional_rate_limits[${MAX_ADDITIONAL}+]`);
  const out: RawAdditional[] = [];
  raw.slice(0, MAX_ADDITIONAL).forEach((entry, i) => {
    const where = `additional_rate_limits[${i}]`;
    if (!isRecord(entry)) {
      dropped.push(where);
      return;
    }
    const part = partOf(entry.rate_limit, `${where}.rate_limit`, dropped);
    if (part) out.push({ name: nameOf(entry.limit_name), feature: identifierOf(entry.metered_feature), part });
  });
  return out;
}

function creditsOf(raw: unknown, dropped: string[]): ParsedUsage["credits"] {
  if (raw === undefined || raw === null) return null;
  if (!isRecord(raw) || typeof raw.has_credits !== "boolean" || typeof raw.unlimited !== "boolean") {
    dropped.push("credits");
    return null;
  }
  return {
    hasCredits: raw.has_credits,
    unlimited: raw.unlimited,
    balance: numeric(raw.balance),
    overageLimitReached: raw.overage_limit_reached === true,
  };
}

function reachedTypeOf(raw: unknown, dropped: string[]): string | null {
  if (raw === undefined || raw === null) return null;
  const type = isRecord(raw) ? identifierOf(raw.type) : null;
  if (type === null) dropped.push("rate_limit_reached_type");
  return type;
}

const isCount = (n: number | null, max: number): n is number => n !== null && Number.isInteger(n) && n >= 0 && n <= max;

/** available_count, and applicable_available_count (how many apply to the limits now) where the answer says. */
function resetCreditsOf(raw: unknown, dropped: string[]): Pick<ParsedUsage, "resetCredits" | "resetCreditsApplicable"> {
  const available = isRecord(raw) ? numeric(raw.available_count) : null;
  if (!isCount(available, 1000)) {
    if (raw !== undefined && raw !== null) dropped.push("rate_limit_reset_credits");
    return { resetCredits: null, resetCreditsApplicable: null };
  }
  const given = (raw as Record<string, unknown>).applicable_available_count;
  const applicable = given === undefined || given === null ? null : numeric(given);
  const valid = given === undefined || given === null || isCount(applicable, available);
  if (!valid) dropped.push("rate_limit_reset_credits.applicable_available_count");
  return { resetCredits: available, resetCreditsApplicable: valid ? applicable : null };
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const MAX_MODELS = 32;

/** model_usage: {<model slug>: {available, available_at?, credits_would_enable?}}; entries are named by index. */
function unavailableModelsOf(raw: unknown, dropped: string[]): RawUnavailableModel[] {
  if (raw === undefined || raw === null) return [];
  if (!isRecord(raw)) {
    dropped.push("model_usage");
    return [];
  }
  const out: RawUnavailableModel[] = [];
  const entries = Object.entries(raw);
  if (entries.length > MAX_MODELS) dropped.push(`model_usage[${MAX_MODELS}+]`);
  entries.slice(0, MAX_MODELS).forEach(([key, entry], i) => {
    const model = identifierOf(key);
    if (model === null || !isRecord(entry) || typeof entry.available !== "boolean") {
      dropped.push(`model_usage[${i}]`);
      return;
    }
    if (entry.available) return;
    const at = entry.available_at;
    const availableAt = typeof at === "string" && ISO_TIME.test(at) ? Date.parse(at) : Number.NaN;
    if (at !== undefined && at !== null && !Number.isFinite(availableAt))
      dropped.push(`model_usage[${i}].available_at`);
    out.push({
      model,
      availableAt: Number.isFinite(availableAt) ? availableAt : null,
      creditsWouldEnable: entry.credits_would_enable === true,
    });
  });
  return out;
}

/** Any JSON object passes; what is usable in it is decided by the normalizer. */
export function parseUsageJson(body: unknown): ParseUsageResult {
  if (!isRecord(body)) return { ok: false, reason: "wrong_schema" };
  const dropped: string[] = [];
  const mainLimit = partOf(body.rate_limit, "rate_limit", dropped);
  return {
    ok: true,
    value: {
      plan: planOf(body.plan_type),
      mainLimit,
      codeReview: partOf(body.code_review_rate_limit, "code_review_rate_limit", dropped),
      additional: additionalOf(body.additional_rate_limits, dropped),
      spend: spendOf(body.spend_control, body.rate_limit, dropped),
      credits: creditsOf(body.credits, dropped),
      reachedType: reachedTypeOf(body.rate_limit_reached_type, dropped),
      ...resetCreditsOf(body.rate_limit_reset_credits, dropped),
      unavailableModels: unavailableModelsOf(body.model_usage, dropped),
      dropped,
    },
  };
}
