import { describe, expect, it } from "vitest";
import { type ChatApp, createChatApp } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import { parseSettings } from "../../src/chat/settings.ts";
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
import { checkOf, sampleReport } from "../support/usage-report-builders.ts";

/**
 * What each channel takes in one message, as its OpenClaw 2026.9.6 renderer reads it (presentationCapabilities and
 * the channel's own builder): Discord at most 5 rows of 5 buttons (25), labels of 80; Slack no row over 25 buttons
 * and no label over 75 (a row with one is drawn as bare labels), 50 blocks; Telegram 100 buttons. Beyond these
 * OpenClaw keeps a button's label only, so a profile there could be neither tapped nor told apart by its number.
 */
const channels: Array<[string, (args: string) => CommandContextLike]> = [
  ["discord", discordContext],
  ["slack", slackContext],
  ["telegram", telegramContext],
];

const idOf = (n: number) => `openai:user${n}@example.com`;

function setup(count: number, over: { label?: (n: number) => string } = {}) {
  const services = fakeServices();
  const profiles = Array.from({ length: count }, (_, i) => ({
    ...codexProfile(idOf(i + 1), i),
    ...(over.label ? { label: over.label(i + 1) } : {}),
  }));
  services.loadProfiles = async () => profileSetOf(profiles);
  const app = createChatApp({
    services,
    settings: parseSettings({}),
    progress: { send: async () => false },
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
  });
  return { app, services, profiles };
}

/** The command each button stands for: Discord's carries it, a callback button's token maps to it. */
function commands(app: ChatApp, r: CommandResultLike): string[] {
  return buttonRows(r)
    .flat()
    .map((b) =>
      b.action.type === "command" ? b.action.command : (app.deps.tokens.resolve(b.action.value.slice(4)) ?? ""),
    );
}

function expectWithinLimits(r: CommandResultLike, where: string): void {
  const rows = buttonRows(r);
  expect(rows.length, `${where}: rows`).toBeLessThanOrEqual(5);
  for (const row of rows) expect(row.length, `${where}: buttons in a row`).toBeLessThanOrEqual(5);
  expect(rows.flat().length, `${where}: buttons`).toBeLessThanOrEqual(25);
  for (const b of rows.flat()) expect([...b.label].length, `${where}: label ${b.label}`).toBeLessThanOrEqual(75);
}

describe("pickers of 1 to 100 profiles fit one message of every button channel", () => {
  for (const [channel, ctx] of channels)
    it(`${channel}: every profile is a button or a numbered line, and every other choice stays reachable`, async () => {
      for (const count of [1, 5, 6, 8, 9, 25, 26, 40, 100]) {
        const { app } = setup(count);
        for (const [name, run] of [
          ["codex_usage", app.codexUsage],
          ["codex_auth", app.codexAuth],
        ] as const) {
          const where = `${channel} /${name} with ${count} profiles`;
          const r = await run(ctx(""));
          expectWithinLimits(r, where);
          const tapped = commands(app, r);
          const lines = (r.text ?? "").split("\n");
          for (let n = 1; n <= count; n++) {
            const asButton = tapped.includes(`/${name} ${idOf(n)}`);
            const asLine = lines.includes(`${n}. user${n}@example.com`);
            expect(asButton || asLine, `${where}: profile ${n}`).toBe(true);
            expect(asButton && asLine, `${where}: profile ${n} twice`).toBe(false);
          }
          if (lines.some((l) => /^\d+\. /.test(l))) expect(lines).toContain(`Reply /${name} <number>, or:`);
          const words = name === "codex_usage" ? ["default", "all"] : ["status", "add", "optimize"];
          for (const w of words)
            expect(tapped.includes(`/${name} ${w}`) || lines.some((l) => l.endsWith(`: /${name} ${w}`)), where).toBe(
              true,
            );
        }
      }
    });

  it("the number a listed profile shows selects that profile when typed back", async () => {
    const { app, services } = setup(100);
    const r = await app.codexUsage(discordContext(""));
    expect(r.text).toContain("\n100. user100@example.com");
    await app.codexUsage(discordContext("100"));
    expect(services.calls.filter((c) => c.method === "checkUsage").map((c) => c.arg)).toEqual([
      { selection: idOf(100) },
    ]);
  });

  it("a picker that fits stays all buttons, with no list under the text", async () => {
    const { app } = setup(8);
    const r = await app.codexUsage(discordContext(""));
    expect(r.text).toBe("Check Codex usage for which profile?");
    expect(buttonRows(r).map((row) => row.length)).toEqual([2, 2, 2, 2, 2]);
  });

  it("a text-only channel still lists all 100", async () => {
    const { app } = setup(100);
    const r = await app.codexAuth(webchatContext(""));
    expect(r.presentation).toBeUndefined();
    expect(r.text?.split("\n").filter((l) => /^\d+\. /.test(l))).toHaveLength(100);
  });
});

describe("next steps under a usage answer", () => {
  it("30 profiles to log in again: 5 rows of buttons, the others (and Put first) as commands to type", async () => {
    const { app, services } = setup(30);
    services.checkUsage = async () => {
      const red = Array.from({ length: 29 }, (_, i) =>
        sampleReport(`user${i + 1}@example.com`, {
          status: "unusable",
          error: { code: "auth_not_accepted_by_usage_endpoint", status: 401, hint: "Log in again." },
        }),
      );
      const best = sampleReport("user30@example.com", {});
      best.local.orderIndex = 29;
      return { ...checkOf([...red, best]), selection: "all" };
    };
    for (const [channel, ctx] of channels) {
      const r = await app.codexUsage(ctx("all"));
      expectWithinLimits(r, channel);
      const tapped = commands(app, r);
      const text = r.text ?? "";
      for (let n = 1; n <= 29; n++) {
        const command = `/codex_auth login ${idOf(n)}`;
        const typed = `• Re-login user${n}@example.com: /codex_auth login user${n}@example.com`;
        expect(tapped.includes(command) !== text.split("\n").includes(typed), `${channel}: user${n}`).toBe(true);
      }
      expect(text, channel).toContain("• Put user30@example.com first: /codex_auth first user30@example.com");
    }
  });
});

describe("button labels", () => {
  it("fit 75 UTF-16 units, as Slack's renderer counts them: a name of 60 emoji is cut too", async () => {
    // isWithinSlackLimit (2026.9.6) compares label.length: 60 foxes are 60 characters but 120 units.
    const { app } = setup(2, { label: (n) => (n === 1 ? "🦊".repeat(60) : `user${n}@example.com`) });
    for (const [channel, ctx] of channels) {
      const labels = buttonRows(await app.codexAuth(ctx(""))).flatMap((row) => row.map((b) => b.label));
      for (const label of labels) expect(label.length, `${channel}: ${label}`).toBeLessThanOrEqual(75);
      expect(labels, channel).toContainEqual(expect.stringMatching(/^(🦊)+…(🦊)+$/u));
    }
  });
});
