import { isCodexProfilerError } from "../errors/index.ts";
import { redactText } from "../secrets/redact.ts";
import { runAuthCommand } from "./auth-command.ts";
import { CallbackTokens } from "./callback-tokens.ts";
import { DuplicateGuard } from "./dedupe.ts";
import type { ChatDeps, ChatLogger, ProgressSender } from "./deps.ts";
import { PendingConfirmations } from "./pending.ts";
import { type ChatReply, type CommandResultLike, renderReply } from "./reply.ts";
import { type CommandContextLike, type CommandRequest, toCommandRequest } from "./request.ts";
import type { ChatServices } from "./services.ts";
import type { PluginSettings } from "./settings.ts";
import { runUsageCommand } from "./usage-command.ts";

/** The parts of Telegram's interactive handler context (2026.9) the callback handler uses. */
export interface CallbackContextLike {
  channel: string;
  senderId?: string;
  auth?: { isAuthorizedSender: boolean };
  callback: { payload: string };
  respond?: { reply?: (params: { text: string }) => Promise<void> };
}

export interface CallbackResult {
  handled: boolean;
  submitText?: string;
}

export interface ChatApp {
  codexUsage(ctx: CommandContextLike): Promise<CommandResultLike>;
  codexAuth(ctx: CommandContextLike): Promise<CommandResultLike>;
  /** Telegram callback buttons ("cxp:<token>") → the command the button stands for. */
  onCallback(ctx: CallbackContextLike): Promise<CallbackResult>;
  readonly deps: ChatDeps;
}

export interface ChatAppOptions {
  services: ChatServices;
  settings: PluginSettings;
  progress: ProgressSender;
  logger: ChatLogger;
  now?: () => number;
}

const PENDING_TTL_MS = 5 * 60_000;

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

  async function run(
    ctx: CommandContextLike,
    command: string,
    handler: (req: CommandRequest, deps: ChatDeps) => Promise<ChatReply>,
  ): Promise<CommandResultLike> {
    const req = toCommandRequest(ctx, deps.settings);
    let reply: ChatReply;
    try {
      reply = await handler(req, deps);
    } catch (error) {
      reply = errorReply(error);
      deps.logger.warn(redactText(`codex-profiler: /${command} failed on ${req.channel}: ${reply.text}`));
    }
    return renderReply(reply, { buttons: deps.settings.buttonChannels.has(req.channel), tokens: deps.tokens });
  }

  return {
    deps,
    codexUsage: (ctx) => run(ctx, "codex_usage", runUsageCommand),
    codexAuth: (ctx) => run(ctx, "codex_auth", runAuthCommand),
    async onCallback(ctx) {
      if (ctx.auth && !ctx.auth.isAuthorizedSender) return { handled: true };
      const command = deps.tokens.resolve(ctx.callback.payload);
      if (command === null) {
        await ctx.respond?.reply?.({ text: "This button has expired. Send /codex_usage or /codex_auth again." });
        return { handled: true };
      }
      return { handled: true, submitText: command };
    },
  };
}

function errorReply(error: unknown): ChatReply {
  const code = isCodexProfilerError(error) ? error.code : "service_failed";
  const message = error instanceof Error ? error.message : String(error);
  return { text: `⚠️ ${redactText(message)} (${code})`, isError: true };
}
