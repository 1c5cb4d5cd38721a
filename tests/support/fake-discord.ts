import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import {
  dmIdOf,
  interactionCreate,
  messageCreate,
  parseBody,
  readyPayload,
  waitUntil,
} from "./fake-discord-payloads.ts";
import { type DiscordRestState, discordRest } from "./fake-discord-rest.ts";
import { HARNESS_DIR } from "./openclaw.ts";

/**
 * A fake Discord REST API + Gateway (one port, 127.0.0.1) for the real @openclaw/discord channel,
 * reached through DISCORD_API_URL. It records every REST call and gateway frame, and lets a test
 * inject a DM or guild-channel message, a button click (MESSAGE_COMPONENT) and a native slash command
 * (APPLICATION_COMMAND). The WebSocket server is the `ws` package the openclaw harness already holds.
 */
export interface DiscordUser {
  id: string;
  username: string;
}

export interface DiscordCall {
  method: string;
  /** Decoded path below /api/v10, e.g. "/channels/2200000000000000001/messages". */
  path: string;
  query: Record<string, string>;
  body: Record<string, unknown>;
  atMs: number;
  /** The id the fake gave a created message. */
  messageId?: string;
}

interface InjectedInteraction {
  id: string;
  token: string;
}

export interface GuildChannel {
  guildId: string;
  channelId: string;
}

export interface FakeDiscord {
  apiUrl: string;
  botToken: string;
  appId: string;
  bot: DiscordUser;
  calls: DiscordCall[];
  frames: Array<{ dir: "in" | "out"; op: number; t?: string; atMs: number }>;
  /** Resolves once a gateway client has identified and received READY. */
  connected(timeoutMs?: number): Promise<void>;
  dmChannelId(user?: DiscordUser): string;
  /** A message typed in the DM with the bot. */
  dmMessage(text: string, from?: DiscordUser): string;
  /** A message typed in a guild text channel. */
  channelMessage(text: string, where: GuildChannel, from?: DiscordUser): string;
  /** A click on a button of a message the bot sent (custom_id as sent). */
  click(customId: string, messageId: string, from?: DiscordUser, where?: GuildChannel): InjectedInteraction;
  /**
   * A click on a button of a message the bot has just sent. OpenClaw registers a message's buttons only after
   * Discord has answered the send, so a click inside that moment gets "This component has expired." (no one
   * clicks that fast); such a click is repeated, for up to `timeoutMs`.
   */
  clickFresh(customId: string, messageId: string, from?: DiscordUser, timeoutMs?: number): Promise<InjectedInteraction>;
  /** A native slash command, `/name input`; the option the channel deploys is named "input". */
  slash(name: string, input?: string, from?: DiscordUser, where?: GuildChannel): InjectedInteraction;
  waitFor(
    predicate: (c: DiscordCall) => boolean,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<DiscordCall>;
  /** Every message the bot sent or edited: channel messages, interaction callbacks and webhook messages. */
  sent(since?: number): DiscordCall[];
  close(): Promise<void>;
}

export const DISCORD_TEST_USER: DiscordUser = { id: "424242424242424242", username: "tess" };
export const DISCORD_SECOND_USER: DiscordUser = { id: "555000555000555001", username: "sam" };
export const DISCORD_STRANGER: DiscordUser = { id: "666000666000666001", username: "mallory" };
export const DISCORD_GUILD: GuildChannel = { guildId: "7700000000000000001", channelId: "7700000000000000100" };

const BOT: DiscordUser & { bot: true } = { id: "1100000000000000001", username: "codex-bot", bot: true };
const APP_ID = "1100000000000000001";

interface WsLike {
  send(data: string): void;
  close(): void;
  on(event: "message", cb: (data: Buffer) => void): void;
  on(event: "close", cb: () => void): void;
  readyState: number;
}
interface WsServerLike {
  handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, cb: (ws: WsLike) => void): void;
  close(): void;
}
const { WebSocketServer } = createRequire(join(HARNESS_DIR, "node_modules/"))("ws") as {
  WebSocketServer: new (options: { noServer: true }) => WsServerLike;
};

export async function startFakeDiscord(): Promise<FakeDiscord> {
  const calls: DiscordCall[] = [];
  const frames: FakeDiscord["frames"] = [];
  const watchers = new Set<() => void>();
  const sockets = new Set<Socket>();
  const clients = new Set<WsLike>();
  let seq = 0;
  let nextSnowflake = 3300000000000000000n;
  const snowflake = () => String(nextSnowflake++);
  const state: DiscordRestState = {
    bot: BOT,
    appId: APP_ID,
    snowflake,
    messages: new Map(),
    commands: [],
    wsUrl: "",
    interactions: new Map(),
  };
  let identified = false;

  const record = (call: DiscordCall) => {
    calls.push(call);
    for (const w of [...watchers]) w();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = decodeURIComponent(url.pathname).replace(/^\/api\/v10/, "");
      const body = parseBody(req.headers["content-type"], Buffer.concat(chunks));
      const call: DiscordCall = {
        method: req.method ?? "GET",
        path,
        query: Object.fromEntries(url.searchParams),
        body,
        atMs: Date.now(),
      };
      const { status, json } = discordRest(state, call);
      const created = json as { id?: unknown } | undefined;
      if (typeof created?.id === "string" && /messages|webhooks/.test(path) && call.method !== "GET")
        call.messageId = created.id;
      record(call);
      res.writeHead(status, {
        "content-type": "application/json",
        "x-ratelimit-remaining": "49",
        "x-ratelimit-limit": "50",
      });
      res.end(status === 204 ? undefined : JSON.stringify(json));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => onGatewayClient(ws));
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  state.wsUrl = `ws://127.0.0.1:${port}`;

  function send(ws: WsLike, frame: { op: number; t?: string; s?: number | null; d: unknown }): void {
    frames.push({ dir: "out", op: frame.op, ...(frame.t ? { t: frame.t } : {}), atMs: Date.now() });
    ws.send(JSON.stringify(frame));
  }

  function onGatewayClient(ws: WsLike): void {
    clients.add(ws);
    ws.on("close", () => clients.delete(ws));
    send(ws, { op: 10, s: null, d: { heartbeat_interval: 41_250 } });
    ws.on("message", (data: Buffer) => {
      const frame = JSON.parse(data.toString("utf8")) as { op: number; d: unknown };
      frames.push({ dir: "in", op: frame.op, atMs: Date.now() });
      if (frame.op === 1) send(ws, { op: 11, d: null });
      else if (frame.op === 6)
        send(ws, { op: 9, d: false }); // no resume: the client identifies again
      else if (frame.op === 2) {
        send(ws, { op: 0, t: "READY", s: ++seq, d: readyPayload(state, `sess-${seq}`) });
        identified = true;
        for (const w of [...watchers]) w();
      }
    });
  }

  function dispatch(t: string, d: unknown): void {
    if (clients.size === 0) throw new Error("fake Discord: no gateway client connected");
    for (const ws of clients) send(ws, { op: 0, t, s: ++seq, d });
  }

  const dmChannelId = (user: DiscordUser = DISCORD_TEST_USER) => dmIdOf(user);
  state.dmChannelOf = dmIdOf;
  function message(text: string, channelId: string, from: DiscordUser, guildId?: string): string {
    const id = snowflake();
    dispatch("MESSAGE_CREATE", messageCreate(id, text, channelId, from, guildId));
    return id;
  }

  function interaction(
    type: 2 | 3,
    data: Record<string, unknown>,
    from: DiscordUser,
    where?: GuildChannel,
    extra: Record<string, unknown> = {},
  ): InjectedInteraction {
    const id = snowflake();
    const token = `itok-${id}`;
    const channelId = where?.channelId ?? dmChannelId(from);
    const message = extra.message as { id?: string } | undefined;
    state.interactions.set(token, { channelId, ...(message?.id ? { originalId: message.id } : {}) });
    dispatch("INTERACTION_CREATE", {
      ...interactionCreate({ id, token, type, appId: APP_ID, data, channelId, from, where }),
      ...extra,
    });
    return { id, token };
  }

  const fake: FakeDiscord = {
    apiUrl: `http://127.0.0.1:${port}/api/v10`,
    botToken: "FAKE.discord.bot.token",
    appId: APP_ID,
    bot: BOT,
    calls,
    frames,
    connected(timeoutMs = 60_000) {
      return waitUntil(watchers, () => identified, timeoutMs, "no gateway client identified");
    },
    dmChannelId,
    dmMessage: (text, from = DISCORD_TEST_USER) => message(text, dmChannelId(from), from),
    channelMessage: (text, where, from = DISCORD_TEST_USER) => message(text, where.channelId, from, where.guildId),
    click(customId, messageId, from = DISCORD_TEST_USER, where) {
      const msg = state.messages.get(messageId);
      if (!msg) throw new Error(`fake Discord: the bot sent no message ${messageId}`);
      return interaction(3, { custom_id: customId, component_type: 2 }, from, where, { message: msg });
    },
    async clickFresh(customId, messageId, from = DISCORD_TEST_USER, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const since = calls.length;
        const it = fake.click(customId, messageId, from);
        const ack = await fake.waitFor((c) => c.path === `/interactions/${it.id}/${it.token}/callback`, {
          since,
          timeoutMs: Math.max(1000, deadline - Date.now()),
        });
        const text = (ack.body.data as { content?: unknown } | undefined)?.content;
        if (text !== "This component has expired." || Date.now() > deadline) return it;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    slash(name, input, from = DISCORD_TEST_USER, where) {
      const command = state.commands.find((c) => c.name === name);
      if (!command)
        throw new Error(
          `fake Discord: no deployed command "${name}" (${state.commands.map((c) => c.name).join(", ")})`,
        );
      const options = input === undefined ? [] : [{ name: "input", type: 3, value: input }];
      return interaction(2, { id: command.id, name, type: 1, options }, from, where);
    },
    waitFor(predicate, options = {}) {
      const since = options.since ?? 0;
      let hit: DiscordCall | undefined;
      return waitUntil(
        watchers,
        () => {
          hit = calls.slice(since).find(predicate);
          return hit !== undefined;
        },
        options.timeoutMs ?? 30_000,
        () =>
          `no matching call; calls since ${since}: ${calls
            .slice(since)
            .map((c) => `${c.method} ${c.path}`)
            .join(", ")}`,
      ).then(() => hit!);
    },
    sent(since = 0) {
      return calls
        .slice(since)
        .filter((c) => c.method !== "GET" && /^\/(channels\/\d+\/messages|webhooks\/|interactions\/)/.test(c.path));
    },
    async close() {
      for (const ws of clients) ws.close();
      wss.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
