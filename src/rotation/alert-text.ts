import { limitNameOf } from "../format/forecast-line.ts";
import { poolSentence } from "../format/pool-line.ts";
import { formatDuration } from "../format/vocabulary.ts";
import { inlineName } from "../lib/display-text.ts";
import type { AlertCondition } from "./alerts.ts";

const inTime = (atMs: number, now: number): string => formatDuration(Math.max(0, atMs - now) / 1000);

/** One chat line per alert, e.g. "⚠️ Codex: work (first in the order) runs out of its 5h limit in ~40m …". */
export function alertText(c: AlertCondition, now: number): string {
  switch (c.kind) {
    case "runs-dry": {
      const name = limitNameOf(c.limit, [c.limit]);
      const resets = c.resetAtMs === null ? "its reset is unknown" : `it resets in ${inTime(c.resetAtMs, now)}`;
      const usedUp = c.limit.basis === "exhausted" || c.limit.exhaustsAtMs === null || c.limit.exhaustsAtMs <= now;
      const what = usedUp
        ? `has used up its ${name} limit`
        : `runs out of its ${name} limit in ~${inTime(c.limit.exhaustsAtMs ?? now, now)} at this pace`;
      const then = !c.onCredits ? "" : usedUp ? " and goes on with credits" : ", then goes on with credits";
      return `⚠️ Codex: ${inlineName(c.label)} (first in the order) ${what}${then}; ${resets}.`;
    }
    case "pool-short":
      return `⚠️ Codex: ${poolSentence(c.pool, now).replace(/^The pool/, "the pool")}`;
    case "unavailable":
      return `⚠️ Codex alerts cannot read usage (${c.code}): ${c.message}`;
    case "relogin":
      return `🔴 Codex: ${inlineName(c.label)} needs a new login (${c.code}). ${c.hint}`;
  }
}
