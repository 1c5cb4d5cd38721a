import type { DiscordCall, DiscordUser } from "./fake-discord.ts";

/**
 * The REST routes of the fake Discord API: exactly the calls @openclaw/discord 2026.9.6 makes at
 * startup, for a reply, and for interactions. Anything else answers 200 {} (GET lists: []), and is
 * still recorded by the caller, so a test sees it.
 */
export interface DiscordRestState {
  bot: DiscordUser & { bot: true };
  appId: string;
  snowflake: () => string;
  /** Every message the bot created, by id (a click needs the message it was on). */
  messages: Map<string, Record<string, unknown>>;
  commands: Array<Record<string, unknown> & { id: string; name: string }>;
  wsUrl: string;
  dmChannelOf?: (user: DiscordUser) => string;
  /** Per interaction token: its channel, and the message "@original" stands for. */
  interactions: Map<string, { channelId: string; originalId?: string }>;
}

interface Answer {
  status: number;
  json?: unknown;
}

const ok = (json: unknown): Answer => ({ status: 200, json });
const IS_COMPONENTS_V2 = 1 << 15;

export function discordRest(state: DiscordRestState, call: DiscordCall): Answer {
  const { method, path, body } = call;
  const botUser = { ...state.bot, discriminator: "0", global_name: null, avatar: null, verified: true, flags: 0 };
  let m: RegExpExecArray | null;

  if (method === "GET" && path === "/users/@me") return ok(botUser);
  if (method === "GET" && path === "/oauth2/applications/@me") {
    // flags 1<<19: the message content intent is granted (otherwise the channel warns at startup).
    return ok({
      id: state.appId,
      name: "codex-bot",
      flags: 1 << 19,
      bot_public: false,
      bot: botUser,
      owner: { id: "1", username: "owner" },
    });
  }
  if (method === "GET" && path === "/gateway/bot") {
    return ok({
      url: state.wsUrl,
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
    });
  }
  m = /^\/applications\/(\d+)(?:\/guilds\/\d+)?\/commands(?:\/(\d+))?$/.exec(path);
  if (m) {
    if (method === "GET") return ok(m[2] ? (state.commands.find((c) => c.id === m![2]) ?? {}) : state.commands);
    if (method === "PUT" && Array.isArray(body)) {
      state.commands = (body as Array<Record<string, unknown>>).map((c) => ({
        ...c,
        id: state.snowflake(),
        name: String(c.name),
      }));
      return ok(state.commands);
    }
    if (method === "POST" || method === "PATCH") {
      const existing = state.commands.find((c) => c.name === body.name || c.id === m![2]);
      const command = {
        ...existing,
        ...body,
        id: existing?.id ?? state.snowflake(),
        name: String(body.name ?? existing?.name),
        application_id: state.appId,
      };
      state.commands = [...state.commands.filter((c) => c !== existing), command];
      return ok(command);
    }
    if (method === "DELETE") return { status: 204 };
  }
  if (method === "POST" && path === "/users/@me/channels") {
    const user = { id: String(body.recipient_id), username: "user" };
    return ok({ id: state.dmChannelOf!(user), type: 1, recipients: [{ ...user, discriminator: "0", bot: false }] });
  }
  // Real Discord knows snowflakes only: "/channels/slash:42…/messages" is an unknown channel.
  if (/^\/channels\/(?!\d+(\/|$))/.test(path))
    return { status: 404, json: { message: "Unknown Channel", code: 10003 } };
  m = /^\/channels\/(\d+)$/.exec(path);
  if (m && method === "GET") return ok(channelOf(m[1]!));
  m = /^\/channels\/(\d+)\/typing$/.exec(path);
  if (m) return { status: 204 };
  m = /^\/channels\/(\d+)\/messages$/.exec(path);
  if (m && method === "POST") return ok(created(state, m[1]!, body));
  m = /^\/channels\/(\d+)\/messages\/(\d+)$/.exec(path);
  if (m && method === "PATCH") return edited(state, m[1]!, m[2]!, body);
  m = /^\/interactions\/(\d+)\/([^/]+)\/callback$/.exec(path);
  if (m) {
    const it = state.interactions.get(m[2]!);
    // 4 = a message answers the interaction, 5 = deferred ("thinking…"): either becomes @original.
    if (it && (body.type === 4 || body.type === 5))
      it.originalId = String(created(state, it.channelId, (body.data ?? {}) as Record<string, unknown>).id);
    return { status: 204 };
  }
  m = /^\/webhooks\/(\d+)\/([^/]+)$/.exec(path);
  if (m && method === "POST") {
    return ok(created(state, state.interactions.get(m[2]!)?.channelId ?? "0", body));
  }
  m = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/([^/]+)$/.exec(path);
  if (m) {
    if (method === "DELETE") return { status: 204 };
    const it = state.interactions.get(m[2]!);
    const id = m[3] === "@original" ? (it?.originalId ?? state.snowflake()) : m[3]!;
    if (it && m[3] === "@original") it.originalId = id;
    return method === "PATCH" ? edited(state, it?.channelId ?? "0", id, body) : ok(state.messages.get(id) ?? {});
  }
  m = /^\/guilds\/(\d+)$/.exec(path);
  if (m && method === "GET")
    return ok({ id: m[1], name: "Codex Guild", owner_id: "1", roles: [], emojis: [], features: [] });
  m = /^\/guilds\/(\d+)\/members\/(\d+)$/.exec(path);
  if (m && method === "GET") {
    return ok({
      user: { id: m[2], username: "member", discriminator: "0" },
      roles: [],
      joined_at: new Date(0).toISOString(),
    });
  }
  if (method === "DELETE") return { status: 204 };
  return ok(method === "GET" && /s$/.test(path) ? [] : {});
}

function channelOf(id: string): Record<string, unknown> {
  // DM channel ids start with 22 (see dmIdOf); the rest are guild text channels of the test guild.
  if (id.startsWith("22"))
    return { id, type: 1, recipients: [{ id: `42${id.slice(2)}`, username: "user", discriminator: "0" }] };
  return { id, type: 0, guild_id: "7700000000000000001", name: "codex", position: 0, permission_overwrites: [] };
}

function created(state: DiscordRestState, channelId: string, body: Record<string, unknown>): Record<string, unknown> {
  const message = {
    id: state.snowflake(),
    channel_id: channelId,
    author: { ...state.bot, discriminator: "0" },
    content: typeof body.content === "string" ? body.content : "",
    components: body.components ?? [],
    embeds: body.embeds ?? [],
    attachments: [],
    flags: body.flags ?? 0,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    pinned: false,
    type: 0,
  };
  state.messages.set(message.id, message);
  return message;
}

/**
 * An edit. Discord rejects legacy `content` on a Components V2 message (flag 1 << 15, which cannot be
 * removed once set), so the fake does too: an edit that only works against a lenient fake is no proof.
 */
function edited(state: DiscordRestState, channelId: string, id: string, body: Record<string, unknown>): Answer {
  const before = state.messages.get(id) ?? created(state, channelId, {});
  if ((Number(before.flags) & IS_COMPONENTS_V2) !== 0 && typeof body.content === "string" && body.content !== "") {
    return { status: 400, json: { code: 50035, message: "Invalid Form Body (content on a Components V2 message)" } };
  }
  const message = { ...before, ...body, id, edited_timestamp: new Date().toISOString() };
  state.messages.set(id, message);
  return ok(message);
}
