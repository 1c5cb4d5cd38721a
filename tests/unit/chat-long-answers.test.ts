import { describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import { buttonRows, discordContext, fakeServices, slackContext, telegramContext } from "../support/chat-fakes.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";
import { checkOf, sampleReport, win } from "../support/usage-report-builders.ts";

/**
 * @openclaw/discord 2026.9.6 sends a reply over 2,000 characters as several messages, and its chunker fills each
 * one to the limit, cutting the line that does not fit at a space (seen running its chunkDiscordTextWithMode on a
 * 20-profile answer: "🟢 `seat16-…` — 5h **26%** | week **50" | "%** | r5 **1h** | rw **1d**"). So on Discord the
 * answer goes in pieces of whole lines: the leading ones as messages of their own, the last with the buttons.
 */
const name = (i: number) => `seat${i}-${"x".repeat(40)}@example.com`;

function setup(count: number, o: { sendFails?: boolean; piecesSent?: number } = {}) {
  const services = fakeServices();
  const profiles = Array.from({ length: count }, (_, i) => codexProfile(`openai:${name(i)}`, i));
  services.loadProfiles = async () => profileSetOf(profiles);
  services.checkUsage = async (q) => {
    const all = profiles.map((_, i) => {
      const r = sampleReport(name(i), { h5: win(90 - i, 3600), wk: win(50, 86_400, 604_800) });
      r.local.orderIndex = i;
      return r;
    });
    return { ...checkOf(all), selection: q.selection };
  };
  const sent: string[] = [];
  const app = createChatApp({
    services,
    settings: parseSettings({}),
    progress: {
      send: async (_req, text) => {
        if (o.sendFails && text !== USAGE_PROGRESS_TEXT) return false;
        if (o.piecesSent !== undefined && sent.length > o.piecesSent) return false;
        sent.push(text);
        return true;
      },
    },
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
  });
  return { app, sent };
}

describe("an answer longer than one Discord message", () => {
  it("goes as pieces of whole lines, each at most 2,000 characters, the buttons under the last", async () => {
    const { app, sent } = setup(40);
    const r = await app.codexUsage(discordContext("all details"));
    const pieces = [...sent.filter((t) => t !== USAGE_PROGRESS_TEXT), r.text ?? ""];
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(2000);
    const lines = pieces.flatMap((p) => p.split("\n"));
    const own = lines.filter((l) => /^🟢 `seat\d+-x+@example\.com` — 5h \*\*\d+%\*\* \| week \*\*50%\*\* \|/u.test(l));
    expect(own).toHaveLength(40);
    expect(lines.filter((l) => l.startsWith("  ↳ "))).toHaveLength(40);
    expect(sent[0]).toBe(USAGE_PROGRESS_TEXT);
    expect(
      buttonRows(r)
        .flat()
        .map((b) => b.label),
    ).toEqual([`Put ${name(39)} first`]);
  });

  it("stays whole where nothing can be sent first (a slash command in a guild channel)", async () => {
    const { app, sent } = setup(40, { sendFails: true });
    const r = await app.codexUsage(discordContext("all"));
    expect(sent).toEqual([USAGE_PROGRESS_TEXT]);
    expect(r.text?.split("\n").filter((l) => l.startsWith("🟢 "))).toHaveLength(40);
  });

  it("a send failing halfway: the pieces sent stay sent, the rest is the reply, each line once", async () => {
    const { app, sent } = setup(60, { piecesSent: 1 });
    const r = await app.codexUsage(discordContext("all details"));
    expect(sent).toHaveLength(2);
    const lines = [...sent.slice(1), r.text ?? ""].flatMap((p) => p.split("\n"));
    const own = lines.filter((l) => l.startsWith("🟢 `seat"));
    expect(own).toHaveLength(60);
    expect(new Set(own).size).toBe(60);
    expect(buttonRows(r).flat().length).toBeGreaterThan(0);
  });

  it("Slack and Telegram split at line breaks themselves: one reply as before", async () => {
    for (const ctx of [slackContext, telegramContext]) {
      const { app, sent } = setup(40);
      const r = await app.codexUsage(ctx("all details"));
      expect(sent).toEqual([USAGE_PROGRESS_TEXT]);
      expect(r.text!.length).toBeGreaterThan(4000);
    }
  });

  it("a short answer is one message, as before", async () => {
    const { app, sent } = setup(4);
    const r = await app.codexUsage(discordContext("all"));
    expect(sent).toEqual([USAGE_PROGRESS_TEXT]);
    expect(r.text?.split("\n").filter((l) => l.startsWith("🟢 "))).toHaveLength(4);
  });
});
