import { randomBytes } from "node:crypto";

/**
 * Telegram callback_data is at most 64 bytes, and OpenClaw wraps a callback value as
 * "tgcb1:<5-char checksum>:<value>" (12 bytes). Buttons therefore carry "cxp:<token>" and the token
 * maps to the full command text here. Tokens expire and the map is bounded.
 */
export const CALLBACK_NAMESPACE = "cxp";
export const MAX_CALLBACK_VALUE_BYTES = 64 - "tgcb1:00000:".length;

export interface CallbackTokenOptions {
  ttlMs: number;
  now?: () => number;
  maxEntries?: number;
}

interface Issued {
  command: string;
  expiresAt: number;
}

export class CallbackTokens {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #maxEntries: number;
  readonly #byToken = new Map<string, Issued>();

  constructor(options: CallbackTokenOptions) {
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
    this.#maxEntries = options.maxEntries ?? 2000;
  }

  /** The callback value for a button that submits `command` when tapped. */
  issue(command: string): string {
    const now = this.#now();
    this.#prune(now);
    let token = newToken();
    while (this.#byToken.has(token)) token = newToken();
    this.#byToken.set(token, { command, expiresAt: now + this.#ttlMs });
    return `${CALLBACK_NAMESPACE}:${token}`;
  }

  /** The command for a token (the payload after "cxp:"), or null when unknown or expired. */
  resolve(token: string): string | null {
    const issued = this.#byToken.get(token);
    if (!issued) return null;
    if (issued.expiresAt <= this.#now()) {
      this.#byToken.delete(token);
      return null;
    }
    return issued.command;
  }

  get size(): number {
    return this.#byToken.size;
  }

  #prune(now: number): void {
    for (const [token, issued] of this.#byToken) if (issued.expiresAt <= now) this.#byToken.delete(token);
    while (this.#byToken.size >= this.#maxEntries) {
      const oldest = this.#byToken.keys().next();
      if (oldest.done) break;
      this.#byToken.delete(oldest.value);
    }
  }
}

function newToken(): string {
  return randomBytes(6).toString("base64url");
}
