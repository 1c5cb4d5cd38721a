import { ChatError, isCodexProfilerError } from "../errors/index.ts";
import { errorMessage, redactText } from "../secrets/redact.ts";
import { runAuthCommand } from "./auth-command.ts";
import { CallbackTokens } from "./callback-tokens.ts";
import type { ChatDeps, ChatLogger, ProgressSender, ReplySender } from "./deps.ts";
import { PendingConfirmations } from "./pending.ts";
import {
  type ButtonKind,
  type ChatReply,
  type CommandResultLike,
  LINE_SAFE_MESSAGE_LENGTH,
  linePieces,
  renderReply,
  SHOWN_TEXT_LENGTH,
  shownWithin,
} from "./reply.ts";
import { type CommandContextLike, type CommandRequest, DuplicateGuard, toCommandRequest } from "./request.ts";
import type { ChatServices } from "./services.ts";
import type { PluginSettings } from "./settings.ts";
import { runUsageCommand } from "./usage-command.ts";

/** The parts of Telegram's interactive handler context (2026.9) the callback handler uses. */
interface CallbackContextLike {
  channel: string;
  senderId?: string;
  auth?: { isAuthorizedSender: boolean };
  callback: { payload: string };
  respond?: { reply?: (params: { text: string }) => Promise<void> };
}

interface CallbackResult {
  handled: boolean;
  submitText?: string;
}

/**
 * A button tap on a channel whose handler must answer by itself (Slack: no submitText), reduced by the
 * channel glue in src/plugin/ to what the chat needs.
 */
export interface TapLike {
  channel: string;
  senderId: string;
  /** The channel's command authorization for this sender. */
  authorized: boolean;
  /** The callback value after "cxp:". */
  payload: string;
  /** The outbound target of the conversation the tap came from, e.g. "channel:D0TESS00001". */
  to: string;
  accountId?: string;
  threadId?: string | number;
  config?: unknown;
  /** A note only the tapping user sees (an expired button; an answer that could not be posted). */
  notify(text: string): Promise<void>;
}

export interface ChatApp {
  codexUsage(ctx: CommandContextLike): Promise<CommandResultLike>;
  codexAuth(ctx: CommandContextLike): Promise<CommandResultLike>;
  /** Telegram callback buttons ("cxp:<token>") → the command the button stands for. */
  onCallback(ctx: CallbackContextLike): Promise<CallbackResult>;
  /** Other callback buttons: runs the command the button stands for and posts the answer itself. */
  onTap(tap: TapLike): Promise<{ handled: true }>;
  readonly deps: ChatDeps;
}

export interface ChatAppOptions {
  services: ChatServices;
  settings: PluginSettings;
  progress: ProgressSender;
  /** Posts a tap's answer; without it a tap's answer goes to the tapping user as a plain note. */
  replies?: ReplySender;
  /** Channels whose buttons carry the command itself and run it (Discord); the others get callback buttons. */
  commandButtonChannels?: ReadonlySet<string>;
  logger: ChatLogger;
  now?: () => number;
}

const PENDING_TTL_MS = 5 * 60_000;
/**
 * Channels whose OpenClaw renderer draws a chart block itself (2026.9 docs, message-presentation: Slack's
 * data_visualization). Elsewhere OpenClaw lists the chart's data as text, which would repeat our own lines.
 */
const CHART_CHANNELS: ReadonlySet<string> = new Set(["slack"]);
const EXPIRED_TEXT = "This button has expired. Send /codex_usage or /codex_auth again.";
const NOT_YOURS = new ChatError(
  "not_your_confirmation",
  "Those buttons are someone else's: only the person who asked can use them. Nothing was changed.",
);

type Handler = (req: CommandRequest, deps: ChatDeps) => Promise<ChatReply>;
const HANDLERS: Record<string, Handler> = { codex_usage: runUsageCommand, codex_auth: runAuthCommand };

export function createChatApp(options: ChatAppOptions): ChatApp {
  const now = options.now ?? Date.now;
  const deps: ChatDeps = {
    services: options.services,
    settings: options.settings,
    guard: new DuplicateGuard({ windowMs: options.settings.dedupeWindowMs, now }),
    tokens: new CallbackTokens({ ttlMs: options.settings.buttonTtlMs, now }),
    pending: new PendingConfirmations({ ttlMs: PENDING_TTL_MS, now }),
    progress: options.progress,
    logger: options.logger,
  };
  const commandButtons = options.commandButtonChannels ?? new Set<string>();

  function buttonKind(channel: string): ButtonKind {
    if (!deps.settings.buttonChannels.has(channel)) return null;
    return commandButtons.has(channel) ? "command" : "callback";
  }

  /** A reply that cannot go out (an expired Slack response_url) is logged: the tap stays handled, not redelivered. */
  async function safely<T>(what: string, send: () => Promise<T> | undefined): Promise<T | undefined> {
    try {
      return await send();
    } catch (error) {
      deps.logger.warn(`codex-profiler: ${what} could not be sent: ${describeError(error)}`);
      return undefined;
    }
  }

  async function run(req: CommandRequest, command: string, handler: Handler): Promise<CommandResultLike> {
    let reply: ChatReply;
    try {
      reply = await handler(req, deps);
    } catch (error) {
      reply = errorReply(error);
      deps.logger.warn(redactText(`codex-profiler: /${command} failed on ${req.channel}: ${reply.text}`));
    }
    const result = renderReply(reply, {
      buttons: buttonKind(req.channel),
      charts: CHART_CHANNELS.has(req.channel),
      tokens: deps.tokens,
      request: req,
    });
    return inPieces(req, result);
  }

  /**
   * An answer longer than one message where the channel's chunker would cut a line or part it from the buttons: each
   * piece but the last is sent first as a message of its own, the last goes with the buttons. Where nothing can be
   * sent (a slash command in a guild channel, web chat), or a send fails, the rest stays in the reply, within what
   * the channel shows.
   */
  async function inPieces(req: CommandRequest, result: CommandResultLike): Promise<CommandResultLike> {
    const text = result.text ?? "";
    const limit = LINE_SAFE_MESSAGE_LENGTH[req.channel];
    const shown = (rest: string): CommandResultLike => {
      const max = SHOWN_TEXT_LENGTH[req.channel];
      const out = max ? shownWithin(rest, max) : rest;
      return out === text ? result : { ...result, text: out };
    };
    if (!limit || (limit.measure ?? ((t: string) => t.length))(text) <= limit.max) return shown(text);
    const pieces = linePieces(text, limit.max, limit.measure);
    for (let i = 0; i < pieces.length - 1; i++)
      if (!(await deps.progress.send(req, pieces[i]!))) return shown(pieces.slice(i).join("\n"));
    return shown(pieces.at(-1) ?? "");
  }

  const command = (name: string) => (ctx: CommandContextLike) =>
    run(toCommandRequest(ctx, deps.settings), name, HANDLERS[name]!);

  return {
    deps,
    codexUsage: command("codex_usage"),
    codexAuth: command("codex_auth"),
    async onCallback(ctx) {
      if (ctx.auth && !ctx.auth.isAuthorizedSender) return { handled: true };
      const submitText = deps.tokens.resolve(ctx.callback.payload);
      if (submitText === null) {
        await safely("the expired-button reply", () => ctx.respond?.reply?.({ text: EXPIRED_TEXT }));
        return { handled: true };
      }
      return { handled: true, submitText };
    },
    async onTap(tap) {
      // Always handled: an unhandled tap would become a turn of the agent (a model run).
      if (!tap.authorized) return { handled: true };
      const target = deps.tokens.lookup(tap.payload);
      const [, name = "", args = ""] = /^\/(\w+)\s*(.*)$/s.exec(target?.command ?? "") ?? [];
      const handler = HANDLERS[name];
      if (!target || !handler) {
        await safely("the expired-button reply", () => tap.notify(EXPIRED_TEXT));
        return { handled: true };
      }
      const ctx: CommandContextLike = {
        channel: tap.channel,
        senderId: tap.senderId,
        isAuthorizedSender: true,
        args,
        commandBody: target.command,
        to: tap.to,
        ...(target.agentId ? { agentId: target.agentId } : {}),
        ...(tap.accountId ? { accountId: tap.accountId } : {}),
        ...(tap.threadId !== undefined ? { messageThreadId: tap.threadId } : {}),
        ...(tap.config !== undefined ? { config: tap.config } : {}),
      };
      // OpenClaw tells a tap only that its sender may use the bot, not whether they own it: a tap changes
      // auth profiles only for the sender the button was shown to, and only if that sender could when they asked.
      const asked = toCommandRequest(ctx, deps.settings);
      const issuedTo = target.issuedTo;
      if (target.personal && issuedTo?.senderKey !== asked.senderKey) {
        // Said to the tapper alone (Slack: an ephemeral answer); the owner's plan and buttons stay as they were.
        await safely("the not-yours reply", () => tap.notify(errorReply(NOT_YOURS).text));
        return { handled: true };
      }
      const mine = issuedTo?.senderKey === asked.senderKey && issuedTo.canMutate;
      const req = { ...asked, canMutate: asked.canMutate && mine };
      const result = await run(req, name, handler);
      const posted = (await safely("the answer's post", () => options.replies?.send(req, result))) ?? false;
      if (!posted) await safely("the answer", () => tap.notify(result.text ?? ""));
      return { handled: true };
    },
  };
}

function errorReply(error: unknown): ChatReply {
  const code = isCodexProfilerError(error) ? error.code : "service_failed";
  return { text: `⚠️ ${describeError(error)} (${code})`, isError: true };
}

const describeError = (error: unknown): string => errorMessage(error, "The command failed without a readable reason.");
