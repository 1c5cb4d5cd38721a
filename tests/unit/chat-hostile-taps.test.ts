import { describe, expect, it } from "vitest";
import { createChatApp, type TapLike } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import {
  buttonRows,
  callbackValue,
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
  const app = createChatApp({
    services,
    settings: parseSettings({}),
    progress: recordingProgress(),
    replies: {
      send: async (_req, result) => {
        posted.push(result.text ?? "");
        return true;
      },
    },
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
    now: () => now,
  });
  const applied = () => services.calls.filter((c) => c.method === "applyAuth").length;
  return { app, services, posted, applied, advance: (ms: number) => (now += ms) };
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

describe("button taps a hostile or careless user sends", () => {
  it("forged payloads (empty, unknown, 64 kB, another namespace's) run nothing and say the button expired", async () => {
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

  it("another member's tap on the owner's confirm changes nothing and leaves the plan to its owner", async () => {
    const { app, posted, applied } = setup();
    const plan = await app.codexAuth(slackContext("first bob@example.com"));
    await app.onTap(slackTap(payloadOf(plan, "Confirm"), [], { senderId: "U0SAM000001" }));
    expect(posted.at(-1)).toContain("(not_authorized)");
    expect(applied()).toBe(0);
    await app.onTap(slackTap(payloadOf(plan, "Confirm")));
    expect(applied()).toBe(1);
  });

  it("Telegram: the owner's confirm submitted by another sender finds no plan of theirs", async () => {
    const { app, applied } = setup();
    const plan = await app.codexAuth(telegramContext("first bob@example.com"));
    const tapped = await app.onCallback({
      channel: "telegram",
      auth: { isAuthorizedSender: true },
      callback: { payload: payloadOf(plan, "Confirm") },
    });
    const submitted = tapped.submitText!.replace(/^\/codex_auth /, "");
    const other = await app.codexAuth(telegramContext(submitted, { senderId: "777", from: "telegram:777" }));
    expect(other.text).toContain("(nothing_pending)");
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
