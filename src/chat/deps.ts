import type { CallbackTokens } from "./callback-tokens.ts";
import type { PendingConfirmations } from "./pending.ts";
import type { CommandResultLike } from "./reply.ts";
import type { CommandRequest, DuplicateGuard } from "./request.ts";
import type { ChatServices } from "./services.ts";
import type { PluginSettings } from "./settings.ts";

/** Sends a message of its own to the conversation before the work starts; false when the channel cannot. */
export interface ProgressSender {
  send(request: CommandRequest, text: string): Promise<boolean>;
}

/**
 * Sends a finished answer (text and buttons) to the conversation, for a button tap on a channel whose
 * interactive handler cannot hand the command back to OpenClaw (everything but Telegram's submitText).
 */
export interface ReplySender {
  send(request: CommandRequest, result: CommandResultLike): Promise<boolean>;
}

export interface ChatLogger {
  warn(message: string): void;
  info?(message: string): void;
}

export interface ChatDeps {
  services: ChatServices;
  settings: PluginSettings;
  guard: DuplicateGuard;
  tokens: CallbackTokens;
  pending: PendingConfirmations;
  progress: ProgressSender;
  logger: ChatLogger;
}
