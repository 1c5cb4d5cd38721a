import { randomBytes } from "node:crypto";
import type { AuthRequest } from "./services.ts";

/**
 * One confirmation waiting per sender: a planned mutation (or login) that runs only after "yes".
 * A hard delete needs two confirmations. Entries expire and the map is bounded.
 */
export type PendingKind = "mutation" | "login";

export interface PendingConfirmation {
  id: string;
  kind: PendingKind;
  request: AuthRequest;
  /** Confirmations still needed: 2 for a hard delete, else 1. */
  confirmationsLeft: number;
  /** What the confirmation is about, for the second prompt. */
  summary: string;
  expiresAt: number;
}

export interface PendingOptions {
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
}

export class PendingConfirmations {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #bySender = new Map<string, PendingConfirmation>();
  readonly #logins = new Map<string, { sessionId: string; expiresAt: number }>();

  constructor(options: PendingOptions) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 500;
  }

  put(senderKey: string, entry: Omit<PendingConfirmation, "id" | "expiresAt">): PendingConfirmation {
    const now = this.#now();
    prune(this.#bySender, now, this.#maxEntries);
    const full: PendingConfirmation = { ...entry, id: randomBytes(4).toString("hex"), expiresAt: now + this.#ttlMs };
    this.#bySender.delete(senderKey);
    this.#bySender.set(senderKey, full);
    return full;
  }

  /** Removes and returns the sender's pending confirmation; with an id, only when it matches. */
  take(senderKey: string, id?: string): PendingConfirmation | null {
    const entry = this.#bySender.get(senderKey);
    if (!entry || entry.expiresAt <= this.#now() || (id !== undefined && id !== entry.id)) return null;
    this.#bySender.delete(senderKey);
    return entry;
  }

  cancel(senderKey: string): boolean {
    return this.#bySender.delete(senderKey);
  }

  rememberLogin(senderKey: string, sessionId: string, ttlMs: number): void {
    const now = this.#now();
    prune(this.#logins, now, this.#maxEntries);
    this.#logins.delete(senderKey);
    this.#logins.set(senderKey, { sessionId, expiresAt: now + ttlMs });
  }

  loginSession(senderKey: string): string | null {
    const entry = this.#logins.get(senderKey);
    if (!entry || entry.expiresAt <= this.#now()) return null;
    return entry.sessionId;
  }

  forgetLogin(senderKey: string): void {
    this.#logins.delete(senderKey);
  }
}

function prune<T extends { expiresAt: number }>(map: Map<string, T>, now: number, max: number): void {
  for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
  while (map.size >= max) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
