/**
 * The week the rotation policies are compared on: four Plus-like accounts whose weekly windows reset on
 * different days, and heavy, bursty demand from a seeded generator (the same week for every policy).
 */
import { type DayAccountSpec, type Demand, WEEKLY_PER_FIVE_H } from "./rotation-day.ts";

const MIN = 60_000;
const HOUR = 60 * MIN;
export const WEEK_HOURS = 168;

export const WEEK_ACCOUNTS: DayAccountSpec[] = [
  { id: "openai:alice@example.com", userId: "user-alice", weeklyUsed: 35, weeklyResetInH: 26 },
  { id: "openai:bob@example.com", userId: "user-bob", weeklyUsed: 10, weeklyResetInH: 150 },
  { id: "openai:carol@example.com", userId: "user-carol", weeklyUsed: 50, weeklyResetInH: 70 },
  { id: "openai:dave@example.com", userId: "user-dave", weeklyUsed: 20, weeklyResetInH: 112 },
];

/** A small seeded PRNG (mulberry32): the same week on every run and for every policy. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Work sessions: two to four a day between 07:00 and 23:00, 45 minutes to 4 hours each, each burning 0.5–1.5 %
 * of a 5h window per minute (overlapping sessions add up: bursts).
 */
export function weekDemand(seed = 7, days = 7): Demand {
  const next = random(seed);
  const perMinute = new Float64Array(days * 24 * 60);
  for (let d = 0; d < days; d++) {
    const sessions = 2 + Math.floor(next() * 3);
    for (let s = 0; s < sessions; s++) {
      const startMin = d * 1440 + Math.floor((7 + next() * 16) * 60);
      const length = 45 + Math.floor(next() * 195);
      const rate = 0.5 + next();
      for (let m = startMin; m < Math.min(startMin + length, perMinute.length); m++)
        perMinute[m] = (perMinute[m] ?? 0) + rate;
    }
  }
  return (since) => perMinute[Math.floor(since / MIN)] ?? 0;
}

/**
 * The least weekly quota any policy could let lapse on this demand: serve every minute from the account
 * whose week resets soonest (earliest deadline first, optimal when only the weekly quota binds), ignoring
 * the 5h windows, which only take choices away. A lower bound, in percent of one account-week.
 */
export function lapseLowerBound(specs: DayAccountSpec[], demand: Demand, hours = WEEK_HOURS): number {
  const left = specs.map((s) => ({ left: 100 - s.weeklyUsed, resetAt: s.weeklyResetInH * HOUR }));
  let lapsed = 0;
  for (let t = MIN; t <= hours * HOUR; t += MIN) {
    for (const a of left) {
      if (a.resetAt <= t) {
        lapsed += a.left;
        a.left = 100;
        a.resetAt += WEEK_HOURS * HOUR;
      }
    }
    let need = demand(t) * WEEKLY_PER_FIVE_H;
    for (const a of [...left].sort((x, y) => x.resetAt - y.resetAt)) {
      const take = Math.min(need, a.left);
      a.left -= take;
      need -= take;
      if (need <= 0) break;
    }
  }
  return lapsed;
}
