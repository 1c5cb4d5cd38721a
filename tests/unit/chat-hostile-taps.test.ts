import { describe, expect, it } from "vitest";
import { createChatApp, type TapLike } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import {
  buttonRows,
  callbackValue,
  discordContext,
  fakeServices,
  recordingProgress,
  slackContext,
  telegramContext,
} from "../support/chat-fakes.ts";

/** Button taps as a hostile or careless user sends them: forged, replayed, doubled, someone else's, too late. */
function setup() {
  let now = 2_000_000;
  const services = fakeServices();
  const posted: string[] = [];
  const results: CommandResultLike[] = [];
  const app = createChatApp({
    services,
    settings: parseSettings({}),
    progress: recordingProgress(),
    replies: {
      send: async (_req, result) => {
        posted.push(result.text ?? "");
        results.push(result);
        return true;
      },
    },
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
    now: () => now,
  });
  const applied = () => services.calls.filter((c) => c.method === "applyAuth").length;
  return { app, services, posted, results, applied, advance: (ms: number) => (now += ms) };
}

const payloadOf = (r: CommandResultLike, label: string): string => {
  const b = buttonRows(r)
    .flat()
    .find((x) => x.label === label);
  if (!b) throw new Error(`no button ${label}`);
  return callbackValue(b).slice("cxp:".length);
};

function slackTap(payload: string, notes: string[] = [], over: Partial<TapLike> = {}): TapLike {
  return {
    channel: "slack",
    senderId: "U0TESS00001",
    authorized: true,
    payload,
    to: "channel:D0TESS00001",
    notify: async (text) => void notes.push(text),
    ...over,
  };
}

const EXPIRED = "This button has expired. Send /codex_usage or /codex_auth again.";
const NOT_YOURS =
  "⚠️ That confirmation is someone else's: only the person who asked can confirm or cancel it. " +
  "Nothing was changed. (not_your_confirmation)";
const NOT_YOUR_BUTTONS =
  "⚠️ Those buttons are someone else's: only the person who asked can use them. " +
  "Nothing was changed. (not_your_confirmation)";

describe("button taps a hostile or careless user sends", () => {
  it("forged payloads (empty, unknown, 64 kB, another namespace's) run nothing, say the button expired", async () => {
    const { app, services, posted } = setup();
    for (const payload of ["", "AAAAAAAA", "x".repeat(65_536), "../../etc", "tgcb1:00000:cxp:x", "\u202E"]) {
      const notes: string[] = [];
      expect(await app.onTap(slackTap(payload, notes))).toEqual({ handled: true });
      expect(notes).toEqual([EXPIRED]);
      const replies: string[] = [];
      const tg = await app.onCallback({
        channel: "telegram",
        auth: { isAuthorizedSender: true },
        callback: { payload },
        respond: { reply: async ({ text }) => void replies.push(text) },
      });
      expect(tg).toEqual({ handled: true });
      expect(replies).toEqual([EXPIRED]);
    }
    expect(services.calls).toEqual([]);
    expect(posted).toEqual([]);
  });

  it("a confirm tapped twice at once, then replayed, applies once", async () => {
    const { app, posted, applied } = setup();
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    const confirm = payloadOf(plan, "Confirm");
    await Promise.all([app.onTap(slackTap(confirm)), app.onTap(slackTap(confirm))]);
    await app.onTap(slackTap(confirm));
    expect(applied()).toBe(1);
    expect(posted.filter((t) => t.includes("(nothing_pending)"))).toHaveLength(2);
  });

  it("Slack: another member's tap on Confirm or Cancel is refused to them alone; the owner's plan stays", async () => {
    const { app, services, posted, applied } = setup();
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    const calls = services.calls.length;
    for (const label of ["Confirm", "Cancel"]) {
      const notes: string[] = [];
      expect(await app.onTap(slackTap(payloadOf(plan, label), notes, { senderId: "U0SAM000001" }))).toEqual({
        handled: true,
      });
      expect(notes).toEqual([NOT_YOUR_BUTTONS]);
    }
    expect(posted).toEqual([]); // nothing in the channel: the note is ephemeral, to the tapper only
    expect(services.calls.length).toBe(calls);
    await app.onTap(slackTap(payloadOf(plan, "Confirm")));
    expect(posted.at(-1)).toBe("✅ first applied and verified");
    expect(applied()).toBe(1);
  });

  it("Slack: a Check login tap by another member is refused the same way; the owner's check still runs", async () => {
    const { app, services, results } = setup();
    const plan = await app.codexAuth(slackContext("add"));
    await app.onTap(slackTap(payloadOf(plan, "Confirm")));
    const check = payloadOf(results.at(-1)!, "Check login");
    const polls = () => services.calls.filter((c) => c.method === "pollLogin").length;
    const notes: string[] = [];
    await app.onTap(slackTap(check, notes, { senderId: "U0SAM000001" }));
    expect(notes).toEqual([NOT_YOUR_BUTTONS]);
    expect(polls()).toBe(0);
    await app.onTap(slackTap(check));
    expect(polls()).toBe(1);
  });

  it("Slack: the usage picker stays shared: another member's tap runs usage for them, in the channel", async () => {
    const { app, posted } = setup();
    const selector = await app.codexUsage(slackContext(""));
    const notes: string[] = [];
    await app.onTap(slackTap(payloadOf(selector, "bob@example.com"), notes, { senderId: "U0SAM000001" }));
    expect(notes).toEqual([]);
    expect(posted.at(-1)).toContain("bob@example.com");
  });

  it("Discord: the confirmation's buttons survive a tap; another member's Confirm or Cancel is refused", async () => {
    const { app, applied } = setup();
    const plan = await app.codexAuth(discordContext("first bob@example.com"));
    const commands = buttonRows(plan)
      .flat()
      .map((b) => {
        expect(b.reusable).toBe(true); // OpenClaw would consume the owner's buttons on a stranger's tap
        return b.action.type === "command" ? b.action.command : "";
      });
    const sam = { senderId: "555000000000000001", from: "discord:555000000000000001" };
    for (const command of commands) {
      const other = await app.codexAuth(discordContext(command.replace(/^\/codex_auth /, ""), sam));
      expect(other.text).toBe(NOT_YOURS);
      expect(other.isError).toBe(true);
    }
    expect(applied()).toBe(0);
    const done = await app.codexAuth(discordContext(commands[0]!.replace(/^\/codex_auth /, "")));
    expect(done.text).toBe("✅ first applied and verified");
    expect(applied()).toBe(1);
  });

  it("Telegram: the owner's confirm submitted by another sender is refused as someone else's", async () => {
    const { app, applied } = setup();
    const plan = await app.codexAuth(telegramContext("first bob@example.com"));
    const tapped = await app.onCallback({
      channel: "telegram",
      auth: { isAuthorizedSender: true },
      callback: { payload: payloadOf(plan, "Confirm") },
    });
    const submitted = tapped.submitText!.replace(/^\/codex_auth /, "");
    const other = await app.codexAuth(telegramContext(submitted, { senderId: "777", from: "telegram:777" }));
    expect(other.text).toBe(NOT_YOURS);
    expect((await app.codexAuth(telegramContext(submitted))).text).toBe("✅ first applied and verified");
    expect(applied()).toBe(1);
  });

  it("a delete needs both confirmations: its first Delete tapped again is refused and deletes nothing", async () => {
    const { app, posted, applied } = setup();
    const plan = await app.codexAuth(slackContext("delete bob@example.com"));
    const first = payloadOf(plan, "Delete");
    await Promise.all([app.onTap(slackTap(first)), app.onTap(slackTap(first))]);
    expect(applied()).toBe(0);
    expect(posted.filter((t) => t.startsWith("Really delete?"))).toHaveLength(1);
    expect(posted.filter((t) => t.includes("(nothing_pending)"))).toHaveLength(1);
    await app.onTap(slackTap(first));
    expect(applied()).toBe(0);
  });

  it("a confirm tapped after the plan expired applies nothing", async () => {
    const { app, posted, applied, advance } = setup();
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    advance(5 * 60_000 + 1);
    await app.onTap(slackTap(payloadOf(plan, "Confirm")));
    expect(posted.at(-1)).toContain("(nothing_pending)");
    expect(applied()).toBe(0);
  });
});

describe("what a handler cannot count on", () => {
  it("a reply that cannot be sent (an expired response_url) rejects nothing: the tap stays handled", async () => {
    const { app } = setup();
    const refuse = async (): Promise<never> => {
      throw new Error("slack: response_url expired");
    };
    expect(await app.onTap(slackTap("stale", [], { notify: refuse }))).toEqual({ handled: true });
    const tg = await app.onCallback({
      channel: "telegram",
      auth: { isAuthorizedSender: true },
      callback: { payload: "stale" },
      respond: { reply: refuse },
    });
    expect(tg).toEqual({ handled: true });
  });

  it("anything thrown (a string, undefined, an unprintable object) is one readable error line", async () => {
    const unprintable = {
      toString() {
        throw new Error("toString");
      },
    };
    const noMessage = new Error("x");
    Object.defineProperty(noMessage, "message", {
      get() {
        throw new Error("getter");
      },
    });
    for (const thrown of ["plain words", undefined, Object.create(null), unprintable, noMessage, Symbol("s")]) {
      const { app, services } = setup();
      services.loadProfiles = async () => {
        throw thrown;
      };
      const reply = await app.codexUsage(telegramContext("all"));
      expect(reply.text).toMatch(/^⚠️ \S.* \(service_failed\)$/);
      expect(reply.text).not.toContain("undefined");
    }
  });
});
