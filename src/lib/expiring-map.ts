/**
 * A bounded map whose entries expire: callback tokens, duplicate suppression and pending confirmations all
 * live on it. Insertion order is age order; once `maxEntries` is reached the oldest entries go first.
 */
export interface ExpiringMapOptions {
  maxEntries: number;
  now?: () => number;
}

interface Slot<V> {
  value: V;
  expiresAt: number;
}

export class ExpiringMap<K, V> {
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #slots = new Map<K, Slot<V>>();

  constructor(options: ExpiringMapOptions) {
    this.#maxEntries = options.maxEntries;
    this.#now = options.now ?? Date.now;
  }

  now(): number {
    return this.#now();
  }

  /** Stores the value as the newest entry until `expiresAt` (ms epoch; Infinity = until deleted or evicted). */
  set(key: K, value: V, expiresAt: number): void {
    this.#prune(this.#now());
    this.#slots.delete(key);
    this.#slots.set(key, { value, expiresAt });
  }

  /** Changes when an entry expires, keeping its age. */
  expireAt(key: K, expiresAt: number): void {
    const slot = this.#slots.get(key);
    if (slot) slot.expiresAt = expiresAt;
  }

  /** The live value; an expired entry is dropped and reads as undefined. */
  get(key: K): V | undefined {
    const slot = this.#slots.get(key);
    if (!slot) return undefined;
    if (slot.expiresAt <= this.#now()) {
      this.#slots.delete(key);
      return undefined;
    }
    return slot.value;
  }

  delete(key: K): boolean {
    return this.#slots.delete(key);
  }

  get size(): number {
    return this.#slots.size;
  }

  #prune(now: number): void {
    for (const [key, slot] of this.#slots) if (slot.expiresAt <= now) this.#slots.delete(key);
    while (this.#slots.size >= this.#maxEntries) {
      const oldest = this.#slots.keys().next();
      if (oldest.done) break;
      this.#slots.delete(oldest.value);
    }
  }
}
