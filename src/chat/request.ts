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
