import { describe, expect, it } from "vitest";
import { MAX_CALLBACK_VALUE_BYTES } from "../../src/chat/callback-tokens.ts";
import { type ChatApp, createChatApp } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { UsageFetchError } from "../../src/errors/index.ts";
import { Secret } from "../../src/secrets/redact.ts";
import {
  ALICE_LINE,
  BOB_LINE,
  buttonRows,
  callbackValue,
  FAKE_PROFILES,
  type FakeServices,
  fakeServices,
  recordingProgress,
  slackContext,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";
import { expectNoSecrets } from "../support/secrets.ts";

function setup(config: Record<string, unknown> = {}) {
  let now = 1_000_000;
  const services = fakeServices();
  const progress = recordingProgress();
  const warnings: string[] = [];
  const app = createChatApp({
    services,
    settings: parseSettings(config),
    progress,
    logger: { warn: (m) => warnings.push(m) },
    now: () => now,
  });
  return { app, services, progress, warnings, advance: (ms: number) => (now += ms) };
}

const buttons = (r: CommandResultLike) => buttonRows(r).flat();
const usageRuns = (s: FakeServices) => s.calls.filter((c) => c.method === "checkUsage");

/** What a tap on the button labelled `label` submits, through the real callback handler. */
async function tap(app: ChatApp, result: CommandResultLike, label: string): Promise<string | undefined> {
  const button = buttons(result).find((b) => b.label === label);
  expect(button, `no button ${label}`).toBeDefined();
  const [ns, payload] = callbackValue(button!).split(/:(.*)/s);
  expect(ns).toBe("cxp");
  return (
    await app.onCallback({ channel: "telegram", auth: { isAuthorizedSender: true }, callback: { payload: payload! } })
  ).submitText;
}

describe("/codex_usage selector", () => {
  it("offers default, all, then each profile as Telegram callback buttons, each value ≤ 64 wire bytes", async () => {
    const { app } = setup();
    const r = await app.codexUsage(telegramContext(""));
    expect(r.text).toBe("Check Codex usage for which profile?");
    expect(buttonRows(r)[0]!.map((b) => b.label)).toEqual(["default", "all"]);
    expect(buttons(r).map((b) => b.label)).toEqual(["default", "all", ...FAKE_PROFILES.map((p) => p.label)]);
    for (const b of buttons(r)) {
      expect(Buffer.byteLength(callbackValue(b))).toBeLessThanOrEqual(MAX_CALLBACK_VALUE_BYTES);
      // OpenClaw sends it as tgcb1:<5-char checksum>:<value>.
      expect(Buffer.byteLength(`tgcb1:abcde:${callbackValue(b)}`)).toBeLessThanOrEqual(64);
    }
    // The long profile id does not fit in 64 bytes; the tap still submits the full id.
    expect(await tap(app, r, FAKE_PROFILES[2]!.label)).toBe(`/codex_usage ${FAKE_PROFILES[2]!.id}`);
    expect(await tap(app, r, "all")).toBe("/codex_usage all");
  });

  it("gives a text-only channel the same choices as a numbered list it can answer", async () => {
    const { app, services } = setup();
    const r = await app.codexUsage(webchatContext(""));
    expect(r.presentation).toBeUndefined();
    expect(r.text).toBe(
      [
        "Check Codex usage for which profile?",
        "",
        "Reply /codex_usage <number>, or:",
        "• default: /codex_usage default",
        "• all: /codex_usage all",
        "1. alice@example.com",
        "2. bob@example.com",
        `3. ${FAKE_PROFILES[2]!.label}`,
      ].join("\n"),
    );
    const answered = await app.codexUsage(webchatContext("2"));
    expect(answered.text).toBe(BOB_LINE);
    expect(usageRuns(services).map((c) => (c.arg as { selection: string }).selection)).toEqual([
      "openai:bob@example.com",
    ]);
  });

  it("runs at once with all, default, a label, a full id or a number", async () => {
    const { app, services } = setup();
    await app.codexUsage(webchatContext("all"));
    await app.codexUsage(webchatContext("BOB@example.com"));
    await app.codexUsage(webchatContext("openai-codex:alice@example.com"));
    await app.codexUsage(webchatContext("Default"));
    await app.codexUsage(webchatContext("3"));
    expect(usageRuns(services).map((c) => (c.arg as { selection: string }).selection)).toEqual([
      "all",
      "openai:bob@example.com",
      "openai:alice@example.com",
      "default",
      FAKE_PROFILES[2]!.id,
    ]);
    const loads = services.calls.filter((c) => c.method === "loadProfiles");
    expect(loads.every((c) => (c.arg as { agentId?: string }).agentId === "main")).toBe(true);
  });

  it("reads the profile set once per run and checks the selection against that same set", async () => {
    const { app, services } = setup();
    await app.codexUsage(webchatContext("2"));
    const loads = services.calls.filter((c) => c.method === "loadProfiles");
    expect(loads).toHaveLength(1);
    expect(usageRuns(services)).toHaveLength(1);
    expect(usageRuns(services)[0]!.set).toBe(loads[0]!.set);
  });

  it("adds the indented details line under each profile when the argument says details, a run of its own", async () => {
    const { app, services } = setup();
    const r = await app.codexUsage(webchatContext("all details"));
    const lines = (r.text ?? "").split("\n");
    expect(lines[0]).toBe(ALICE_LINE);
    expect(lines[1]).toMatch(/^ {2}↳ .*no reading \(auth_not_accepted_by_usage_endpoint\)$/u);
    expect(lines[2]).toBe(BOB_LINE);
    expect(lines[3]).toMatch(/^ {2}↳ /u);
    // "details" alone is the same run (every profile), so a repeat; the plain run is not a repeat of it.
    await app.codexUsage(webchatContext("details"));
    expect(usageRuns(services)).toHaveLength(1);
    const plain = await app.codexUsage(webchatContext("all"));
    expect((plain.text ?? "").split("\n").slice(0, 2)).toEqual([ALICE_LINE, BOB_LINE]);
    expect(usageRuns(services).map((c) => (c.arg as { selection: string }).selection)).toEqual(["all", "all"]);
  });

  it("/codex_usage pool checks every profile, ends with the pool's runway (no pace yet without history)", async () => {
    const { app, services } = setup();
    const r = await app.codexUsage(webchatContext("pool"));
    const lines = (r.text ?? "").split("\n");
    expect(lines.slice(0, 2)).toEqual([ALICE_LINE, BOB_LINE]);
    expect(lines[2]).toBe("The pool has no pace yet: its runway shows once a few checks have been recorded.");
    expect(usageRuns(services).map((c) => (c.arg as { selection: string }).selection)).toEqual(["all"]);
  });

  it("/codex_usage pool ends with the runway the recorded check carries; chat computes none", async () => {
    const { app, services } = setup();
    const check = services.checkUsage.bind(services);
    const HOUR = 3_600_000;
    services.checkUsage = async (q) => {
      const c = await check(q);
      const at = c.checkedAtMs;
      const pool = {
        accounts: 1,
        notCounted: [],
        withoutLongLimit: [],
        leftPercent: 80,
        burnPercentPerHour: 10,
        shortByMs: 40 * HOUR,
      };
      const runway = { ...pool, runsOutAtMs: at + 8 * HOUR, nextResetAtMs: at + 48 * HOUR };
      return { ...c, pool: runway, poolParts: [{ label: "bob@example.com", leftPercent: 80 }] };
    };
    const lines = ((await app.codexUsage(webchatContext("pool"))).text ?? "").split("\n");
    expect(lines[2]).toBe("The pool lasts ~8h at this pace; the next reset is in 2d: about 1d 16h short.");
    // On Slack, the parts the check carries go along as a chart block.
    const slack = await app.codexUsage(slackContext("pool", { senderId: "another" }));
    const chart = slack.presentation?.blocks.find((b) => b.type === "chart");
    expect(chart).toMatchObject({ categories: ["bob@example.com"], series: [{ values: [80] }] });
  });

  it("a store warning (OpenClaw's order state could not be read) follows the profile lines", async () => {
    const { app, services } = setup();
    const check = services.checkUsage.bind(services);
    services.checkUsage = async (q) => ({ ...(await check(q)), warnings: ["order state unreadable"] });
    const lines = ((await app.codexUsage(webchatContext("all"))).text ?? "").split("\n");
    expect(lines.slice(0, 3)).toEqual([ALICE_LINE, BOB_LINE, "⚠️ order state unreadable"]);
  });

  it("a host clock the answers showed off follows the store's warnings, ahead or behind, by how much", async () => {
    const { app, services } = setup();
    const check = services.checkUsage.bind(services);
    for (const [offsetMs, words] of [
      [3_720_000, "1h 2m behind"],
      [-7_200_000, "2h ahead of"],
    ] as const) {
      services.checkUsage = async (q) => ({
        ...(await check(q)),
        warnings: ["order state unreadable"],
        clockOffsetMs: offsetMs,
      });
      const lines = ((await app.codexUsage(webchatContext("all", { senderId: words }))).text ?? "").split("\n");
      expect(lines.slice(0, 4)).toEqual([
        ALICE_LINE,
        BOB_LINE,
        "⚠️ order state unreadable",
        `⚠️ This host's clock is ${words} the usage server's: the resets shown are counted from its answers, but ` +
          "OpenClaw times its tokens by this clock; set the system time (NTP)",
      ]);
    }
  });

  it("refuses an unknown selection with a clear error and runs nothing", async () => {
    const { app, services } = setup();
    const r = await app.codexUsage(telegramContext("9"));
    expect(r.isError).toBe(true);
    expect(r.text).toContain('there is no profile "9"');
    expect(r.text).toContain("(unknown_profile)");
    const r2 = await app.codexUsage(telegramContext("nobody"));
    expect(r2.text).toContain('no Codex profile "nobody"; choose one of: 1 alice@example.com, 2 bob@example.com');
    expect(usageRuns(services)).toHaveLength(0);
  });
});

/** Labels that are /codex_usage's own words (pool, details, all, default): the word keeps its meaning. */
describe("/codex_usage: a profile labelled like a word", () => {
  const set = profileSetOf([
    codexProfile("openai:alice@example.com", 0),
    codexProfile("openai:pool", 1),
    codexProfile("openai:Details", 2),
    codexProfile("openai:all", null),
  ]);
  const withSet = () => {
    const s = setup();
    s.services.loadProfiles = async () => set;
    return s;
  };
  const selections = (services: FakeServices) =>
    usageRuns(services).map((c) => (c.arg as { selection: string }).selection);

  it("the list shows the full id of such a profile, and a tap submits it", async () => {
    const { app } = withSet();
    const r = await app.codexUsage(webchatContext(""));
    expect(r.text).toContain("1. alice@example.com\n2. openai:pool\n3. openai:Details\n4. openai:all");
    const buttonsMenu = await app.codexUsage(telegramContext(""));
    expect(buttons(buttonsMenu).map((b) => b.label)).toEqual([
      "default",
      "all",
      "alice@example.com",
      "openai:pool",
      "openai:Details",
      "openai:all",
    ]);
    expect(await tap(app, buttonsMenu, "openai:pool")).toBe("/codex_usage openai:pool");
  });

  it("the full id selects the profile; the bare word keeps its meaning", async () => {
    const { app, services, advance } = withSet();
    for (const text of ["openai:pool", "openai:details details", "openai-codex:all", "pool", "details", "all"]) {
      await app.codexUsage(webchatContext(text));
      advance(60 * 60_000);
    }
    expect(selections(services)).toEqual(["openai:pool", "openai:Details", "openai:all", "all", "all", "all"]);
  });
});

describe("/codex_usage run", () => {
  it("sends the progress message before the work, then only the strict lines with next-step buttons", async () => {
    const { app, services, progress } = setup();
    let progressAtRun = -1;
    const check = services.checkUsage.bind(services);
    services.checkUsage = async (q) => {
      progressAtRun = progress.sent.length;
      return check(q);
    };
    const r = await app.codexUsage(telegramContext("all"));
    expect(progressAtRun).toBe(1);
    expect(progress.sent).toEqual([{ channel: "telegram", text: USAGE_PROGRESS_TEXT }]);
    expect(r.text).toBe(`${ALICE_LINE}\n${BOB_LINE}`);
    expect(buttons(r).map((b) => b.label)).toEqual(["Re-login alice@example.com", "Put bob@example.com first"]);
    expect(await tap(app, r, "Put bob@example.com first")).toBe("/codex_auth first openai:bob@example.com");
    expect(await tap(app, r, "Re-login alice@example.com")).toBe("/codex_auth login openai:alice@example.com");
  });

  it("on web chat: no separate progress message, one reply with the lines and the next steps as text", async () => {
    const { app, progress } = setup();
    const r = await app.codexUsage(webchatContext("all"));
    expect(progress.sent).toEqual([]);
    expect(r.text).toBe(
      `${ALICE_LINE}\n${BOB_LINE}\n\nNext:\n• Re-login alice@example.com: /codex_auth login alice@example.com\n` +
        "• Put bob@example.com first: /codex_auth first bob@example.com",
    );
  });

  it("runs a request from the same sender once within the window, across paths, and again after it", async () => {
    const { app, services, advance } = setup();
    await app.codexUsage(telegramContext("bob@example.com"));
    advance(5_000);
    // 2 is bob; From identifies the sender
    const repeat = await app.codexUsage(telegramContext("2", { senderId: undefined }));
    expect(repeat.text).toBe("Same request answered 5 s ago; not run again.");
    expect(usageRuns(services)).toHaveLength(1);
    // another sender
    await app.codexUsage(telegramContext("bob@example.com", { senderId: "777", from: "telegram:777" }));
    expect(usageRuns(services)).toHaveLength(2);
    await app.codexUsage(telegramContext("all")); // another request
    expect(usageRuns(services)).toHaveLength(3);
    advance(15_001);
    await app.codexUsage(telegramContext("bob@example.com"));
    expect(usageRuns(services)).toHaveLength(4);
  });

  it("a check that failed is not a request answered: its retry runs at once", async () => {
    const { app, services } = setup();
    const checkUsage = services.checkUsage;
    services.checkUsage = async () => {
      throw new Error("network blip: ECONNRESET");
    };
    expect((await app.codexUsage(webchatContext("all"))).text).toContain("(service_failed)");
    services.checkUsage = checkUsage;
    expect((await app.codexUsage(webchatContext("all"))).text).toBe(
      `${ALICE_LINE}\n${BOB_LINE}\n\nNext:\n` +
        "• Re-login alice@example.com: /codex_auth login alice@example.com\n" +
        "• Put bob@example.com first: /codex_auth first bob@example.com",
    );
  });

  it("suppresses a repeat while the first run is still going", async () => {
    const { app, services } = setup();
    let open!: () => void;
    services.gate = new Promise((r) => (open = r));
    const first = app.codexUsage(telegramContext("all"));
    await new Promise((r) => setTimeout(r, 0));
    const second = await app.codexUsage(telegramContext("all"));
    expect(second.text).toBe("That check is already running; its result will follow.");
    open();
    expect((await first).text).toContain(BOB_LINE);
    expect(usageRuns(services)).toHaveLength(1);
  });

  it("honours a configured window (0 = off)", async () => {
    const { app, services } = setup({ dedupeWindowSec: 0 });
    await app.codexUsage(telegramContext("all"));
    await app.codexUsage(telegramContext("all"));
    expect(usageRuns(services)).toHaveLength(2);
  });

  it("never lets a token, JWT or OAuth redirect URL through, in replies or logs", async () => {
    const { app, services, warnings } = setup();
    const token = fakeAccessToken({
      accountId: "acc-x",
      userId: "user-x",
      email: "x@example.com",
      plan: "plus",
      exp: 2_000_000_000,
    });
    new Secret(token);
    services.checkUsage = async () => {
      throw Object.assign(new UsageFetchError("network_error"), {
        message: `endpoint said Bearer ${token} at https://auth.openai.com/cb?code=abc123&state=xyz`,
      });
    };
    const r = await app.codexUsage(telegramContext("all"));
    expect(r.isError).toBe(true);
    expect(r.text).toContain("(network_error)");
    expectNoSecrets([r.text ?? "", ...warnings], [token, "abc123"]);
    expect(r.text).not.toContain("code=");
  });
});
