import type { ChatLogger, ProgressSender } from "../chat/deps.ts";
import { redactText } from "../secrets/redact.ts";
import type { PluginApiLike } from "./api-types.ts";

/**
 * A progress message of its own, sent through the channel's outbound adapter before the work starts.
 * Web chat has no outbound adapter for a non-bundled plugin (chat.inject is refused), so there the
 * single final reply stands alone; a failed send never stops the run.
 */
export function outboundProgress(api: PluginApiLike, logger: ChatLogger): ProgressSender {
  return {
    async send(request, text) {
      const ctx = request.context;
      if (request.channel === "webchat" || !ctx.to) return false;
      const loadAdapter = api.runtime?.channel?.outbound?.loadAdapter;
      if (!loadAdapter) return false;
      try {
        const adapter = await loadAdapter(request.channel);
        if (!adapter?.sendText) return false;
        await adapter.sendText({
          cfg: ctx.config,
          to: ctx.to,
          ...(ctx.accountId ? { accountId: ctx.accountId } : {}),
          ...(ctx.messageThreadId !== undefined ? { threadId: ctx.messageThreadId } : {}),
          text,
        });
        return true;
      } catch (error) {
        logger.warn(
          redactText(
            `codex-profiler: progress message on ${request.channel} failed: ` +
              `${error instanceof Error ? error.message : String(error)}`,
          ),
        );
        return false;
      }
    },
  };
}
