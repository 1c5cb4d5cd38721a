import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { type BotCall, type FakeTelegram, startFakeTelegram } from "../support/fake-telegram.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { type Gateway, startGateway, type WebchatClient } from "../support/gateway.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
  runOpenclaw,
} from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * The plugin inside the real OpenClaw 2026.9.6 gateway, offline: the bundled Telegram channel talks to
 * a fake Bot API on loopback, WebChat goes through the gateway WebSocket, and the usage endpoint is the
 * loopback simulator. One gateway for the whole file.
 */
const SECOND_USER = { id: 555001, first_name: "Sam" };

interface Button {
  text: string;
  callback_data: string;
}

const keyboardOf = (c: BotCall): Button[][] =>
  (c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];
const buttonNamed = (c: BotCall, text: string): Button => {
  const b = keyboardOf(c)
    .flat()
    .find((x) => x.text === text);
  if (!b) throw new Error(`no button "${text}" in ${JSON.stringify(keyboardOf(c))}`);
  return b;
};
const textOf = (c: BotCall) => String(c.params.text ?? "");
const toUser = (id: number) => (c: BotCall) => String(c.params.chat_id) === String(id);

describe("codex-profiler in a real gateway", () => {
  let sim: UsageSimulator;
  let tg: FakeTelegram;
  let root: OpenclawRoot;
  let gw: Gateway;
  let web: WebchatClient;
  const webReplies: string[] = [];

  beforeAll(async () => {
    sim = await startUsageSimulator({
      defaultScenario: { kind: "ok", fiveHourUsed: 30, weeklyUsed: 40 },
      scenarios: {
        "user-alice": "token_invalidated",
        "user-bob": { kind: "ok", fiveHourUsed: 5, weeklyUsed: 10, plan: "pro" },
      },
    });
    tg = await startFakeTelegram();
    ensureOpenclawBin(); // the plugin's `openclaw models auth …` calls find it on the root's PATH
    root = await copyTemplateState("cxp-e2e-");
    gw = await startGateway({
      root,
      pluginDir: PROJECT_ROOT,
      pluginId: "codex-profiler",
      telegram: { apiRoot: tg.apiRoot, botToken: tg.botToken, allowFrom: ["424242", String(SECOND_USER.id)] },
      env: { CODEX_PROFILER_USAGE_URL: sim.url },
    });
    await tg.waitFor((c) => c.method === "setMyCommands" && JSON.stringify(c.params).includes("codex_usage"), {
      timeoutMs: 30_000,
    });
    web = await gw.webchat();
  }, 180_000);

  afterAll(async () => {
    await web?.close();
    await gw?.stop();
    await tg?.close();
    await sim?.close();
    if (root) {
      const captured = [
        JSON.stringify(tg?.calls ?? []),
        ...webReplies,
        gw?.output() ?? "",
        existsSync(join(root.root, "openclaw.log")) ? readFileSync(join(root.root, "openclaw.log"), "utf8") : "",
      ];
      expectNoSecrets(
        captured,
        FIXTURE_ACCOUNTS.map((a) => `fake-refresh-${a.userId}-0123456789`),
      );
      removeRoot(root);
    }
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  it("Telegram: /codex_usage offers the selector as callback buttons (≤ 64 bytes) and runs nothing", async () => {
    const since = tg.calls.length;
    tg.sendText("/codex_usage");
    const reply = await tg.waitFor((c) => c.method === "sendMessage" && keyboardOf(c).length > 0, { since });
    expect(textOf(reply)).toContain("Check Codex usage for which profile?");
    const labels = keyboardOf(reply)
      .flat()
      .map((b) => b.text);
    expect(labels).toEqual(
      ["default", "all", ...FIXTURE_ACCOUNTS.map((a) => a.name).sort()]
        .filter((l, i, a) => a.indexOf(l) === i)
        .sort((x, y) => (x === "default" ? -1 : y === "default" ? 1 : x === "all" ? -1 : y === "all" ? 1 : 0)),
    );
    for (const b of keyboardOf(reply).flat()) {
      expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
      expect(b.callback_data.startsWith("tgcb1:")).toBe(true);
    }
    expect(sim.requests).toHaveLength(0);
  });

  it("Telegram: a user's markup echoed in an error stays text: no link or bold in the bot's voice", async () => {
    const since = tg.calls.length;
    tg.sendText("/codex_usage [Re-login here](http://evil.example)**now**");
    const reply = await tg.waitFor(
      (c) => c.method === "sendMessage" && /\((bad_selection|unknown_profile)\)/.test(textOf(c)),
      {
        since,
      },
    );
    // OpenClaw renders Markdown to Telegram HTML: quoted plainly, the input became a link and bold text.
    expect(textOf(reply)).not.toMatch(/<a href="http|<b>|<strong>/);
    expect(textOf(reply)).toContain("[Re-login here](http://evil.example)**now**");
  });

  it("Telegram: tapping all sends the progress message, then the strict lines with next-step buttons", async () => {
    const selector = tg
      .sentMessages()
      .filter((c) => keyboardOf(c).some((row) => row.some((b) => b.text === "all")))
      .at(-1)!;
    const since = tg.calls.length;
    tg.tap(buttonNamed(selector, "all").callback_data, selector.messageId!);
    const final = await tg.waitFor((c) => c.method === "sendMessage" && textOf(c).includes("bob@example.com"), {
      since,
      timeoutMs: 60_000,
    });
    const sent = tg.sentMessages(since).filter(toUser(424242));
    expect(sent.map(textOf)[0]).toBe(USAGE_PROGRESS_TEXT);
    expect(sent.indexOf(final)).toBe(sent.length - 1);
    const lines = textOf(final).split("\n");
    expect(lines).toHaveLength(FIXTURE_ACCOUNTS.length);
    for (const line of lines) expect(line).toMatch(/^[🟢🟡🔴]/u);
    expect(lines.find((l) => l.includes("alice@example.com"))).toMatch(/^🔴/u);
    const next = keyboardOf(final)
      .flat()
      .map((b) => b.text);
    expect(next).toContain("Re-login alice@example.com");
    // Nothing more after the final reply.
    await new Promise((r) => setTimeout(r, 1500));
    expect(tg.sentMessages(since).filter(toUser(424242)).at(-1)).toBe(final);
  });

  it("Telegram: tapping a profile on the selector gives that profile's line", async () => {
    const selector = tg
      .sentMessages()
      .filter((c) => keyboardOf(c).some((row) => row.some((b) => b.text === "bob@example.com")))
      .at(0)!;
    const since = tg.calls.length;
    tg.tap(buttonNamed(selector, "bob@example.com").callback_data, selector.messageId!);
    const final = await tg.waitFor((c) => c.method === "sendMessage" && textOf(c).includes("bob@example.com"), {
      since,
      timeoutMs: 60_000,
    });
    expect(textOf(final).split("\n")).toHaveLength(1);
    expect(textOf(final)).toMatch(/^🟢 (<code>|`)?bob@example\.com(<\/code>|`)? — /u);
  });

  it("Telegram: /codex_usage all twice within 20 s runs once", async () => {
    const requestsBefore = sim.requests.length;
    const since = tg.calls.length;
    tg.sendText("/codex_usage all", SECOND_USER);
    await tg.waitFor(
      (c) => toUser(SECOND_USER.id)(c) && c.method === "sendMessage" && textOf(c).includes("bob@example.com"),
      { since, timeoutMs: 60_000 },
    );
    const afterFirst = sim.requests.length;
    expect(afterFirst - requestsBefore).toBe(FIXTURE_ACCOUNTS.length);
    tg.sendText("/codex_usage all", SECOND_USER);
    const note = await tg.waitFor(
      (c) => toUser(SECOND_USER.id)(c) && c.method === "sendMessage" && textOf(c).includes("not run again"),
      { since, timeoutMs: 30_000 },
    );
    expect(textOf(note)).toMatch(/^Same request answered \d+ s ago; not run again\.$/);
    expect(sim.requests.length).toBe(afterFirst);
  });

  it("WebChat: /codex_usage answers with the numbered list only; answering with a number runs it", async () => {
    const selector = await web.send("/codex_usage");
    webReplies.push(JSON.stringify(selector.final));
    // Profiles are numbered 1..N in set order (the same numbers as /codex_auth and --profile);
    // default and all are words.
    expect(selector.text).toContain(
      "Reply /codex_usage <number>, or:\n• default: /codex_usage default\n• all: /codex_usage all\n1. ",
    );
    const bobLine = selector.text.split("\n").find((l) => l.endsWith(". bob@example.com"))!;
    const number = bobLine.split(".")[0]!;
    const run = await web.send(`/codex_usage ${number}`);
    webReplies.push(JSON.stringify(run.final));
    expect(run.text).toMatch(/^🟢 (<code>|`)?bob@example\.com(<\/code>|`)? — /u);
    expect(run.text.split("\n")).toHaveLength(1);
  });

  it("Telegram: /codex_auth → bob → put first → confirm changes the order in the real store", async () => {
    let since = tg.calls.length;
    tg.sendText("/codex_auth");
    const menu = await tg.waitFor(
      (c) => c.method === "sendMessage" && textOf(c).includes("Manage which Codex profile?"),
      { since },
    );
    since = tg.calls.length;
    tg.tap(buttonNamed(menu, "bob@example.com").callback_data, menu.messageId!);
    const actions = await tg.waitFor((c) => c.method === "sendMessage" && textOf(c).includes("What should I do?"), {
      since,
    });
    since = tg.calls.length;
    tg.tap(buttonNamed(actions, "Put first").callback_data, actions.messageId!);
    const plan = await tg.waitFor(
      (c) =>
        c.method === "sendMessage" &&
        keyboardOf(c)
          .flat()
          .some((b) => b.text === "Confirm"),
      { since, timeoutMs: 150_000 },
    );
    expect(textOf(plan)).toContain("I will apply this via");
    expect(textOf(plan)).toContain("openclaw models auth order set");
    const before = await runOpenclaw(
      ["models", "auth", "order", "get", "--provider", "openai", "--agent", "main", "--json"],
      root,
    );
    expect(JSON.parse(before.stdout).order).toBeNull(); // nothing changes before the confirmation
    since = tg.calls.length;
    tg.tap(buttonNamed(plan, "Confirm").callback_data, plan.messageId!);
    // The confirm says at once how it applies, before the CLI preflight, the apply and the verify run.
    const note = await tg.waitFor((c) => c.method === "sendMessage" && textOf(c).startsWith("Applying via"), {
      since,
      timeoutMs: 60_000,
    });
    expect(textOf(note)).toContain("openclaw models auth order set");
    const done = await tg.waitFor((c) => c.method === "sendMessage" && /verified|❌|⚠️/.test(textOf(c)), {
      since,
      timeoutMs: 150_000,
    });
    expect(textOf(done)).toContain("Done and verified");
    const after = await runOpenclaw(
      ["models", "auth", "order", "get", "--provider", "openai", "--agent", "main", "--json"],
      root,
    );
    expect((JSON.parse(after.stdout) as { order: string[] }).order[0]).toBe("openai:bob@example.com");
  }, 300_000); // preflight, apply and verify are each several real openclaw calls (2–7 s each, more on a busy machine)
});
