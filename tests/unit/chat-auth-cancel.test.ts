import { describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import {
  buttonRows,
  callbackValue,
  discordContext,
  fakeServices,
  recordingProgress,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";

function setup(services = fakeServices()) {
  const app = createChatApp({
    services,
    settings: parseSettings({}),
    progress: recordingProgress(),
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
  });
  const applied = () => services.calls.filter((c) => c.method === "applyAuth").map((c) => c.arg);
  return { app, applied };
}

const button = (r: CommandResultLike, label: string) =>
  buttonRows(r)
    .flat()
    .find((b) => b.label === label)!;

/** Taps a Discord command button: its command comes back as the next /codex_auth. */
const discordTap =
  (app: ReturnType<typeof setup>["app"]) =>
  (r: CommandResultLike, label: string): Promise<CommandResultLike> => {
    const action = button(r, label).action;
    if (action.type !== "command") throw new Error(`not a command button: ${JSON.stringify(action)}`);
    return app.codexAuth(discordContext(action.command.replace(/^\/codex_auth /, "")));
  };

const NO_LONGER = "That plan is no longer waiting (confirmed, cancelled, replaced or expired); nothing was changed.";

describe("/codex_auth: a Cancel button cancels its own plan only", () => {
  it("Telegram: an older plan's Cancel leaves the newer plan confirmable", async () => {
    const { app, applied } = setup();
    const tap = async (r: CommandResultLike, label: string) => {
      const payload = callbackValue(button(r, label)).slice("cxp:".length);
      const res = await app.onCallback({
        channel: "telegram",
        auth: { isAuthorizedSender: true },
        callback: { payload },
      });
      return app.codexAuth(telegramContext(res.submitText!.replace(/^\/codex_auth /, "")));
    };
    const retire = await app.codexAuth(telegramContext("retire 1"));
    const first = await app.codexAuth(telegramContext("first 2"));
    expect((await tap(retire, "Cancel")).text).toBe(NO_LONGER);
    expect((await tap(first, "Confirm")).text).toBe("✅ first applied and verified");
    expect(applied()).toEqual([{ action: "first", profileId: "openai:bob@example.com", agentId: "main" }]);
  });

  it("Discord: the command button names its plan; its own Cancel still cancels it", async () => {
    const { app, applied } = setup();
    const run = discordTap(app);
    const retire = await app.codexAuth(discordContext("retire 1"));
    const first = await app.codexAuth(discordContext("first 2"));
    expect(button(first, "Cancel").action).toEqual({
      type: "command",
      command: expect.stringMatching(/^\/codex_auth no [0-9a-f]{8}$/),
    });
    expect((await run(retire, "Cancel")).text).toBe(NO_LONGER);
    expect((await run(first, "Cancel")).text).toBe("Cancelled; nothing was changed.");
    expect((await run(first, "Confirm")).text).toContain("(nothing_pending)");
    expect(applied()).toEqual([]);
  });

  it("a delete asked twice: the first ask's Cancel still cancels it; its Delete points to the second ask", async () => {
    const { app, applied } = setup();
    const run = discordTap(app);
    const firstAsk = await app.codexAuth(discordContext("delete bob@example.com"));
    const secondAsk = await run(firstAsk, "Delete");
    expect(secondAsk.text).toMatch(/^Really delete\? .*\. This cannot be undone\.$/);
    const again = await run(firstAsk, "Delete");
    expect(again.text).toContain("waits for its second confirmation");
    expect((await run(firstAsk, "Cancel")).text).toBe("Cancelled; nothing was changed.");
    expect((await run(secondAsk, "Delete")).text).toContain("(nothing_pending)");
    expect((await app.codexAuth(discordContext("yes"))).text).toContain("(nothing_pending)");
    expect(applied()).toEqual([]);
  });

  it("a typed bare no cancels whatever waits for the sender", async () => {
    const { app, applied } = setup();
    await app.codexAuth(webchatContext("retire 1"));
    const first = await app.codexAuth(webchatContext("first 2"));
    expect(first.text).toMatch(/^• Cancel: \/codex_auth no$/m);
    expect((await app.codexAuth(webchatContext("no"))).text).toBe("Cancelled; nothing was changed.");
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("(nothing_pending)");
    expect(applied()).toEqual([]);
  });
});

describe("/codex_auth: a typed yes or no with more words", () => {
  it("'no thanks' cancels the change waiting, even the second ask of a delete", async () => {
    const { app, applied } = setup();
    await app.codexAuth(webchatContext("delete bob@example.com"));
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("Really delete?");
    for (const words of ["no thanks", "cancel that"]) {
      await app.codexAuth(webchatContext("retire 1"));
      expect((await app.codexAuth(webchatContext(words))).text).toBe("Cancelled; nothing was changed.");
    }
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("Nothing is waiting for a confirmation");
    expect(applied()).toEqual([]);
  });

  it("'yes please' applies nothing and keeps the change waiting; 'yes' alone then applies it", async () => {
    const { app, applied } = setup();
    await app.codexAuth(webchatContext("retire 1"));
    const said = await app.codexAuth(webchatContext("yes please"));
    expect(said.isError).toBe(true);
    expect(said.text).toContain("reply /codex_auth yes alone");
    expect(applied()).toEqual([]);
    expect((await app.codexAuth(webchatContext("yes"))).text).toBe("✅ retire applied and verified");
    expect(applied()).toHaveLength(1);
  });
});

describe("/codex_auth: a change that would change nothing", () => {
  it("says so and asks for no confirmation", async () => {
    const services = fakeServices();
    services.planAuth = async () => ({ summary: "openai:carol is already out of the stored order", commands: [] });
    const { app, applied } = setup(services);
    const r = await app.codexAuth(webchatContext("retire 1"));
    expect(r.text).toBe("openai:carol is already out of the stored order: nothing to change.");
    expect(buttonRows(r).flat()).toEqual([]);
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("Nothing is waiting for a confirmation");
    expect(applied()).toEqual([]);
  });
});
