/**
 * Days (or a week) of Codex usage on several accounts, minute by minute, for the rotation tests and benchmark.
 * The user works on whatever profile OpenClaw tries first; when that one is used up, OpenClaw fails
 * over to the next usable one in the order (those minutes are counted: an exhausted profile was first).
 * 5h windows start at the first use after a reset, as Codex's do; weekly windows reset at fixed times.
 */
import type { UsageCheck } from "../../src/usage/types.ts";
import { checkOf, usageFromBody } from "./usage-report-builders.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
const FIVE_H = 5 * HOUR;
const WEEK = 7 * 24 * HOUR;

export interface DayAccountSpec {
  id: string;
  userId: string;
  weeklyUsed: number;
  weeklyResetInH: number;
}

const DAY_ACCOUNTS: DayAccountSpec[] = [
  { id: "openai:alice@example.com", userId: "user-alice", weeklyUsed: 40, weeklyResetInH: 30 },
  { id: "openai:bob@example.com", userId: "user-bob", weeklyUsed: 75, weeklyResetInH: 96 },
  { id: "openai:carol@example.com", userId: "user-carol", weeklyUsed: 20, weeklyResetInH: 144 },
  { id: "openai:dave@example.com", userId: "user-dave", weeklyUsed: 55, weeklyResetInH: 48 },
];

/** Percent of a 5h window burnt per minute of work, by hour of the simulated day. */
function demandPerMinute(hourOfDay: number): number {
  if (hourOfDay < 7) return 0.02;
  if (hourOfDay < 12) return 0.8;
  if (hourOfDay < 13) return 0.05;
  if (hourOfDay < 19) return 0.9;
  if (hourOfDay < 23) return 0.5;
  return 0.05;
}
export const WEEKLY_PER_FIVE_H = 0.15;

/** Percent of a 5h window burnt in the minute at t (ms since the start). */
export type Demand = (sinceStartMs: number) => number;

const dayDemand: Demand = (since) => demandPerMinute((since / HOUR) % 24);

/** Weekly quota left unused when a week reset: it lapsed. */
export interface Lapse {
  id: string;
  at: number;
  /** Weekly percent that was still left. */
  left: number;
}

interface AccountState {
  spec: DayAccountSpec;
  fiveUsed: number;
  fiveResetAt: number | null;
  weeklyUsed: number;
  weeklyResetAt: number;
}

export class UsageDay {
  readonly start: number;
  now: number;
  readonly accounts: AccountState[];
  /** Minutes in which the first profile of the order was used up while another one was usable. */
  exhaustedFirstMinutes = 0;
  /** Minutes in which no profile at all was usable. */
  noneUsableMinutes = 0;
  /** Demand (5h percent) that found no usable profile. */
  unservedDemand = 0;
  readonly lapses: Lapse[] = [];
  readonly demand: Demand;

  constructor(start: number, specs: DayAccountSpec[] = DAY_ACCOUNTS, demand: Demand = dayDemand) {
    this.start = start;
    this.demand = demand;
    this.now = start;
    this.accounts = specs.map((spec) => ({
      spec,
      fiveUsed: 0,
      fiveResetAt: null,
      weeklyUsed: spec.weeklyUsed,
      weeklyResetAt: start + spec.weeklyResetInH * HOUR,
    }));
  }

  private roll(a: AccountState, t: number): void {
    if (a.fiveResetAt !== null && a.fiveResetAt <= t) {
      a.fiveUsed = 0;
      a.fiveResetAt = null;
    }
    while (a.weeklyResetAt <= t) {
      this.lapses.push({ id: a.spec.id, at: a.weeklyResetAt, left: 100 - a.weeklyUsed });
      a.weeklyUsed = 0;
      a.weeklyResetAt += WEEK;
    }
  }

  usable(id: string, t = this.now): boolean {
    const a = this.account(id);
    this.roll(a, t);
    return a.fiveUsed < 100 && a.weeklyUsed < 100;
  }

  /** Percent left in the 5h and weekly windows at t. */
  left(id: string, t = this.now): { five: number; weekly: number } {
    const a = this.account(id);
    this.roll(a, t);
    return { five: 100 - a.fiveUsed, weekly: 100 - a.weeklyUsed };
  }

  anyUsable(t = this.now): boolean {
    return this.accounts.some((a) => this.usable(a.spec.id, t));
  }

  private account(id: string): AccountState {
    const a = this.accounts.find((x) => x.spec.id === id || x.spec.userId === id);
    if (!a) throw new Error(`unknown account ${id}`);
    return a;
  }

  /** Moves the clock to t, minute by minute, the user working on the order's first usable profile. */
  advanceTo(t: number, order: string[]): void {
    while (this.now + MIN <= t) {
      this.now += MIN;
      const usableIds = order.filter((id) => this.usable(id));
      const first = order[0];
      const burn = this.demand(this.now - this.start);
      if (usableIds.length === 0) {
        if (this.anyUsable()) this.exhaustedFirstMinutes++;
        else this.noneUsableMinutes++;
        this.unservedDemand += burn;
        continue;
      }
      if (first !== undefined && usableIds[0] !== first) this.exhaustedFirstMinutes++;
      const a = this.account(usableIds[0] as string);
      if (a.fiveResetAt === null) a.fiveResetAt = this.now + FIVE_H;
      a.fiveUsed = Math.min(100, a.fiveUsed + burn);
      a.weeklyUsed = Math.min(100, a.weeklyUsed + burn * WEEKLY_PER_FIVE_H);
    }
  }

  private windows(
    a: AccountState,
    t: number,
  ): { five: { used: number; resetAt: number }; weekly: { used: number; resetAt: number } } {
    this.roll(a, t);
    return {
      five: { used: a.fiveUsed, resetAt: a.fiveResetAt ?? t + FIVE_H },
      weekly: { used: a.weeklyUsed, resetAt: a.weeklyResetAt },
    };
  }

  /** The wham/usage body the account would get at time t. */
  body(userId: string, t = this.now): Record<string, unknown> {
    const a = this.account(userId);
    const w = this.windows(a, t);
    const win = (used: number, limit: number, resetAt: number) => ({
      used_percent: Math.round(used * 10) / 10,
      limit_window_seconds: limit,
      reset_after_seconds: Math.max(0, Math.round((resetAt - t) / 1000)),
      reset_at: Math.floor(resetAt / 1000),
    });
    const reached = w.five.used >= 100 || w.weekly.used >= 100;
    return {
      plan_type: "plus",
      rate_limit: {
        allowed: !reached,
        limit_reached: reached,
        primary_window: win(w.five.used, 18_000, w.five.resetAt),
        secondary_window: win(w.weekly.used, 604_800, w.weekly.resetAt),
      },
    };
  }

  /** The same readings as a usage check (through the real normalizer), for loops that skip HTTP (the benchmark). */
  report(order: string[], t = this.now): UsageCheck {
    const profiles = this.accounts.map((a) => {
      const idx = order.indexOf(a.spec.id);
      const label = a.spec.id.slice(a.spec.id.indexOf(":") + 1);
      return usageFromBody(label, this.body(a.spec.userId, t), {
        profileId: a.spec.id,
        nowMs: t,
        fetchedAtMs: t,
        local: { orderIndex: idx === -1 ? null : idx, accountId: null },
      });
    });
    return checkOf(profiles, t);
  }
}

export interface FirstChange {
  at: number;
  from: string | undefined;
  to: string | undefined;
}

/** A→B→A within the window: the order went back to a profile it had just left. */
export function reversals(changes: FirstChange[], windowMs = HOUR): FirstChange[] {
  const out: FirstChange[] = [];
  for (let i = 1; i < changes.length; i++) {
    const prev = changes[i - 1] as FirstChange;
    const cur = changes[i] as FirstChange;
    if (cur.to === prev.from && cur.at - prev.at <= windowMs) out.push(cur);
  }
  return out;
}
