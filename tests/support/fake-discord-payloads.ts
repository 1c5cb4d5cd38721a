import type { DiscordUser, GuildChannel } from "./fake-discord.ts";
import type { DiscordRestState } from "./fake-discord-rest.ts";

/** Parts of the fake Discord: the gateway payloads it sends (READY, MESSAGE_CREATE, INTERACTION_CREATE), its
 * body parser and its waiter. */
const PERMISSIONS = "2248473465835073";

/** One DM channel id per user, stable so that a test can predict it (the REST fake relies on the "22" prefix). */
export function dmIdOf(user: DiscordUser): string {
  return `22${user.id.slice(2)}`;
}

const author = (u: DiscordUser) => ({
  id: u.id,
  username: u.username,
  discriminator: "0",
  global_name: u.username,
  avatar: null,
  bot: false,
});
const member = (u: DiscordUser) => ({
  user: author(u),
  roles: [],
  joined_at: new Date(0).toISOString(),
  deaf: false,
  mute: false,
  permissions: PERMISSIONS,
});

export function readyPayload(state: DiscordRestState, sessionId: string): Record<string, unknown> {
  return {
    v: 10,
    user: { ...state.bot, discriminator: "0", global_name: null, avatar: null, verified: true, flags: 0 },
    guilds: [],
    session_id: sessionId,
    resume_gateway_url: state.wsUrl,
    shard: [0, 1],
    application: { id: state.appId, flags: 1 << 19 },
  };
}

/** A user's message: in a DM without guild_id, in a guild with guild_id and the member (minus user). */
export function messageCreate(id: string, text: string, channelId: string, from: DiscordUser, guildId?: string) {
  return {
    id,
    channel_id: channelId,
    author: author(from),
    content: text,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...(guildId ? { guild_id: guildId, member: { ...member(from), user: undefined } } : {}),
  };
}

export interface InteractionParams {
  id: string;
  token: string;
  /** 2 = APPLICATION_COMMAND (slash), 3 = MESSAGE_COMPONENT (button). */
  type: 2 | 3;
  appId: string;
  data: Record<string, unknown>;
  channelId: string;
  from: DiscordUser;
  where?: GuildChannel | undefined;
}

export function interactionCreate(p: InteractionParams): Record<string, unknown> {
  const { where, from } = p;
  return {
    id: p.id,
    token: p.token,
    type: p.type,
    version: 1,
    application_id: p.appId,
    data: p.data,
    channel_id: p.channelId,
    channel: where
      ? { id: p.channelId, type: 0, guild_id: where.guildId, name: "codex" }
      : { id: p.channelId, type: 1, recipients: [author(from)] },
    ...(where ? { guild_id: where.guildId, member: member(from), context: 0 } : { user: author(from), context: 1 }),
    locale: "en-US",
    app_permissions: PERMISSIONS,
    entitlements: [],
    authorizing_integration_owners: { "0": where?.guildId ?? from.id },
  };
}

/** JSON, or multipart/form-data with a payload_json part (messages with files). */
export function parseBody(contentType: string | undefined, raw: Buffer): Record<string, unknown> {
  const text = raw.toString("utf8");
  if (text === "") return {};
  try {
    if (contentType?.includes("multipart/form-data")) {
      const part = /name="payload_json"[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(text);
      return part ? (JSON.parse(part[1]!) as Record<string, unknown>) : { multipart: true };
    }
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsed: text.slice(0, 200) };
  }
}

/** Resolves once `ok()` holds; `watchers` are called on every recorded call or gateway event. */
export function waitUntil(
  watchers: Set<() => void>,
  ok: () => boolean,
  timeoutMs: number,
  why: string | (() => string),
): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!ok()) return;
      watchers.delete(check);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      watchers.delete(check);
      reject(new Error(`fake Discord: ${typeof why === "string" ? why : why()} (after ${timeoutMs} ms)`));
    }, timeoutMs);
    watchers.add(check);
    check();
  });
}
