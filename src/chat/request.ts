import { ExpiringMap } from "../lib/expiring-map.ts";
import type { PluginSettings } from "./settings.ts";

/**
 * The parts of OpenClaw's PluginCommandContext (2026.9) the handlers read. Structural on purpose:
 * nothing is imported from the openclaw package at runtime, and older hosts that lack a field
 * simply leave it undefined.
 */
export interface CommandContextLike {
  senderId?: string;
  channel: string;
  channelId?: string;
  isAuthorizedSender: boolean;
  senderIsOwner?: boolean;
  gatewayClientScopes?: string[];
  agentId?: string;
  args?: string;
  commandBody?: string;
  config?: unknown;
  from?: string;
  to?: string;
  accountId?: string;
  messageThreadId?: string | number;
}

/** One command invocation, reduced to what the handlers decide on. */
export interface CommandRequest {
  channel: string;
  /** Who asked: the same person gets the same key on every path of one channel. */
  senderKey: string;
  args: string;
  agentId: string | undefined;
  /** May this sender change auth profiles? */
  canMutate: boolean;
  context: CommandContextLike;
}

export function toCommandRequest(ctx: CommandContextLike, settings: PluginSettings): CommandRequest {
  const sender = senderKeyOf(ctx);
  return {
    channel: ctx.channel,
    senderKey: sender,
    args: normalizeArgs(ctx.args ?? ""),
    agentId: settings.agentId ?? ctx.agentId,
    canMutate: mayMutate(ctx, sender, settings),
    context: ctx,
  };
}

function normalizeArgs(args: string): string {
  return args.trim().replace(/\s+/g, " ");
}

/**
 * "telegram:424242" and "424242" are the same Telegram user (From vs senderId), so the channel
 * prefix is dropped; the channel is kept apart from the id so two channels' ids cannot collide.
 */
function senderKeyOf(ctx: CommandContextLike): string {
  const raw = ctx.senderId ?? ctx.from ?? "anonymous";
  const prefix = `${ctx.channel}:`;
  const id = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  return `${ctx.channel}:${canonicalSenderId(ctx.channel, id)}`;
}

/**
 * Slack user ids are upper-case ("U0TESS00001"), but OpenClaw 2026.9 hands a command the id lower-cased
 * and a button tap the id as Slack sent it; one person must get one key (dedupe, confirmations).
 */
function canonicalSenderId(channel: string, id: string): string {
  return channel === "slack" ? id.toUpperCase() : id;
}

/**
 * Mutations need an authorized sender that the host did not mark as a non-owner; gateway clients
 * (web chat) also need a write or admin scope; and when mutationAllowFrom is set, the sender must be on it.
 */
function mayMutate(ctx: CommandContextLike, senderKey: string, settings: PluginSettings): boolean {
  if (!ctx.isAuthorizedSender) return false;
  if (ctx.senderIsOwner === false) return false;
  if (ctx.gatewayClientScopes && !ctx.gatewayClientScopes.some((s) => s === "operator.write" || s === "operator.admin"))
    return false;
  if (settings.mutationAllowFrom) {
    const bare = senderKey.slice(ctx.channel.length + 1);
    const prefix = `${ctx.channel}:`;
    for (const entry of settings.mutationAllowFrom) {
      const id = entry.startsWith(prefix) ? entry.slice(prefix.length) : entry;
      if (canonicalSenderId(ctx.channel, id) === bare) return true;
    }
    return false;
  }
  return true;
}

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
