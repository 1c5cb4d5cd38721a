import { describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { linePieces, shownWithin, telegramHtmlLength } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import {
  buttonRows,
  discordContext,
  fakeServices,
  slackContext,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";
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
    return { ...checkOf(all), selection: q.selection.key };
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
    for (const piece of pieces) expect(piece.startsWith("  ↳ "), "a detail line parted from its profile").toBe(false);
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

  it("Slack splits at line breaks itself: one reply as before", async () => {
    const { app, sent } = setup(40);
    const r = await app.codexUsage(slackContext("all details"));
    expect(sent).toEqual([USAGE_PROGRESS_TEXT]);
    expect(r.text!.length).toBeGreaterThan(4000);
  });

  it("a short answer is one message, as before", async () => {
    const { app, sent } = setup(4);
    const r = await app.codexUsage(discordContext("all"));
    expect(sent).toEqual([USAGE_PROGRESS_TEXT]);
    expect(r.text?.split("\n").filter((l) => l.startsWith("🟢 "))).toHaveLength(4);
  });
});

/**
 * OpenClaw's Telegram channel (2026.9.6) keeps lines whole within 4,000 characters of the HTML it renders, but puts a
 * reply's buttons on its first message (delivery.replies.ts: reply_markup only with the first page): through the real
 * gateway a 60-profile selector's keyboard came above the rest of its numbered list, and /codex_usage all details'
 * "Re-login" button on the first of five messages. So there too the answer goes in pieces, the buttons with the last.
 */
describe("an answer longer than one Telegram message", () => {
  it("goes as pieces of whole lines within 4,000 characters of HTML, the buttons under the last", async () => {
    const { app, sent } = setup(60);
    const r = await app.codexUsage(telegramContext("all details"));
    expect(sent[0]).toBe(USAGE_PROGRESS_TEXT);
    const pieces = [...sent.slice(1), r.text ?? ""];
    expect(pieces.length).toBeGreaterThan(2);
    for (const piece of pieces) {
      expect(telegramHtmlLength(piece)).toBeLessThanOrEqual(4000);
      expect(piece.startsWith("  ↳ "), "a detail line parted from its profile").toBe(false);
    }
    const own = pieces
      .flatMap((p) => p.split("\n"))
      .filter((l) => /^🟢 `seat\d+-x+@example\.com` — 5h \*\*\d+%\*\*/u.test(l));
    expect(own).toHaveLength(60);
    expect(
      buttonRows(r)
        .flat()
        .map((b) => b.label),
    ).toEqual([`Put ${name(40)} first`]);
  });

  it("the HTML length is at least what OpenClaw's markdownToTelegramHtml (2026.9.6) rendered", () => {
    // Each pair as it rendered it (its Telegram extension's api.js, run on Node 24).
    const rendered: Array<[string, string]> = [
      ["plain", "plain"],
      [
        "🟢 `bob@example.com` — 5h **70%** | week **60%**",
        "🟢 <code>bob@example.com</code> — 5h <b>70%</b> | week <b>60%</b>",
      ],
      ['a & b <c> "q" `x` **y**', 'a &amp; b &lt;c&gt; "q" <code>x</code> <b>y</b>'],
      ["*x* y", "<i>x</i> y"],
      ["_x_ y", "<i>x</i> y"],
      ["~~x~~", "<s>x</s>"],
      ["> quote", "<blockquote>quote</blockquote>"],
      ["[a](http://b)", '<a href="http://b">a</a>'],
      ["||sp||", "<tg-spoiler>sp</tg-spoiler>"],
      // Its linkify: bare addresses, URLs and domains, outside code spans.
      ["9. user9@example.com", '9. <a href="mailto:user9@example.com">user9@example.com</a>'],
      [
        "see https://chatgpt.com/codex/settings/usage now",
        'see <a href="https://chatgpt.com/codex/settings/usage">https://chatgpt.com/codex/settings/usage</a> now',
      ],
      [
        "example.com and openclaw.json and x.md",
        '<a href="http://example.com">example.com</a> and openclaw.json and <code>x.md</code>',
      ],
    ];
    for (const [markdown, html] of rendered)
      expect(telegramHtmlLength(markdown), markdown).toBeGreaterThanOrEqual(html.length);
  });
});

describe("pieces of whole lines", () => {
  it("a profile's ↳ lines go with it; a block longer than a piece is cut between its lines", () => {
    const [a, b] = ["a".repeat(20), "b".repeat(20)];
    const text = [a, b, "  ↳ c", "  ↳ d"].join("\n");
    expect(linePieces(text, 50)).toEqual([a, [b, "  ↳ c", "  ↳ d"].join("\n")]);
    expect(linePieces(text, 30)).toEqual([a, `${b}\n  ↳ c`, "  ↳ d"]);
  });
});

/**
 * OpenClaw 2026.9.6 cuts a web chat answer after 8,000 characters, mid-line ("...(truncated)..."), in the final chat
 * event: through the real gateway a 60-profile /codex_usage all ended in "— 5h **70%** |" and lost its last profiles
 * and next steps. Web chat cannot be sent anything before the reply, so the reply keeps the whole lines that fit, says
 * how many are missing, and keeps the short last paragraph (the next steps).
 */
describe("an answer longer than web chat shows", () => {
  it("keeps whole lines within 8,000 characters, says how many more there are, and the next steps", async () => {
    const { app } = setup(60);
    const r = await app.codexUsage(webchatContext("all details"));
    const text = r.text ?? "";
    expect(text.length).toBeLessThanOrEqual(8000);
    const lines = text.split("\n").filter((l) => l !== "");
    const at = lines.findIndex((l) => l.startsWith("⚠️ "));
    const note = /^⚠️ (\d+) more lines? not shown: this chat shows 8,000 characters of an answer\. /u.exec(lines[at]!);
    expect(note).not.toBeNull();
    const shown = lines.slice(0, at);
    for (const l of shown) expect(l).toMatch(/^(🟢 `seat\d+-x+@example\.com` — 5h \*\*\d+%\*\* \| .+\*\*| {2}↳ .+)$/u);
    expect(shown.at(-1)!.startsWith("  ↳ ")).toBe(true);
    expect(lines.slice(at + 1)).toEqual([
      "Next:",
      expect.stringMatching(/^• Put seat\d+-x+@example\.com first: \/codex_auth /u),
    ]);
    // The whole answer: 60 profile lines and their 60 ↳ lines, then "Next:" and its one step.
    expect(shown.length + Number(note![1])).toBe(120);
  });

  it("a short answer and other channels: as they were", () => {
    expect(shownWithin("a\nb", 8000)).toBe("a\nb");
    expect(shownWithin("x".repeat(30), 30)).toBe("x".repeat(30));
  });
});
