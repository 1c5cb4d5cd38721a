import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A fake Telegram Bot API on 127.0.0.1 for the real OpenClaw Telegram channel
 * (`channels.telegram.apiRoot`). It answers getMe, long-polls getUpdates, records every call the bot
 * makes, and lets a test inject updates: a typed command or a callback_query for a button tap.
 */
export interface BotCall {
  method: string;
  params: Record<string, unknown>;
  atMs: number;
  /** The message_id the fake gave a sent message. */
  messageId?: number;
}

export interface FakeTelegram {
  apiRoot: string;
  botToken: string;
  calls: BotCall[];
  /** Queues a private-chat message from the test user; a leading /command gets a bot_command entity. */
  sendText(text: string, from?: TelegramUser): void;
  /** Taps an inline button: the callback_data must be the exact value the bot sent. */
  tap(callbackData: string, onMessageId: number, from?: TelegramUser): void;
  /** Resolves once a call matching `predicate` has been recorded after index `since`. */
  waitFor(predicate: (c: BotCall) => boolean, options?: { since?: number; timeoutMs?: number }): Promise<BotCall>;
  sentMessages(since?: number): BotCall[];
  close(): Promise<void>;
}

interface TelegramUser {
  id: number;
  first_name: string;
  username?: string;
}

export const TEST_USER: TelegramUser = { id: 424242, first_name: "Tess", username: "tess" };
const BOT = {
  id: 123456789,
  is_bot: true,
  first_name: "Codex Bot",
  username: "codex_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export async function startFakeTelegram(): Promise<FakeTelegram> {
  const botToken = "123456789:AAFakeTokenForOfflineTests_abcdefghij";
  const calls: BotCall[] = [];
  const updates: Array<Record<string, unknown>> = [];
  let nextUpdateId = 1;
  let nextMessageId = 1000;
  const pollers = new Set<() => void>();
  const watchers = new Set<() => void>();
  const sockets = new Set<Socket>();

  const record = (method: string, params: Record<string, unknown>, messageId?: number) => {
    calls.push({ method, params, atMs: Date.now(), ...(messageId !== undefined ? { messageId } : {}) });
    for (const w of [...watchers]) w();
  };
  const wake = () => {
    for (const p of [...pollers]) p();
  };
  const message = (params: Record<string, unknown>) => ({
    message_id: nextMessageId++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: Number(params.chat_id), type: "private", first_name: TEST_USER.first_name },
    from: BOT,
    text: typeof params.text === "string" ? params.text : "",
  });

  async function answer(method: string, params: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const ok = (result: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true, result }));
    };
    if (method === "sendMessage" || method === "sendPhoto" || method === "sendDocument") {
      const sent = message(params);
      record(method, params, sent.message_id);
      return ok(sent);
    }
    if (method !== "getUpdates") record(method, params);
    switch (method) {
      case "getMe":
        return ok(BOT);
      case "getUpdates": {
        const offset = Number(params.offset ?? 0);
        const pending = () => updates.filter((u) => Number(u.update_id) >= offset);
        if (pending().length === 0) {
          const waitMs = Math.min(Number(params.timeout ?? 0), 10) * 1000;
          await new Promise<void>((resolve) => {
            const done = () => {
              pollers.delete(done);
              clearTimeout(timer);
              resolve();
            };
            const timer = setTimeout(done, waitMs);
            pollers.add(done);
          });
        }
        return ok(pending());
      }
      case "editMessageText":
      case "editMessageReplyMarkup":
        return ok({ ...message(params), message_id: Number(params.message_id) });
      case "getWebhookInfo":
        return ok({ url: "", has_custom_certificate: false, pending_update_count: 0 });
      case "getMyCommands":
        return ok([]);
      case "getChat":
        return ok({ id: Number(params.chat_id), type: "private", first_name: TEST_USER.first_name });
      default:
        return ok(true);
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const match = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url ?? "");
      if (!match || match[1] !== botToken) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: false, error_code: 404, description: "Not Found" }));
        return;
      }
      const query = Object.fromEntries(new URL(req.url ?? "/", "http://x").searchParams);
      void answer(
        match[2]!,
        { ...query, ...parseBody(req.headers["content-type"], Buffer.concat(chunks).toString("utf8")) },
        res,
      ).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  const push = (update: Record<string, unknown>) => {
    updates.push({ update_id: nextUpdateId++, ...update });
    wake();
  };

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    botToken,
    calls,
    sendText(text, from = TEST_USER) {
      const command = /^\/[A-Za-z0-9_]+/.exec(text);
      push({
        message: {
          message_id: nextMessageId++,
          date: Math.floor(Date.now() / 1000),
          chat: { id: from.id, type: "private", first_name: from.first_name },
          from: { ...from, is_bot: false },
          text,
          ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
        },
      });
    },
    tap(callbackData, onMessageId, from = TEST_USER) {
      push({
        callback_query: {
          id: `cbq-${nextUpdateId}`,
          from: { ...from, is_bot: false },
          chat_instance: "ci-1",
          data: callbackData,
          message: {
            message_id: onMessageId,
            date: Math.floor(Date.now() / 1000),
            chat: { id: from.id, type: "private", first_name: from.first_name },
            from: BOT,
            text: "",
          },
        },
      });
    },
    waitFor(predicate, options = {}) {
      const since = options.since ?? 0;
      const timeoutMs = options.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = calls.slice(since).find(predicate);
          if (!hit) return false;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(
            new Error(
              `fake Telegram: no matching call within ${timeoutMs} ms; calls since ${since}: ${calls
                .slice(since)
                .map((c) => c.method)
                .join(", ")}`,
            ),
          );
        }, timeoutMs);
        watchers.add(check);
        check();
      });
    },
    sentMessages(since = 0) {
      return calls.slice(since).filter((c) => c.method === "sendMessage");
    },
    async close() {
      wake();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function parseBody(contentType: string | undefined, body: string): Record<string, unknown> {
  if (body === "") return {};
  if (contentType?.includes("application/json")) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return {};
    }
  }
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(body)) {
      try {
        out[k] = JSON.parse(v);
      } catch {
        out[k] = v;
      }
    }
    return out;
  }
  return {};
}
