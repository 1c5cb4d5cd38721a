import type { LimitScope, UsageLimit, UsageReading, WindowKind } from "./model.ts";
import type { ParsedUsage, RawPart, RawSpend, WindowSnapshot } from "./usage-response.ts";
import { bindingLimit, bindingWindow } from "./verdict.ts";

const DAY = 86_400;
const TOLERANCE = 0.05;
/** Resets further than this from the answer's time are not believed. */
const HORIZON_MS = 2 * 366 * DAY * 1000;
/** A reset_at this far before the answer's time is a negative time until the reset (beyond clock skew): unknown. */
const PAST_GRACE_MS = 60_000;
/** reset_at and reset_after_seconds further apart than a slow answer explains: the host's clock is not the server's. */
const CLOCK_SKEW_MS = 90_000;
/** Beyond a day apart the two are not a clock that is off but a wrong answer: nothing else is moved by it. */
const MAX_CLOCK_OFFSET_MS = DAY * 1000;
const MAX_WINDOW_SECONDS = 2 * 366 * DAY;

const near = (seconds: number, target: number): boolean => Math.abs(seconds - target) <= target * TOLERANCE;

/** A window's kind by its length (±5 %), never by its slot: 5h, daily, weekly, ≥ 28 d monthly, ~365 d annual. */
export function classifyWindowSeconds(seconds: number): WindowKind {
  if (near(seconds, 18_000)) return "five_hour";
  if (near(seconds, DAY)) return "daily";
  if (near(seconds, 7 * DAY)) return "weekly";
  if (seconds >= 28 * DAY && seconds <= 31 * DAY * (1 + TOLERANCE)) return "monthly";
  if (near(seconds, 365 * DAY)) return "annual";
  return "other";
}

/** Whole percent used, as a line shows it: 100 only when the limit is spent, so 99.6 % used still shows 1 % left. */
const shownPercent = (used: number): number => (used >= 100 ? 100 : Math.min(99, Math.max(0, Math.round(used))));

interface Builder {
  limits: UsageLimit[];
  /** The keys in `limits`: a hostile answer's thousands of same-named limits must not cost a scan each. */
  keys: Set<string>;
  dropped: string[];
  fetchedAtMs: number;
  /** How far the server's clock is ahead of this host's (clockOffset), known before any reset is read. */
  readonly clockOffsetMs: number | null;
}

/**
 * An absolute reset in ms on this host's clock: reset_at, else (absent or not believable) now +
 * reset_after_seconds; null when the answer gave neither, or nothing it gave is believable (a negative time until
 * the reset, either way, is not: a reset already past when the answer came would show a spent limit as free): then
 * `where` is named in `dropped`. The limit itself is kept: hiding a spent window would show room it does not have.
 * Where the two disagree by more than CLOCK_SKEW_MS, this host's clock is off (a laptop's Docker VM after a sleep,
 * a board without a clock battery): the time until the reset, which every line shows, comes from
 * reset_after_seconds, reset_at is named in `dropped`, and a time the answer gives only as a moment (available_at,
 * a lone reset_at) is moved by the same offset.
 */
function resetAtMs(b: Builder, resetAt: number | null, resetAfter: number | null, where: string): number | null {
  const after = afterMs(b.fetchedAtMs, resetAfter);
  const given = resetAt === null ? null : resetAt * 1000;
  const believable = (ms: number | null): ms is number => believableAt(b.fetchedAtMs, ms);
  if (given !== null && believable(after) && Math.abs(given - after) > CLOCK_SKEW_MS && believable(given)) {
    b.dropped.push(`${where}.reset_at`);
    return after;
  }
  const at = given === null || after !== null ? given : given - (b.clockOffsetMs ?? 0);
  const sent = [at, after].filter((ms): ms is number => ms !== null);
  if (sent.length === 0) return null;
  const believed = sent.find(believable);
  if (believed === undefined) b.dropped.push(`${where}.reset`);
  return believed ?? null;
}

const afterMs = (fetchedAtMs: number, resetAfter: number | null): number | null =>
  resetAfter === null ? null : resetAfter >= 0 ? fetchedAtMs + resetAfter * 1000 : Number.NaN;

const believableAt = (fetchedAtMs: number, ms: number | null): ms is number =>
  ms !== null && Number.isFinite(ms) && ms >= fetchedAtMs - PAST_GRACE_MS && ms - fetchedAtMs <= HORIZON_MS;

/**
 * The clock offset (see NormalizeResult) from the first reset the answer gives both ways, learned before any reset is
 * read: a lone reset_at is moved by it wherever it stands in the answer.
 */
function clockOffset(parsed: ParsedUsage, fetchedAtMs: number): number | null {
  const windows = [parsed.mainLimit, ...parsed.additional.map((a) => a.part), parsed.codeReview].flatMap(
    (part) => part?.windows ?? [],
  );
  const pool = parsed.spend?.pool;
  const resets = [
    ...windows.map((w) => [w.reset_at, w.reset_after_seconds] as const),
    ...(pool ? [[pool.resetAt, pool.resetAfterSeconds] as const] : []),
  ];
  for (const [resetAt, resetAfter] of resets) {
    const after = afterMs(fetchedAtMs, resetAfter);
    if (resetAt === null || !believableAt(fetchedAtMs, after)) continue;
    const offset = resetAt * 1000 - after;
    if (Math.abs(offset) <= CLOCK_SKEW_MS) return 0;
    if (Math.abs(offset) <= MAX_CLOCK_OFFSET_MS) return offset;
  }
  return null;
}

/** "main:weekly", then "main:weekly:2" for a second weekly window of the same part. */
function uniqueKey(b: Builder, base: string): string {
  let key = base;
  for (let n = 2; b.keys.has(key); n++) key = `${base}:${n}`;
  b.keys.add(key);
  return key;
}

/** A window's key by its kind; an unusual length by its seconds (two such windows are not one kind repeated). */
const windowKey = (prefix: string, kind: WindowKind, seconds: number | null): string =>
  kind === "other" && seconds !== null ? `${prefix}:other_${Math.round(seconds)}` : `${prefix}:${kind}`;

/**
 * The window a part's limit_reached speaks for: its only one when it was sent with one; in a per-model or code-review
 * part, its fullest, as the main limit's flags are its fullest window's (verdict.ts bindingWindow). None when a
 * reached spend pool explains the main limit's flag.
 */
function flaggedWindow(part: RawPart, scope: LimitScope, poolReached: boolean): WindowSnapshot | null {
  if (part.limitReached !== true || (scope === "main" && (part.sent !== 1 || poolReached))) return null;
  const read = part.windows.filter((w) => Number.isFinite(w.used_percent));
  return read.reduce<WindowSnapshot | null>((a, w) => (a === null || w.used_percent > a.used_percent ? w : a), null);
}

function addWindows(
  b: Builder,
  part: RawPart,
  where: { scope: LimitScope; prefix: string; label: string; name: string | null; feature: string | null },
  poolReached = false,
): void {
  const flagged = flaggedWindow(part, where.scope, poolReached);
  part.windows.forEach((w: WindowSnapshot, i) => {
    if (!Number.isFinite(w.used_percent)) {
      b.dropped.push(`${where.label}.window[${i}]`);
      return;
    }
    // A length that is not one (0, negative, absent, beyond two years) leaves the window of unknown length: its
    // percent and reset still hold, and hiding a spent window would show room it does not have.
    const sent = w.limit_window_seconds;
    const seconds = sent !== null && sent > 0 && sent <= MAX_WINDOW_SECONDS ? sent : null;
    if (seconds === null) b.dropped.push(`${where.label}.window[${i}].limit_window_seconds`);
    const reset = resetAtMs(b, w.reset_at, w.reset_after_seconds, `${where.label}.window[${i}]`);
    const kind = seconds === null ? "other" : classifyWindowSeconds(seconds);
    const used = shownPercent(w.used_percent);
    const reached = w.used_percent >= 100 || w === flagged;
    b.limits.push({
      key: uniqueKey(b, windowKey(where.prefix, kind, seconds)),
      scope: where.scope,
      type: "window",
      kind,
      windowSeconds: seconds,
      name: where.name,
      feature: where.feature,
      usedPercent: used,
      leftPercent: 100 - used,
      resetAtMs: reset,
      reached,
      amounts: null,
    });
  });
}

/** The spend pool's used share: its percents, else its amounts. A limit of 0 leaves nothing to spend. */
function spendUsedPercent(p: RawSpend): number | null {
  if (p.usedPercent !== null) return p.usedPercent;
  if (p.remainingPercent !== null) return 100 - p.remainingPercent;
  if (p.limit === 0) return 100;
  if (p.limit !== null && p.limit > 0) {
    if (p.used !== null) return (p.used / p.limit) * 100;
    if (p.remaining !== null) return ((p.limit - p.remaining) / p.limit) * 100;
  }
  return null;
}

function addSpendPool(b: Builder, p: RawSpend): void {
  const used = spendUsedPercent(p);
  if (used === null || !Number.isFinite(used)) {
    b.dropped.push(p.source);
    return;
  }
  const reset = resetAtMs(b, p.resetAt, p.resetAfterSeconds, p.source);
  const percent = shownPercent(used);
  b.limits.push({
    key: uniqueKey(b, "main:spend"),
    scope: "main",
    type: "spend",
    kind: null,
    windowSeconds: null,
    name: null,
    feature: null,
    usedPercent: percent,
    leftPercent: 100 - percent,
    resetAtMs: reset,
    reached: p.reached || used >= 100,
    amounts: {
      limit: shownAmount(b, p.limit, `${p.source}.limit`),
      used: shownAmount(b, p.used, `${p.source}.used`),
      remaining: shownAmount(b, p.remaining, `${p.source}.remaining`),
    },
  });
}

/** No seat holds a billion credits or dollars: a larger amount is dropped (and named), never shown as 1e+308. */
const MAX_AMOUNT = 1e9;

function shownAmount(b: Builder, amount: number | null, where: string): number | null {
  if (amount === null || Math.abs(amount) <= MAX_AMOUNT) return amount;
  b.dropped.push(where);
  return null;
}

/**
 * clockOffsetMs: how far the server's clock is ahead of this host's (negative: behind), from the first reset the
 * answer gave both ways; 0 when they agree within CLOCK_SKEW_MS, null when no reset was given both ways or the two
 * are more than a day apart (a wrong answer, not a clock).
 */
export type NormalizeResult =
  | { ok: true; reading: UsageReading; dropped: string[]; clockOffsetMs: number | null }
  | { ok: false; dropped: string[] };

/**
 * One parsed answer → the reading. Out-of-range windows and pools are dropped, an unbelievable reset becomes an
 * unknown one (each named in `dropped`); the answer is invalid only when nothing usable is left and there was a
 * main limit to read (malformed), or when it carries nothing a usage answer has (no plan, no rate limit, no
 * credits, no spend control).
 */
export function normalizeUsage(parsed: ParsedUsage, fetchedAtMs: number): NormalizeResult {
  const b: Builder = {
    limits: [],
    keys: new Set(),
    dropped: [...parsed.dropped],
    fetchedAtMs,
    clockOffsetMs: clockOffset(parsed, fetchedAtMs),
  };
  if (parsed.mainLimit) {
    const pool = parsed.spend?.pool ?? null;
    const poolReached = parsed.spend?.reached === true || (pool !== null && (spendUsedPercent(pool) ?? 0) >= 100);
    const where = { scope: "main" as const, prefix: "main", label: "rate_limit", name: null, feature: null };
    addWindows(b, parsed.mainLimit, where, poolReached);
  }
  if (parsed.spend?.pool) addSpendPool(b, parsed.spend.pool);
  parsed.additional.forEach((a, i) => {
    const id = a.feature ?? `additional_${i + 1}`;
    const where = { scope: "model" as const, prefix: `model:${id}`, name: a.name, feature: a.feature };
    addWindows(b, a.part, { ...where, label: `additional_rate_limits[${i}]` });
  });
  if (parsed.codeReview) {
    const where = { scope: "code_review" as const, prefix: "code_review", name: null, feature: null };
    addWindows(b, parsed.codeReview, { ...where, label: "code_review_rate_limit" });
  }
  // A main limit was sent but none of it could be read: that answer is not to be trusted as "no limit", whatever
  // per-model or code-review limits came with it.
  const mainDropped = b.dropped.some(
    (d) => d === "rate_limit" || d.startsWith("rate_limit.") || d === "spend_control.individual_limit",
  );
  const noMain = !b.limits.some((l) => l.scope === "main");
  const credits = parsed.credits && {
    ...parsed.credits,
    balance: shownAmount(b, parsed.credits.balance, "credits.balance"),
  };
  const recognizable =
    parsed.plan !== null || parsed.mainLimit !== null || parsed.credits !== null || parsed.spend !== null;
  if ((noMain && mainDropped) || (b.limits.length === 0 && !recognizable)) return { ok: false, dropped: b.dropped };
  return {
    ok: true,
    dropped: b.dropped,
    clockOffsetMs: b.clockOffsetMs,
    reading: {
      plan: parsed.plan,
      fetchedAtMs,
      allowed: parsed.mainLimit?.allowed ?? true,
      limitReached: parsed.mainLimit?.limitReached ?? false,
      spendReached: parsed.spend?.reached ?? false,
      limits: b.limits,
      credits,
      resetCredits: parsed.resetCredits,
      resetCreditsApplicable: parsed.resetCreditsApplicable,
      reachedType: parsed.reachedType,
      unavailableModels: parsed.unavailableModels.map((m) => ({
        model: m.model,
        availableAtMs: resetAtMs(
          b,
          m.availableAt === null ? null : m.availableAt / 1000,
          null,
          `model_usage.${m.model}`,
        ),
        creditsWouldEnable: m.creditsWouldEnable,
      })),
    },
  };
}

/**
 * The reading as seen at `nowMs` (e.g. from the cache): a limit whose reset has passed counts as 0 % used and
 * not reached; its reset time is kept as the endpoint said (the next one is not invented). The answer's flags
 * speak of the limit that held the account back: allowed=false and limit_reached stop holding once its fullest
 * main window has reset (its spend pool's when it has no window), spend_control.reached once its spend pool has;
 * another limit's reset lifts nothing.
 */
export function readingAt(reading: UsageReading, nowMs: number): UsageReading {
  const passed = (l: UsageLimit): boolean => l.resetAtMs !== null && l.resetAtMs <= nowMs;
  const limits = reading.limits.map((l) =>
    passed(l) ? { ...l, usedPercent: 0, leftPercent: 100, reached: false } : l,
  );
  const fullest = bindingWindow(reading) ?? bindingLimit(reading);
  const pool = reading.limits.find((l) => l.scope === "main" && l.type === "spend");
  const blockerReset = fullest !== null && passed(fullest);
  return {
    ...reading,
    limits,
    allowed: reading.allowed || blockerReset,
    limitReached: reading.limitReached && !blockerReset,
    spendReached: reading.spendReached && !(pool !== undefined && passed(pool)),
    unavailableModels: reading.unavailableModels.filter((m) => m.availableAtMs === null || m.availableAtMs > nowMs),
  };
}
