import { randomBytes } from "node:crypto";
import { ExpiringMap } from "../lib/expiring-map.ts";
import type { AuthRequest } from "./services.ts";

/**
 * One confirmation waiting per sender: a planned mutation (or login) that runs only after "yes".
 * A hard delete needs two confirmations. Entries expire and the maps are bounded.
 */
type PendingKind = "mutation" | "login";

export interface PendingConfirmation {
  id: string;
  kind: PendingKind;
  request: AuthRequest;
  /** Confirmations still needed: 2 for a hard delete, else 1. */
  confirmationsLeft: number;
  /** What the confirmation is about, for the second prompt. */
  summary: string;
  /** The progress note sent the moment the change is confirmed. */
  applyNote?: string;
  /** A hard delete's first ask, still on screen under its own id: its Cancel cancels this plan too. */
  firstAskId?: string;
}

export interface PendingOptions {
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
}

export class PendingConfirmations {
  readonly #ttlMs: number;
  readonly #bySender: ExpiringMap<string, PendingConfirmation>;
  readonly #logins: ExpiringMap<string, string>;
  /** Who each plan id was made for, kept for its lifetime even once replaced: someone else's id is never theirs. */
  readonly #owners: ExpiringMap<string, string>;

  constructor(options: PendingOptions) {
    this.#ttlMs = options.ttlMs;
    const map = { maxEntries: options.maxEntries ?? 500, now: options.now };
    this.#bySender = new ExpiringMap(map);
    this.#logins = new ExpiringMap(map);
    this.#owners = new ExpiringMap(map);
  }

  put(senderKey: string, entry: Omit<PendingConfirmation, "id">): PendingConfirmation {
    const full: PendingConfirmation = { ...entry, id: randomBytes(4).toString("hex") };
    const expires = this.#bySender.now() + this.#ttlMs;
    this.#bySender.set(senderKey, full, expires);
    this.#owners.set(full.id, senderKey, expires);
    return full;
  }

  /** Whether a plan id was made for someone other than this sender (and is not yet expired). */
  isOthers(senderKey: string, id: string): boolean {
    const owner = this.#owners.get(id);
    return owner !== undefined && owner !== senderKey;
  }

  /** Removes and returns the sender's pending confirmation; with an id, only when it matches. */
  take(senderKey: string, id?: string): PendingConfirmation | null {
    const entry = this.#bySender.get(senderKey);
    if (!entry || (id !== undefined && id !== entry.id)) return null;
    this.#bySender.delete(senderKey);
    return entry;
  }

  /**
   * Drops the sender's pending confirmation; with an id, only when it is this plan's (its own, or its first ask's:
   * either message of one delete cancels it). A confirm, by contrast, takes only the latest ask's id.
   */
  cancel(senderKey: string, id?: string): boolean {
    return this.take(senderKey, this.isFirstAsk(senderKey, id) ? undefined : id) !== null;
  }

  /** Whether the id is the first ask of the hard delete now waiting for its second confirmation. */
  isFirstAsk(senderKey: string, id: string | undefined): boolean {
    return id !== undefined && this.#bySender.get(senderKey)?.firstAskId === id;
  }

  rememberLogin(senderKey: string, sessionId: string, ttlMs: number): void {
    this.#logins.set(senderKey, sessionId, this.#logins.now() + ttlMs);
  }

  loginSession(senderKey: string): string | null {
    return this.#logins.get(senderKey) ?? null;
  }

  forgetLogin(senderKey: string): void {
    this.#logins.delete(senderKey);
  }
}
