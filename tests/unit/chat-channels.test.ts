import { describe, expect, it } from "vitest";
import { createChatApp, type TapLike } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import type { InteractiveRegistrationLike, OutboundAdapterLike, PluginApiLike } from "../../src/plugin/api-types.ts";
import { registerCodexProfiler } from "../../src/plugin/index.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import { outboundProgress, outboundReplies, progressTarget } from "../../src/plugin/outbound.ts";
import {
  ALICE_LINE,
  BOB_LINE,
  buttonRows,
  callbackValue,
  discordContext,
  FAKE_PROFILES,
  fakeServices,
  recordingProgress,
  slackContext,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";

function setup(config: Record<string, unknown> = {}) {
  let now = 1_000_000;
  const services = fakeServices();
  const progress = recordingProgress();
  const posted: Array<{ to: string | undefined; sender: string; result: CommandResultLike }> = [];
  const order: string[] = [];
  const check = services.checkUsage.bind(services);
  services.checkUsage = async (q) => {
    order.push("check");
    return check(q);
  };
  const app = createChatApp({
    services,
    settings: parseSettings(config),
    progress: {
      send: async (req, text) => {
        order.push("progress");
        return progress.send(req, text);
      },
    },
    replies: {
      send: async (req, result) => {
        order.push("reply");
        posted.push({ to: req.context.to, sender: req.senderKey, result });
        return true;
      },
    },
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
    now: () => now,
  });
  return { app, services, progress, posted, order, advance: (ms: number) => (now += ms) };
}

const buttons = (r: CommandResultLike) => buttonRows(r).flat();
const named = (r: CommandResultLike, label: string) => {
  const b = buttons(r).find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label} in ${JSON.stringify(buttons(r).map((x) => x.label))}`);
  return b;
};
const runs = (s: ReturnType<typeof fakeServices>, method: string) => s.calls.filter((c) => c.method === method);

/** A Slack tap as the plugin glue hands it to the chat: Slack sends the user id upper-case. */
function slackTap(r: CommandResultLike, label: string, over: Partial<TapLike> & { notes?: string[] } = {}): TapLike {
  const notes = over.notes ?? [];
  return {
    channel: "slack",
    senderId: "U0TESS00001",
    authorized: true,
    payload: callbackValue(named(r, label)).slice("cxp:".length),
    to: "channel:D0TESS00001",
    accountId: "default",
    notify: async (text) => void notes.push(text),
    ...over,
  };
}

describe("Discord: command buttons that OpenClaw runs as the command", () => {
  it("the selector's buttons carry the full command, stay usable after a tap, and need no token", async () => {
    const { app } = setup();
    const r = await app.codexUsage(discordContext(""));
    expect(buttons(r).map((b) => b.action)).toEqual([
      { type: "command", command: "/codex_usage default" },
      { type: "command", command: "/codex_usage all" },
      ...FAKE_PROFILES.map((p) => ({ type: "command", command: `/codex_usage ${p.id}` })),
    ]);
    for (const b of buttons(r)) expect(b.reusable).toBe(true);
    expect(app.deps.tokens.size).toBe(0);
  });

  it("next steps and a confirmation's buttons stay usable; the plan id settles a confirmation once", async () => {
    const { app } = setup();
    const usage = await app.codexUsage(discordContext("all"));
    expect(buttons(usage).map((b) => [b.label, b.reusable])).toEqual([
      ["Re-login alice@example.com", true],
      ["Put bob@example.com first", true],
    ]);
    const command = named(usage, "Put bob@example.com first").action;
    expect(command).toEqual({ type: "command", command: "/codex_auth first openai:bob@example.com" });
    const plan = await app.codexAuth(discordContext("first openai:bob@example.com"));
    expect(buttons(plan).map((b) => b.label)).toEqual(["Confirm", "Cancel"]);
    // Kept past a tap (anyone's), so the plan id settles it: the owner's second Confirm finds nothing.
    for (const b of buttons(plan)) expect(b.reusable).toBe(true);
    const confirm = named(plan, "Confirm").action;
    if (confirm.type !== "command") throw new Error("not a command button");
    const yes = confirm.command.replace(/^\/codex_auth /, "");
    expect((await app.codexAuth(discordContext(yes))).text).toBe("✅ first applied and verified");
    expect((await app.codexAuth(discordContext(yes))).text).toContain("(nothing_pending)");
  });

  it("Telegram keeps callback buttons; a channel left out of buttonChannels keeps the text list", async () => {
    const { app } = setup({ buttonChannels: ["telegram", "slack"] });
    const tg = await app.codexUsage(telegramContext(""));
    expect(buttons(tg).every((b) => b.action.type === "callback")).toBe(true);
    const dc = await app.codexUsage(discordContext(""));
    expect(dc.presentation).toBeUndefined();
    expect(dc.text).toContain(
      "Reply /codex_usage <number>, or:\n• default: /codex_usage default\n• all: /codex_usage all",
    );
  });
});

describe("Slack: a tap runs the command and posts the answer itself", () => {
  it("tapping all: progress first, then the lines with next-step buttons posted to the conversation", async () => {
    const { app, posted, order, progress } = setup();
    const selector = await app.codexUsage(slackContext(""));
    expect(buttons(selector).every((b) => b.action.type === "callback")).toBe(true);
    expect(await app.onTap(slackTap(selector, "all"))).toEqual({ handled: true });
    expect(order).toEqual(["progress", "check", "reply"]);
    expect(progress.sent).toEqual([{ channel: "slack", text: USAGE_PROGRESS_TEXT }]);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.to).toBe("channel:D0TESS00001");
    expect(posted[0]!.result.text).toBe(`${ALICE_LINE}\n${BOB_LINE}`);
    expect(buttons(posted[0]!.result).map((b) => b.label)).toEqual([
      "Re-login alice@example.com",
      "Put bob@example.com first",
    ]);
  });

  it("one person, one key: a typed command (id lower-cased) and a tap (upper-case) are the same request", async () => {
    const { app, services, posted } = setup();
    const selector = await app.codexUsage(slackContext(""));
    await app.codexUsage(slackContext("all"));
    await app.onTap(slackTap(selector, "all"));
    expect(runs(services, "checkUsage")).toHaveLength(1);
    expect(posted.at(-1)!.result.text).toMatch(/^Same request answered \d+ s ago; not run again\.$/);
  });

  it("put first typed, confirmed by a tap: applies once, only after the tap", async () => {
    const { app, services, posted } = setup();
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    expect(runs(services, "applyAuth")).toHaveLength(0);
    await app.onTap(slackTap(plan, "Confirm"));
    expect(runs(services, "applyAuth")).toHaveLength(1);
    expect(posted.at(-1)!.result.text).toBe("✅ first applied and verified");
  });

  it("a tap runs against the agent of the message it was on", async () => {
    const { app, services } = setup();
    const selector = await app.codexUsage(slackContext("", { agentId: "work" }));
    await app.onTap(slackTap(selector, "all"));
    expect(runs(services, "checkUsage").map((c) => c.arg)).toEqual([{ selection: "all" }]);
    // The set the check ran on was read for the selector's agent.
    expect(runs(services, "loadProfiles").map((c) => c.arg)).toEqual([{ agentId: "work" }, { agentId: "work" }]);
  });

  it("a tap the channel did not authorize runs and posts nothing; an expired one says so privately", async () => {
    const { app, services, posted, advance } = setup();
    const selector = await app.codexUsage(slackContext(""));
    expect(await app.onTap(slackTap(selector, "all", { authorized: false }))).toEqual({ handled: true });
    expect(runs(services, "checkUsage")).toHaveLength(0);
    const notes: string[] = [];
    advance(30 * 60_000 + 1);
    expect(await app.onTap(slackTap(selector, "all", { notes }))).toEqual({ handled: true });
    expect(notes).toEqual(["This button has expired. Send /codex_usage or /codex_auth again."]);
    expect(posted).toEqual([]);
  });

  it("a tap changes nothing its sender could not change by typing: a non-owner's menu stays read-only", async () => {
    const { app, services, posted } = setup();
    const nonOwner = { senderIsOwner: false };
    expect((await app.codexAuth(slackContext("first bob@example.com", nonOwner))).text).toContain("(not_authorized)");
    const menu = await app.codexAuth(slackContext("bob@example.com", nonOwner));
    await app.onTap(slackTap(menu, "Put first"));
    expect(posted.at(-1)!.result.text).toContain("(not_authorized)");
    expect(runs(services, "planAuth")).toHaveLength(0);
    // The owner's menu, tapped by the owner, plans the change; tapped by another member, it does not.
    const owners = await app.codexAuth(slackContext("bob@example.com"));
    await app.onTap(slackTap(owners, "Put first", { senderId: "U0SAM000001" }));
    expect(posted.at(-1)!.result.text).toContain("(not_authorized)");
    await app.onTap(slackTap(owners, "Put first"));
    expect(runs(services, "planAuth")).toHaveLength(1);
  });

  it("mutationAllowFrom matches Slack ids whatever their case", async () => {
    const { app, services } = setup({ mutationAllowFrom: ["U0TESS00001"] });
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    await app.onTap(slackTap(plan, "Confirm"));
    expect(runs(services, "applyAuth")).toHaveLength(1);
    const other = await app.codexAuth(slackContext("first bob@example.com", { senderId: "u0sam000001" }));
    expect(other.text).toContain("(not_authorized)");
  });

  it("without a way to post, the answer goes to the tapping user as a note", async () => {
    const services = fakeServices();
    const app = createChatApp({
      services,
      settings: parseSettings({}),
      progress: recordingProgress(),
      logger: { warn: () => {} },
    });
    const selector = await app.codexUsage(slackContext(""));
    const notes: string[] = [];
    await app.onTap(slackTap(selector, "bob@example.com", { notes }));
    expect(notes).toEqual([BOB_LINE]);
  });
});

describe("progress target: where the reply will go", () => {
  const cases: Array<[string, CommandContextLike, string | null]> = [
    ["typed Telegram", telegramContext("all"), "telegram:424242"],
    ["typed Discord DM", discordContext("all"), "user:424242424242424242"],
    [
      "typed Discord guild",
      discordContext("all", { to: "channel:7700000000000000100" }),
      "channel:7700000000000000100",
    ],
    [
      "Discord slash in a DM",
      discordContext("all", { to: "slash:424242424242424242", channelId: "2200000000000000001" }),
      "channel:2200000000000000001",
    ],
    [
      "Discord slash in a guild (ephemeral reply: no public progress)",
      discordContext("all", {
        to: "slash:424242424242424242",
        channelId: "7700000000000000100",
        from: "discord:channel:7700000000000000100",
      }),
      null,
    ],
    ["Slack slash (no conversation id)", slackContext("all", { to: "slash:U0TESS00001" }), null],
    ["typed Slack", slackContext("all"), "user:U0TESS00001"],
    ["web chat", webchatContext("all"), null],
  ];
  for (const [name, ctx, target] of cases) it(name, () => expect(progressTarget(ctx)).toBe(target));
});

function fakeApi(adapter: OutboundAdapterLike | undefined, over: Partial<PluginApiLike> = {}) {
  const warnings: string[] = [];
  const interactive: InteractiveRegistrationLike[] = [];
  const api: PluginApiLike = {
    pluginConfig: {},
    config: { from: "register" },
    logger: { info: () => {}, warn: (m) => warnings.push(m) },
    registerCommand: () => {},
    registerInteractiveHandler: (r) => interactive.push(r),
    runtime: { channel: { outbound: { loadAdapter: async () => adapter } } },
    ...over,
  };
  return { api, warnings, interactive };
}

describe("outbound senders", () => {
  const request = (ctx: CommandContextLike) => ({
    channel: ctx.channel,
    senderKey: "k",
    args: "",
    agentId: undefined,
    canMutate: true,
    context: ctx,
  });

  it("the progress message goes through sendText; the answer through sendPayload, buttons included", async () => {
    const calls: Array<[string, unknown]> = [];
    const { api } = fakeApi({
      sendText: async (p) => void calls.push(["text", p]),
      sendPayload: async (p) => void calls.push(["payload", p]),
    });
    const logger = { warn: () => {} };
    const ctx = slackContext("all", { to: "channel:D0TESS00001", config: { c: 1 }, messageThreadId: "17.1" });
    expect(await outboundProgress(api, logger).send(request(ctx), "⏳")).toBe(true);
    const result = { text: "lines", presentation: { blocks: [] } };
    expect(await outboundReplies(api, logger).send(request(ctx), result)).toBe(true);
    const base = { cfg: { c: 1 }, accountId: "default", threadId: "17.1", to: "channel:D0TESS00001" };
    expect(calls).toEqual([
      ["text", { ...base, text: "⏳" }],
      ["payload", { ...base, payload: { text: "lines", presentation: { blocks: [] } } }],
    ]);
  });

  it("a failed send is logged (redacted) and reported as not sent; no adapter, no send", async () => {
    const { api, warnings } = fakeApi({
      sendPayload: async () => {
        throw new Error("channel_not_found (Bearer xoxb-secret-0123456789)");
      },
    });
    const logger = { warn: (m: string) => warnings.push(m) };
    expect(await outboundReplies(api, logger).send(request(slackContext("")), { text: "x" })).toBe(false);
    expect(warnings.join("\n")).toContain("answer on slack failed: channel_not_found");
    expect(warnings.join("\n")).not.toContain("xoxb-secret-0123456789");
    const none = fakeApi(undefined);
    expect(await outboundProgress(none.api, logger).send(request(slackContext("")), "⏳")).toBe(false);
  });

  it("a progress message the channel never answers is given up after its deadline: the command goes on", async () => {
    const { api } = fakeApi({ sendText: () => new Promise(() => {}) });
    const ctx = slackContext("all", { to: "channel:D0TESS00001" });
    expect(await outboundProgress(api, { warn: () => {} }, 50).send(request(ctx), "⏳")).toBe(false);
  });
});

describe("interactive registration", () => {
  it("each callback-button channel gets a handler that runs the tap; Discord's command buttons need none", async () => {
    const posted: unknown[] = [];
    const { api, interactive } = fakeApi(
      { sendText: async () => {}, sendPayload: async (p) => void posted.push(p) },
      {
        pluginConfig: { buttonChannels: ["telegram", "discord", "slack", "mattermost"] },
        runtime: {
          config: { current: () => ({ from: "runtime" }) },
          channel: { outbound: { loadAdapter: async () => ({ sendPayload: async (p) => void posted.push(p) }) } },
        },
      },
    );
    const commands: Array<{ name: string; handler: (ctx: CommandContextLike) => Promise<CommandResultLike> }> = [];
    api.registerCommand = (c) => commands.push(c);
    registerCodexProfiler(api, { services: fakeServices() });
    expect(interactive.map((r) => r.channel)).toEqual(["telegram", "slack", "mattermost"]);
    const selector = await commands[0]!.handler(slackContext(""));
    const replies: string[] = [];
    const slack = interactive.find((r) => r.channel === "slack")!;
    const result = await slack.handler({
      channel: "slack",
      accountId: "default",
      senderId: "U0TESS00001",
      conversationId: "D0TESS00001",
      auth: { isAuthorizedSender: true },
      interaction: { payload: callbackValue(named(selector, "bob@example.com")).slice(4) },
      respond: { reply: async ({ text }) => void replies.push(text) },
    });
    expect(result).toEqual({ handled: true });
    expect(posted).toEqual([
      {
        cfg: { from: "runtime" },
        to: "channel:D0TESS00001",
        accountId: "default",
        payload: { text: BOB_LINE },
      },
    ]);
    expect(
      await slack.handler({ channel: "slack", auth: { isAuthorizedSender: true }, interaction: { payload: "x" } }),
    ).toEqual({ handled: true });
  });
});
