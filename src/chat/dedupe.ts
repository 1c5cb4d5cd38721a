import { ExpiringMap } from "../lib/expiring-map.ts";

// A request still running after this long has hung: it no longer holds its repeat back.
const RUNNING_MAX_MS = 10 * 60_000;

/**
 * Runs the same request from the same sender once per window. One guard serves every channel, so a
 * request repeated through another path (a button tap, a retyped command) is caught too. Memory is
 * bounded: the oldest entries are dropped first once maxEntries is reached. A running request holds its
 * repeats back for up to 10 minutes (longer, it has hung: a repeat runs); an answered one is forgotten once its
 * window (from its start) has passed, a failed one at once (its retry must run).
 */
export type DedupeDecision =
  | { run: true; finish: (outcome?: "answered" | "failed") => void }
  | { run: false; state: "running" | "recent"; ageMs: number };

export interface DuplicateGuardOptions {
  windowMs: number;
  now?: () => number;
  maxEntries?: number;
}

interface Entry {
  startedAt: number;
  finishedAt: number | null;
}

export class DuplicateGuard {
  readonly #windowMs: number;
  readonly #entries: ExpiringMap<string, Entry>;

  constructor(options: DuplicateGuardOptions) {
    this.#windowMs = options.windowMs;
    this.#entries = new ExpiringMap({ maxEntries: options.maxEntries ?? 1000, now: options.now });
  }

  /** senderKey identifies the person, request the normalized command (e.g. "usage:all"). */
  begin(senderKey: string, request: string): DedupeDecision {
    const now = this.#entries.now();
    const key = `${senderKey}\u0000${request}`;
    if (this.#windowMs > 0) {
      const seen = this.#entries.get(key);
      if (seen)
        return { run: false, state: seen.finishedAt === null ? "running" : "recent", ageMs: now - seen.startedAt };
    }
    const entry: Entry = { startedAt: now, finishedAt: null };
    this.#entries.set(key, entry, now + RUNNING_MAX_MS);
    return {
      run: true,
      finish: (outcome = "answered") => {
        entry.finishedAt = this.#entries.now();
        if (this.#entries.get(key) !== entry) return;
        if (outcome === "failed") this.#entries.delete(key);
        else this.#entries.expireAt(key, entry.startedAt + this.#windowMs);
      },
    };
  }

  get size(): number {
    return this.#entries.size;
  }
}
