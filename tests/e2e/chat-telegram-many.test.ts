import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { addProfileCopies } from "../support/channel-state.ts";
import { type BotCall, type FakeTelegram, startFakeTelegram, TEST_USER } from "../support/fake-telegram.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { type Gateway, type GatewayOptions, startGateway, type WebchatClient } from "../support/gateway.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
} from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * 60 profiles through the real OpenClaw 2026.9.6 gateway, its Telegram channel on a fake Bot API and web chat: long
 * team-seat names (100 characters), non-ASCII ones (accents, CJK, an emoji) and one of 320 characters, as long as a
 * typed selection may be. On Telegram a long answer arrives as messages of whole lines, each within Telegram's
 * 4,096 characters with its HTML balanced, the buttons under the last; every callback_data is within 64 bytes. Web
 * chat gets the text only, never cut by OpenClaw mid-line. A double tap runs once; a tap after the gateway restarted
 * (its tokens gone) is answered as expired, and nothing runs or reaches the agent.
 */
const LONG = { timeoutMs: 120_000 };
const EXTRA = 56;
const seat = (n: number): string => {
  const nn = String(n).padStart(2, "0");
  if (n === 1) return `seat-${nn}-${"x".repeat(289)}@subsidiary.example.com`;
  if (n % 3 === 0) return `équipe-${nn}-recherche-et-développement-münchen-東京チーム-😀@子会社.example.jp`;
  return `seat-${nn}-of-the-research-and-development-team-berlin-de-and-munich-bavaria-sud@subsidiary.example.com`;
};
const names = () => [...FIXTURE_ACCOUNTS.map((a) => a.name), ...Array.from({ length: EXTRA }, (_, i) => seat(i + 1))];

interface Button {
  text: string;
  callback_data: string;
}
const keyboardOf = (c: BotCall): Button[][] =>
  (c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? [];
const textOf = (c: BotCall) => String(c.params.text ?? "");
const toTess = (c: BotCall) => c.method === "sendMessage" && String(c.params.chat_id) === String(TEST_USER.id);
const tags = (html: string, tag: string) => [
  (html.match(new RegExp(`<${tag}>`, "g")) ?? []).length,
  (html.match(new RegExp(`</${tag}>`, "g")) ?? []).length,
];
const plainOf = (html: string) =>
  html
    .replace(/<\/?(b|code)>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

describe("codex-profiler on Telegram and web chat with 60 profiles in a real gateway", () => {
  let sim: UsageSimulator;
  let tg: FakeTelegram;
  let root: OpenclawRoot;
  let gw: Gateway;
  let web: WebchatClient;
  let options: GatewayOptions;
  const captured: string[] = [];

  /** The messages of one answer: every message to the user after `since` until the one with the keyboard. */
  async function answer(since: number, done: (c: BotCall) => boolean): Promise<BotCall[]> {
    await tg.waitFor((c) => toTess(c) && done(c), { since, ...LONG });
    await new Promise((r) => setTimeout(r, 2500)); // anything still coming after it (pages ~1 s apart)
    return tg.calls.slice(since).filter(toTess);
  }
  function expectPages(pages: BotCall[]): string[] {
    for (const p of pages) {
      expect(textOf(p).length, "a Telegram message over 4,096").toBeLessThanOrEqual(4096);
      for (const tag of ["b", "code"]) {
        const [open, close] = tags(textOf(p), tag);
        expect(open, `<${tag}> unbalanced in a page`).toBe(close);
      }
      for (const b of keyboardOf(p).flat()) expect(Buffer.byteLength(b.callback_data)).toBeLessThanOrEqual(64);
      expect(keyboardOf(p).flat().length).toBeLessThanOrEqual(100);
    }
    const withKeyboard = pages.filter((p) => keyboardOf(p).length > 0);
    expect(withKeyboard, "the buttons under the last message").toEqual([pages.at(-1)]);
    return pages.flatMap((p) => plainOf(textOf(p)).split("\n")).filter((l) => l.trim() !== "");
  }

  beforeAll(async () => {
    expect(seat(1)).toHaveLength(320);
    expect(seat(2)).toHaveLength(100);
    sim = await startUsageSimulator({
      defaultScenario: { kind: "ok", fiveHourUsed: 30, weeklyUsed: 40 },
      scenarios: { "user-alice": "token_invalidated" },
    });
    tg = await startFakeTelegram();
    ensureOpenclawBin();
    root = await copyTemplateState("cxp-e2e-tg-many-");
    addProfileCopies(
      root,
      "openai:carol@example.com",
      Array.from({ length: EXTRA }, (_, i) => `openai:${seat(i + 1)}`),
    );
    options = {
      root,
      pluginDir: PROJECT_ROOT,
      pluginId: "codex-profiler",
      telegram: { apiRoot: tg.apiRoot, botToken: tg.botToken, allowFrom: [String(TEST_USER.id)] },
      env: { CODEX_PROFILER_USAGE_URL: sim.url },
      readyTimeoutMs: 300_000,
    };
    gw = await startGateway(options);
    // As chat-discord-many.test.ts: the first command only once the channel has registered ours.
    await tg.waitFor((c) => c.method === "setMyCommands" && JSON.stringify(c.params).includes("codex_auth"), LONG);
    web = await gw.webchat();
  }, 420_000);

  afterAll(async () => {
    captured.push(JSON.stringify(tg?.calls ?? []), gw?.output() ?? "");
    await web?.close();
    await gw?.stop();
    await tg?.close();
    await sim?.close();
    if (root) removeRoot(root);
    expectNoSecrets(captured, [`fake-refresh-user-carol-0123456789`]);
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  it("the selector: whole lines, every profile a button or a numbered line, the buttons under the last", async () => {
    const since = tg.calls.length;
    tg.sendText("/codex_usage");
    const pages = await answer(since, (c) => keyboardOf(c).length > 0);
    const lines = expectPages(pages);
    expect(lines[0]).toBe("Check Codex usage for which profile?");
    const buttons = pages.flatMap((p) => keyboardOf(p).flat());
    expect(buttons.slice(0, 2).map((b) => b.text)).toEqual(["default", "all"]);
    const listed = lines.filter((l) => /^\d+\. /.test(l));
    expect(buttons.length - 2 + listed.length).toBe(names().length);
    expect(listed.map((l) => Number(l.split(".")[0]))).toEqual(
      Array.from({ length: listed.length }, (_, i) => names().length - listed.length + i + 1),
    );
    expect(sim.requests).toHaveLength(0);
  }, 180_000);

  it("all details: pages of whole lines with bold figures and code names intact, every profile once", async () => {
    const since = tg.calls.length;
    tg.sendText("/codex_usage all details");
    const pages = await answer(since, (c) => keyboardOf(c).length > 0);
    expect(textOf(pages[0]!)).toBe(USAGE_PROGRESS_TEXT);
    expect(pages.length).toBeGreaterThan(3);
    for (const p of pages.slice(1)) expect(textOf(p)).toMatch(/^(🟢|🔴|↳|Next:)/u);
    for (const p of pages.slice(1))
      for (const l of textOf(p).split("\n"))
        if (l.startsWith("🟢 ")) expect(l).toMatch(/^🟢 <code>.+<\/code> — 5h <b>70%<\/b> \| week <b>60%<\/b> \|/u);
    const lines = expectPages(pages.slice(1));
    const own = lines.filter((l) => /^[🟢🔴] /u.test(l));
    expect(own).toHaveLength(names().length);
    for (const name of names().filter((n) => n.length <= 100))
      expect(
        own.filter((l) => l.includes(` ${name} — `)),
        name,
      ).toHaveLength(1);
    expect(
      keyboardOf(pages.at(-1)!)
        .flat()
        .map((b) => b.text),
    ).toContain("Re-login alice@example.com");
  }, 180_000);

  it("/codex_auth: menu buttons under its last message; a non-ASCII name's button opens that profile", async () => {
    let since = tg.calls.length;
    tg.sendText("/codex_auth");
    const pages = await answer(since, (c) => keyboardOf(c).length > 0);
    expectPages(pages);
    const tap = keyboardOf(pages.at(-1)!)
      .flat()
      .find((b) => b.text.startsWith("équipe-03-"))!;
    since = tg.calls.length;
    tg.tap(tap.callback_data, pages.at(-1)!.messageId!);
    const actions = await tg.waitFor((c) => toTess(c) && textOf(c).includes("What should I do?"), { since, ...LONG });
    expect(textOf(actions)).toContain(seat(3));
  }, 180_000);

  it("a double tap on an older message's button runs the check once", async () => {
    const selector = tg.sentMessages().find((c) =>
      keyboardOf(c)
        .flat()
        .some((b) => b.text === "all"),
    )!;
    const all = keyboardOf(selector)
      .flat()
      .find((b) => b.text === "all")!;
    const before = sim.requests.length;
    const since = tg.calls.length;
    tg.tap(all.callback_data, selector.messageId!);
    tg.tap(all.callback_data, selector.messageId!);
    await tg.waitFor((c) => toTess(c) && keyboardOf(c).length > 0, { since, ...LONG });
    await new Promise((r) => setTimeout(r, 4000)); // the second tap's answer, if any, comes after the first's pages
    expect(sim.requests.length - before).toBe(names().length);
    const sent = tg.sentMessages(since).filter(toTess).map(textOf);
    expect(sent.filter((t) => t === USAGE_PROGRESS_TEXT)).toHaveLength(1);
    expect(sent.filter((t) => /^Same request answered \d+ s ago; not run again\.$/.test(t)).length).toBeLessThanOrEqual(
      1,
    );
  }, 180_000);

  it("web chat: the whole numbered list, a number typed runs it; a long answer never cut mid-line", async () => {
    const selector = await web.send("/codex_usage");
    const listed = selector.text.split("\n").filter((l) => /^\d+\. /.test(l));
    expect(listed).toHaveLength(names().length);
    const n = listed.findIndex((l) => l.endsWith(seat(42)));
    const one = await web.send(`/codex_usage ${n + 1}`);
    expect(one.text).toMatch(new RegExp(`^🟢 \`${seat(42)}\` — 5h \\*\\*70%\\*\\*`, "u"));
    const all = await web.send("/codex_usage all");
    captured.push(selector.text, one.text, all.text);
    // OpenClaw cuts a web chat answer after 8,000 characters mid-line ("...(truncated)..."): ours stops before.
    expect(all.text.length).toBeLessThanOrEqual(8000);
    expect(all.text).not.toContain("(truncated)");
    const lines = all.text.split("\n").filter((l) => l !== "");
    for (const l of lines)
      expect(l).toMatch(
        /^(🟢 .+ — 5h \*\*70%\*\* \| week \*\*60%\*\* \| r5 \*\*.+\*\* \| rw \*\*.+\*\*|🔴 .+|⚠️ .+|Next:|• .+)$/u,
      );
    const note = lines.map((l) => /^⚠️ (\d+) more lines? not shown: /u.exec(l)).find((m) => m !== null);
    expect(lines.filter((l) => /^[🟢🔴] /u.test(l)).length + Number(note?.[1] ?? 0)).toBe(names().length);
    expect(all.text).toContain("\n\nNext:\n• Re-login alice@example.com: /codex_auth ");
  }, 180_000);

  it("a tap after the gateway restarted: its button has expired, said so, nothing runs", async () => {
    // A selector of its own whose buttons no tap has cleared yet (OpenClaw clears a keyboard once tapped).
    const asked = tg.calls.length;
    tg.sendText("/codex_usage");
    const selector = (await answer(asked, (c) => keyboardOf(c).length > 0)).at(-1)!;
    const all = keyboardOf(selector)
      .flat()
      .find((b) => b.text === "all")!;
    captured.push(gw.output());
    await gw.stop();
    const since = tg.calls.length;
    gw = await startGateway(options);
    await tg.waitFor((c) => c.method === "setMyCommands" && JSON.stringify(c.params).includes("codex_auth"), {
      since,
      ...LONG,
    });
    const before = sim.requests.length;
    const tapped = tg.calls.length;
    tg.tap(all.callback_data, selector.messageId!);
    const reply = await tg.waitFor((c) => toTess(c), { since: tapped, ...LONG });
    expect(textOf(reply)).toBe("This button has expired. Send /codex_usage or /codex_auth again.");
    await new Promise((r) => setTimeout(r, 3000));
    expect(tg.sentMessages(tapped).filter(toTess)).toEqual([reply]);
    expect(sim.requests.length).toBe(before);
  }, 300_000);
});
