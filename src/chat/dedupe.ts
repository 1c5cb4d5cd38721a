/**
 * Runs the same request from the same sender once per window. One guard serves every channel, so a
 * request repeated through another path (a button tap, a retyped command) is caught too. Memory is
 * bounded: the oldest entries are dropped first once maxEntries is reached.
 */
export type DedupeDecision =
  | { run: true; finish: () => void }
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
  readonly #now: () => number;
  readonly #maxEntries: number;
  // Insertion order doubles as age order: an entry is re-inserted whenever it starts again.
  readonly #entries = new Map<string, Entry>();

  constructor(options: DuplicateGuardOptions) {
    this.#windowMs = options.windowMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  /** senderKey identifies the person, request the normalized command (e.g. "usage:all"). */
  begin(senderKey: string, request: string): DedupeDecision {
    const now = this.#now();
    const key = `${senderKey}\u0000${request}`;
    if (this.#windowMs > 0) {
      const seen = this.#entries.get(key);
      if (seen) {
        if (seen.finishedAt === null) return { run: false, state: "running", ageMs: now - seen.startedAt };
        if (now - seen.startedAt < this.#windowMs) return { run: false, state: "recent", ageMs: now - seen.startedAt };
      }
    }
    this.#prune(now);
    const entry: Entry = { startedAt: now, finishedAt: null };
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return {
      run: true,
      finish: () => {
        entry.finishedAt = this.#now();
      },
    };
  }

  get size(): number {
    return this.#entries.size;
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      const expired = entry.finishedAt !== null && now - entry.startedAt >= this.#windowMs;
      if (expired) this.#entries.delete(key);
    }
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
