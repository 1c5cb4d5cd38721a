import { CALLBACK_NAMESPACE } from "../chat/callback-tokens.ts";
import type { ChatApp, TapLike } from "../chat/chat-app.ts";
import type { PluginSettings } from "../chat/settings.ts";
import type { InteractiveContextLike, PluginApiLike } from "./api-types.ts";

/**
 * How each channel's buttons come back, as verified through the real gateway (tests/e2e/chat-*.test.ts):
 * - Telegram: callback buttons; the handler returns `submitText` and OpenClaw runs that text as the
 *   sender's command.
 * - Discord: command buttons. OpenClaw runs the button's command through its command path (sender,
 *   authorization and conversation as if typed) and renders our reply's buttons again. A Discord
 *   interactive handler could answer only with text (`respond.reply`) or with raw components that
 *   OpenClaw's component registry does not know, so next steps and confirmations would lose their buttons.
 * - Slack and any other configured button channel: callback buttons (Slack renders no plugin command
 *   buttons: the whole reply would degrade to a text list); no submitText there, so the handler runs the
 *   command itself and posts the answer through the channel's outbound adapter.
 */
export const COMMAND_BUTTON_CHANNELS: ReadonlySet<string> = new Set(["discord"]);

export function registerButtonHandlers(api: PluginApiLike, app: ChatApp, settings: PluginSettings): void {
  const register = api.registerInteractiveHandler;
  if (!register) return;
  register({
    channel: "telegram",
    namespace: CALLBACK_NAMESPACE,
    handler: (ctx) => app.onCallback({ ...ctx, callback: { payload: ctx.callback?.payload ?? "" } }),
  });
  // Slack always: a tap on an older message must never fall through to the agent.
  const tapChannels = new Set(["slack", ...settings.buttonChannels]);
  for (const channel of tapChannels) {
    if (channel === "telegram" || COMMAND_BUTTON_CHANNELS.has(channel)) continue;
    register({ channel, namespace: CALLBACK_NAMESPACE, handler: (ctx) => app.onTap(toTap(api, channel, ctx)) });
  }
}

function toTap(api: PluginApiLike, channel: string, ctx: InteractiveContextLike): TapLike {
  const conversation = ctx.conversationId ?? "";
  return {
    channel,
    senderId: ctx.senderId ?? "",
    authorized: ctx.auth?.isAuthorizedSender === true,
    payload: ctx.interaction?.payload ?? ctx.callback?.payload ?? "",
    // Slack's conversationId is a bare channel id; other channels already give a target ("channel:…").
    to: conversation === "" || conversation.includes(":") ? conversation : `channel:${conversation}`,
    ...(ctx.accountId ? { accountId: ctx.accountId } : {}),
    ...(ctx.threadId ? { threadId: ctx.threadId } : {}),
    config: api.runtime?.config?.current?.() ?? api.config,
    notify: async (text) => {
      await ctx.respond?.reply?.({ text });
    },
  };
}
