import { randomBytes } from "node:crypto";
import { ExpiringMap } from "../lib/expiring-map.ts";

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

/** What a token stands for: the command, and the request whose reply carried the button (its agent, its sender). */
interface TokenTarget {
  command: string;
  agentId?: string;
  /** Who the button was shown to, and whether they could change auth profiles when they asked. */
  issuedTo?: { senderKey: string; canMutate: boolean };
  /** Only the sender it was issued to may tap it (a confirmation's buttons, a login check). */
  personal?: boolean;
}

export class CallbackTokens {
  readonly #ttlMs: number;
  readonly #commands: ExpiringMap<string, TokenTarget>;

  constructor(options: CallbackTokenOptions) {
    this.#ttlMs = options.ttlMs;
    this.#commands = new ExpiringMap({ maxEntries: options.maxEntries ?? 2000, now: options.now });
  }

  /** The callback value for a button that submits `command` when tapped. */
  issue(command: string, from: Omit<TokenTarget, "command"> = {}): string {
    let token = newToken();
    while (this.#commands.get(token) !== undefined) token = newToken();
    this.#commands.set(token, { command, ...from }, this.#commands.now() + this.#ttlMs);
    return `${CALLBACK_NAMESPACE}:${token}`;
  }

  /** The command for a token (the payload after "cxp:"), or null when unknown or expired. */
  resolve(token: string): string | null {
    return this.lookup(token)?.command ?? null;
  }

  lookup(token: string): TokenTarget | null {
    return this.#commands.get(token) ?? null;
  }

  get size(): number {
    return this.#commands.size;
  }
}

function newToken(): string {
  return randomBytes(6).toString("base64url");
}
