import type { ChatLogger, ProgressSender, ReplySender } from "../chat/deps.ts";
import type { CommandContextLike, CommandRequest } from "../chat/request.ts";
import { errorMessage } from "../secrets/redact.ts";
import type { OutboundAdapterLike, PluginApiLike } from "./api-types.ts";

/**
 * Messages of our own, sent through the channel's outbound adapter: the progress message before the work
 * starts, and a button tap's answer on channels whose tap handler cannot hand the command back to OpenClaw.
 * Web chat has no outbound adapter for a non-bundled plugin (chat.inject is refused), so there the single
 * final reply stands alone; a failed send never stops the run.
 */
export function outboundProgress(api: PluginApiLike, logger: ChatLogger, deadlineMs = 10_000): ProgressSender {
  return {
    async send(request, text) {
      const to = progressTarget(request.context);
      if (!to) return false;
      const sent = send(api, logger, request, "progress message", async (adapter, base) => {
        if (!adapter.sendText) return false;
        await adapter.sendText({ ...base, to, text });
        return true;
      });
      // A send the channel never answers (a stalled connection) does not hold the command: the work goes on.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), deadlineMs);
      });
      return Promise.race([sent, late]).finally(() => clearTimeout(timer));
    },
  };
}

export function outboundReplies(api: PluginApiLike, logger: ChatLogger): ReplySender {
  return {
    async send(request, result) {
      const to = request.context.to;
      if (!to) return false;
      return send(api, logger, request, "answer", async (adapter, base) => {
        if (!adapter.sendPayload) return false;
        const payload = {
          text: result.text ?? "",
          ...(result.presentation ? { presentation: result.presentation } : {}),
        };
        await adapter.sendPayload({ ...base, to, payload });
        return true;
      });
    },
  };
}

/**
 * Where the progress message goes: where the reply will go. A typed command answers in `ctx.to`. A
 * native slash command answers the interaction and its `ctx.to` is "slash:<user id>", no conversation:
 * - Discord in a DM: the DM's channel id is `ctx.channelId` (only on this path; a typed message says
 *   "discord" there), so "channel:<id>" is where the reply appears;
 * - Discord in a guild channel: the reply is ephemeral (only the caller sees it) and Discord already
 *   shows the caller "thinking…"; a progress message there would be public, so none is sent;
 * - Slack: the context has no conversation id at all (the reply goes to Slack's response_url), so none.
 */
export function progressTarget(ctx: CommandContextLike): string | null {
  if (ctx.channel === "webchat" || !ctx.to) return null;
  if (!ctx.to.startsWith("slash:")) return ctx.to;
  const inDm = ctx.from === `discord:${ctx.senderId}`;
  if (ctx.channel === "discord" && inDm && ctx.channelId && /^\d+$/.test(ctx.channelId))
    return `channel:${ctx.channelId}`;
  return null;
}

type AdapterCall = (
  adapter: OutboundAdapterLike,
  base: { cfg: unknown; accountId?: string; threadId?: string | number },
) => Promise<boolean>;

async function send(
  api: PluginApiLike,
  logger: ChatLogger,
  request: CommandRequest,
  what: string,
  call: AdapterCall,
): Promise<boolean> {
  const ctx = request.context;
  const loadAdapter = api.runtime?.channel?.outbound?.loadAdapter;
  if (!loadAdapter) return false;
  try {
    const adapter = await loadAdapter(request.channel);
    if (!adapter) return false;
    return await call(adapter, {
      cfg: ctx.config,
      ...(ctx.accountId ? { accountId: ctx.accountId } : {}),
      ...(ctx.messageThreadId !== undefined ? { threadId: ctx.messageThreadId } : {}),
    });
  } catch (error) {
    logger.warn(`codex-profiler: ${what} on ${request.channel} failed: ${errorMessage(error)}`);
    return false;
  }
}
