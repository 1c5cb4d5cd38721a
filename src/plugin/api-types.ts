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

/**
 * What an interactive handler receives, as observed on 2026.9.6: Telegram puts the value after the
 * namespace in `callback.payload`, Discord and Slack in `interaction.payload`; Slack's `conversationId` is
 * the channel id ("D…" for the app DM) and `threadId` the thread's ts.
 */
export interface InteractiveContextLike {
  channel: string;
  accountId?: string;
  senderId?: string;
  conversationId?: string;
  threadId?: string;
  auth?: { isAuthorizedSender: boolean };
  callback?: { payload: string };
  interaction?: { payload?: string };
  respond?: { reply?: (params: { text: string }) => Promise<void> };
}

export interface InteractiveRegistrationLike {
  channel: string;
  namespace: string;
  handler: (ctx: InteractiveContextLike) => Promise<{ handled: boolean; submitText?: string }>;
}

interface OutboundBase {
  cfg: unknown;
  to: string;
  accountId?: string;
  threadId?: string | number;
}

export interface OutboundAdapterLike {
  sendText?: (params: OutboundBase & { text: string }) => unknown;
  /** Renders a reply payload's `presentation` (buttons) the way the channel does for a command reply. */
  sendPayload?: (params: OutboundBase & { payload: { text: string; presentation?: unknown } }) => unknown;
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
    config?: { current?: () => unknown };
    channel?: { outbound?: { loadAdapter?: (id: string) => Promise<OutboundAdapterLike | undefined> } };
  };
}
