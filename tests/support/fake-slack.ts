import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/**
 * A fake Slack for the real @openclaw/slack channel in HTTP mode, offline: the Web API on 127.0.0.1
 * (reached through SLACK_API_URL) records every call, and a test posts Slack-signed requests (events,
 * block_actions, slash commands) to the gateway's own webhook path, as Slack would.
 */
export interface SlackUser {
  id: string;
  name: string;
}

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  atMs: number;
  /** The ts the fake gave a posted message. */
  ts?: string;
}

interface SlackPosted {
  status: number;
  body: string;
}

export interface FakeSlack {
  apiUrl: string;
  botToken: string;
  signingSecret: string;
  teamId: string;
  appId: string;
  botUserId: string;
  calls: SlackCall[];
  /** Where signed requests go: http://127.0.0.1:<gateway port>/slack/events. */
  webhookUrl: string;
  dmChannelId(user?: SlackUser): string;
  /** A message in the DM with the bot (an `event_callback` with a `message` event). */
  dmMessage(text: string, from?: SlackUser): Promise<SlackPosted>;
  /** A slash command (form-encoded, as Slack sends it), answered through response_url. */
  slash(command: string, text: string, from?: SlackUser): Promise<SlackPosted>;
  /** A click on a button of a message the bot posted (`block_actions`); with threadTs, as if in that thread. */
  click(actionId: string, message: SlackCall, from?: SlackUser, threadTs?: string): Promise<SlackPosted>;
  waitFor(predicate: (c: SlackCall) => boolean, options?: { since?: number; timeoutMs?: number }): Promise<SlackCall>;
  close(): Promise<void>;
}

export const SLACK_TEST_USER: SlackUser = { id: "U0TESS00001", name: "tess" };
export const SLACK_SECOND_USER: SlackUser = { id: "U0SAM000001", name: "sam" };
export const SLACK_STRANGER: SlackUser = { id: "U0MALLORY01", name: "mallory" };
const TEAM = "T0TEAM00001";
const APP = "A0CODEX0001";
const BOT_USER = "U0BOT000001";

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const watchers = new Set<() => void>();
  const sockets = new Set<Socket>();
  const signingSecret = randomBytes(16).toString("hex");
  let tsCounter = 1_700_000_000;
  const nextTs = () => `${tsCounter++}.000100`;
  const record = (call: SlackCall) => {
    calls.push(call);
    for (const w of [...watchers]) w();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const params = parseBody(req.headers["content-type"], Buffer.concat(chunks).toString("utf8"));
      const method = url.pathname.startsWith("/api/") ? url.pathname.slice(5) : `response_url${url.pathname}`;
      const call: SlackCall = { method, params, atMs: Date.now() };
      const answer = webApi(call, nextTs);
      record(call);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(answer));
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;
  const dmChannelId = (user: SlackUser = SLACK_TEST_USER) => `D${user.id.slice(1)}`;

  const fake: FakeSlack = {
    apiUrl: `${base}/api/`,
    botToken: "xoxb-fake-0000-offline",
    signingSecret,
    teamId: TEAM,
    appId: APP,
    botUserId: BOT_USER,
    calls,
    webhookUrl: "",
    dmChannelId,
    dmMessage(text, from = SLACK_TEST_USER) {
      const ts = nextTs();
      const event = {
        type: "message",
        channel_type: "im",
        channel: dmChannelId(from),
        user: from.id,
        text,
        ts,
        event_ts: ts,
        team: TEAM,
      };
      const body = JSON.stringify({
        token: "legacy",
        team_id: TEAM,
        api_app_id: APP,
        type: "event_callback",
        event,
        event_id: `Ev${ts.replace(".", "")}`,
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [{ team_id: TEAM, user_id: BOT_USER, is_bot: true }],
      });
      return post(body, "application/json");
    },
    slash(command, text, from = SLACK_TEST_USER) {
      const form = new URLSearchParams({
        token: "legacy",
        team_id: TEAM,
        team_domain: "codex",
        channel_id: dmChannelId(from),
        channel_name: "directmessage",
        user_id: from.id,
        user_name: from.name,
        command,
        text,
        api_app_id: APP,
        response_url: `${base}/response/${nextTs()}`,
        trigger_id: `trig-${nextTs()}`,
      });
      return post(form.toString(), "application/x-www-form-urlencoded");
    },
    click(actionId, message, from = SLACK_TEST_USER, threadTs) {
      const blocks =
        (message.params.blocks as
          | Array<{ block_id?: string; elements?: Array<Record<string, unknown>> }>
          | undefined) ?? [];
      const block = blocks.find((b) => b.elements?.some((e) => e.action_id === actionId));
      const element = block?.elements?.find((e) => e.action_id === actionId);
      if (!block || !element)
        throw new Error(`fake Slack: no button ${actionId} in ${JSON.stringify(blocks).slice(0, 400)}`);
      const channel = String(message.params.channel);
      const payload = {
        type: "block_actions",
        team: { id: TEAM, domain: "codex" },
        user: { id: from.id, username: from.name, name: from.name, team_id: TEAM },
        api_app_id: APP,
        token: "legacy",
        container: {
          type: "message",
          message_ts: message.ts,
          channel_id: channel,
          is_ephemeral: false,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
        trigger_id: `trig-${nextTs()}`,
        channel: { id: channel, name: "directmessage" },
        message: {
          type: "message",
          user: BOT_USER,
          ts: message.ts,
          text: message.params.text,
          blocks,
          ...(threadTs ? { thread_ts: threadTs } : {}),
        },
        response_url: `${base}/response/${nextTs()}`,
        actions: [
          {
            action_id: actionId,
            block_id: block.block_id,
            text: element.text,
            value: element.value,
            type: "button",
            action_ts: nextTs(),
          },
        ],
      };
      return post(
        new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
        "application/x-www-form-urlencoded",
      );
    },
    waitFor(predicate, options = {}) {
      const since = options.since ?? 0;
      const timeoutMs = options.timeoutMs ?? 30_000;
      return new Promise((resolve, reject) => {
        const check = () => {
          const hit = calls.slice(since).find(predicate);
          if (!hit) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve(hit);
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          reject(
            new Error(
              `fake Slack: no matching call within ${timeoutMs} ms; calls since ${since}: ${calls
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
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  async function post(body: string, contentType: string): Promise<SlackPosted> {
    if (!fake.webhookUrl) throw new Error("fake Slack: set webhookUrl to the gateway's Slack webhook first");
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    const res = await fetch(fake.webhookUrl, {
      method: "POST",
      headers: { "content-type": contentType, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
      body,
    });
    return { status: res.status, body: await res.text() };
  }
  return fake;
}

function webApi(call: SlackCall, nextTs: () => string): Record<string, unknown> {
  const p = call.params;
  switch (call.method) {
    case "auth.test":
      return {
        ok: true,
        url: "https://codex.slack.com/",
        team: "Codex",
        user: "codex-bot",
        team_id: TEAM,
        user_id: BOT_USER,
        bot_id: "B0CODEX0001",
        is_enterprise_install: false,
        app_id: APP,
      };
    case "chat.postMessage":
    case "chat.postEphemeral": {
      // Real Slack knows conversation and user ids only: "slash:U…" or "slack" is channel_not_found.
      if (!/^[CDGU][A-Z0-9]{2,}$/.test(String(p.channel))) return { ok: false, error: "channel_not_found" };
      const ts = nextTs();
      call.ts = ts;
      return {
        ok: true,
        channel: p.channel,
        ts,
        message_ts: ts,
        message: { type: "message", user: BOT_USER, text: p.text, blocks: p.blocks, ts },
      };
    }
    case "chat.update":
      return { ok: true, channel: p.channel, ts: p.ts, text: p.text };
    case "conversations.info": {
      const id = String(p.channel);
      return {
        ok: true,
        channel: id.startsWith("D")
          ? { id, is_im: true, user: `U${id.slice(1)}` }
          : { id, name: "codex", is_channel: true, is_member: true },
      };
    }
    case "conversations.open":
      return { ok: true, channel: { id: `D${String(p.users ?? "").slice(1)}` } };
    case "users.info":
      return {
        ok: true,
        user: {
          id: p.user,
          name: "tess",
          real_name: "Tess",
          team_id: TEAM,
          profile: { display_name: "tess" },
          is_bot: false,
        },
      };
    case "team.info":
      return { ok: true, team: { id: TEAM, name: "Codex", domain: "codex" } };
    default:
      return { ok: true };
  }
}

function parseBody(contentType: string | undefined, body: string): Record<string, unknown> {
  if (body === "") return {};
  if (contentType?.includes("application/json")) {
    try {
      return JSON.parse(body) as Record<string, unknown>;
    } catch {
      return { unparsed: body.slice(0, 200) };
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(body)) {
    try {
      out[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
    } catch {
      out[k] = v;
    }
  }
  return out;
}
