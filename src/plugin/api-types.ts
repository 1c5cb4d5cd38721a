import type { CallbackContextLike, CallbackResult } from "../chat/chat-app.ts";
import type { CommandResultLike } from "../chat/reply.ts";
import type { CommandContextLike } from "../chat/request.ts";

/**
 * Structural types for the parts of OpenClaw's plugin API (2026.9) this plugin uses. Nothing is
 * imported from the openclaw package at runtime; older hosts may lack some members, and the entry
 * checks for them before use.
 */
interface PluginLoggerLike {
  info(message: string): void;
  warn(message: string): void;
  error?(message: string): void;
}

export interface CommandDefinitionLike {
  name: string;
  description: string;
  acceptsArgs?: boolean;
  requireAuth?: boolean;
  nativeProgressMessages?: Record<string, string>;
  handler: (ctx: CommandContextLike) => Promise<CommandResultLike>;
}

export interface InteractiveRegistrationLike {
  channel: string;
  namespace: string;
  handler: (ctx: CallbackContextLike) => Promise<CallbackResult>;
}

interface OutboundAdapterLike {
  sendText?: (params: {
    cfg: unknown;
    to: string;
    accountId?: string;
    text: string;
    threadId?: string | number;
  }) => unknown;
}

export interface PluginApiLike {
  id?: string;
  pluginConfig?: Record<string, unknown>;
  /** OpenClaw's config (openclaw.json as loaded): handed to OpenClaw's own order resolution and credential
   * resolution, never read. */
  config?: unknown;
  logger?: PluginLoggerLike;
  rootDir?: string;
  registrationMode?: string;
  registerCommand: (command: CommandDefinitionLike) => void;
  registerInteractiveHandler?: (registration: InteractiveRegistrationLike) => void;
  runtime?: {
    /** The host's own version ("2026.9.6"). */
    version?: string;
    channel?: { outbound?: { loadAdapter?: (id: string) => Promise<OutboundAdapterLike | undefined> } };
  };
}
