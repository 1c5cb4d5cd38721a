import { describe, expect, it } from "vitest";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import type { InteractiveContextLike, InteractiveRegistrationLike, PluginApiLike } from "../../src/plugin/api-types.ts";
import { registerCodexProfiler } from "../../src/plugin/index.ts";
import { buttonRows, callbackValue, fakeServices, slackContext } from "../support/chat-fakes.ts";

/**
 * Buttons posted in a Slack thread reply, tapped there. The tap's context is the one @openclaw/slack 2026.9.6
 * hands a plugin handler (provider-C-jPaGt2.mjs, dispatchSlackPluginInteraction): conversationId the bare channel
 * id, threadId the thread_ts of the tapped message (container.thread_ts ?? message.thread_ts). Its outbound adapter
 * posts into a thread when given threadId (resolveSlackThreadTsValue). Everything between is the plugin's own.
 */
const CHANNEL = "C0TEAM00001";
const THREAD = "1764530000.000100";
const inThread: Partial<CommandContextLike> = { to: `channel:${CHANNEL}`, messageThreadId: THREAD };

function setup() {
  const services = fakeServices();
  const sent: Array<{ kind: "text" | "payload"; to: string; threadId?: string | number; text: string }> = [];
  const interactive: InteractiveRegistrationLike[] = [];
  const commands: Array<{ name: string; handler: (ctx: CommandContextLike) => Promise<CommandResultLike> }> = [];
  const api: PluginApiLike = {
    pluginConfig: {},
    config: {},
    logger: { info: () => {}, warn: () => {} },
    registerCommand: (c) => commands.push(c),
    registerInteractiveHandler: (r) => interactive.push(r),
    runtime: {
      channel: {
        outbound: {
          loadAdapter: async () => ({
            sendText: async (p) => void sent.push({ kind: "text", to: p.to, threadId: p.threadId, text: p.text }),
            sendPayload: async (p) =>
              void sent.push({ kind: "payload", to: p.to, threadId: p.threadId, text: p.payload.text }),
          }),
        },
      },
    },
  };
  registerCodexProfiler(api, { services });
  const command = (name: string) => commands.find((c) => c.name === name)!.handler;
  const slack = interactive.find((r) => r.channel === "slack")!;
  const notes: string[] = [];
  const tap = (result: CommandResultLike, label: string, over: Partial<InteractiveContextLike> = {}) => {
    const button = buttonRows(result)
      .flat()
      .find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label}`);
    return slack.handler({
      channel: "slack",
      accountId: "default",
      senderId: "U0TESS00001",
      conversationId: CHANNEL,
      threadId: THREAD,
      auth: { isAuthorizedSender: true },
      interaction: { payload: callbackValue(button).slice("cxp:".length) },
      respond: { reply: async ({ text }) => void notes.push(text) },
      ...over,
    });
  };
  const applied = () => services.calls.filter((c) => c.method === "applyAuth").length;
  return { command, tap, sent, notes, applied };
}

describe("Slack: buttons tapped in a thread", () => {
  it("a confirm tapped in the thread still matches the plan; progress and answer land in that thread", async () => {
    const { command, tap, sent, notes, applied } = setup();
    const plan = await command("codex_auth")(slackContext("first bob@example.com", inThread));
    expect(await tap(plan, "Confirm")).toEqual({ handled: true });
    expect(applied()).toBe(1);
    expect(notes).toEqual([]);
    expect(sent).toEqual([
      {
        kind: "text",
        to: `channel:${CHANNEL}`,
        threadId: THREAD,
        text: "Applying via `openclaw models auth order set` and verifying…",
      },
      { kind: "payload", to: `channel:${CHANNEL}`, threadId: THREAD, text: "✅ first applied and verified" },
    ]);
  });

  it("a picker tapped in the thread answers there; a tap outside any thread answers in the channel", async () => {
    const { command, tap, sent } = setup();
    const selector = await command("codex_usage")(slackContext("", inThread));
    await tap(selector, "bob@example.com");
    expect(sent.map((s) => [s.kind, s.to, s.threadId])).toEqual([
      ["text", `channel:${CHANNEL}`, THREAD],
      ["payload", `channel:${CHANNEL}`, THREAD],
    ]);
    sent.length = 0;
    await tap(selector, "alice@example.com", { threadId: undefined });
    expect(sent.map((s) => [s.kind, s.to, s.threadId])).toEqual([
      ["text", `channel:${CHANNEL}`, undefined],
      ["payload", `channel:${CHANNEL}`, undefined],
    ]);
  });

  it("another member's tap on the owner's confirm in the thread: refused to them alone, nothing posted", async () => {
    const { command, tap, sent, notes, applied } = setup();
    const plan = await command("codex_auth")(slackContext("first bob@example.com", inThread));
    await tap(plan, "Confirm", { senderId: "U0SAM000001" });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toContain("(not_your_confirmation)");
    expect(sent).toEqual([]);
    expect(applied()).toBe(0);
    await tap(plan, "Confirm");
    expect(applied()).toBe(1);
  });
});
