import { describe, expect, it } from "vitest";
import { authServices, resultView, statusLines } from "../../src/chat/auth-services.ts";
import { createChatApp } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import type { AuthResult, StatusReport } from "../../src/models-auth/index.ts";
import { pinNote } from "../../src/models-auth/verify.ts";
import { COMMAND_BUTTON_CHANNELS } from "../../src/plugin/interactive.ts";
import { Secret } from "../../src/secrets/redact.ts";
import type { ProfileUsage } from "../../src/usage/types.ts";
import {
  buttonRows,
  discordContext,
  fakeServices,
  recordingProgress,
  slackContext,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";
import { checkOf, errorReport, renewalPendingReport, sampleReport } from "../support/usage-report-builders.ts";

/**
 * Profile ids OpenClaw takes as they are (2026.5.28 lists and orders every one of them from auth-profiles.json;
 * 2026.9.6's `models auth login --profile-id` only trims): chat markup of every channel, a line break that would
 * fake a line of its own, bidi and zero-width characters, a 10 kB id.
 */
const HOSTILE = [
  "@everyone",
  "ops@here.example",
  "<@123456789012345678>",
  "<#1>",
  "<!channel>",
  "<@U0TESS00001>",
  "a\n🟢 `bob` — 5h **100%** | week **100%**",
  "p\u2028🟠 fake",
  "x`y",
  "[re-login here](http://evil.example)",
  "r\u202Eev",
  "z\u200Bw",
  "<b>bold</b>",
  "**loud**",
  "L".repeat(10_000),
];

const channels: Array<[string, (args: string) => CommandContextLike]> = [
  ["telegram", telegramContext],
  ["discord", discordContext],
  ["slack", slackContext],
  ["webchat", webchatContext],
];

function setup(o: { usable?: boolean } = {}) {
  const profiles = HOSTILE.map((n, i) => ({
    ...codexProfile(`openai:${n}`, i % 3 === 2 ? null : i),
    // Under 8 characters: not registered as a known credential.
    ...(o.usable ? { access: new Secret("tok") } : {}),
  }));
  const set = profileSetOf(profiles, { warnings: [`${profiles[0]!.id} is of provider x.`] });
  const services = fakeServices();
  services.loadProfiles = async () => set;
  const real = authServices({}, "2026.9.6");
  services.planAuth = (r, s) => real.planAuth(r, s);
  services.authStatus = async () =>
    statusLines({
      first: profiles[0]!.id,
      orderSource: "stored",
      rows: profiles.map((p, i) => ({ id: p.id, position: i, status: "ok" })),
    } as unknown as StatusReport);
  services.checkUsage = async (q) => {
    const reports: ProfileUsage[] = profiles.map((p, i) =>
      i % 3 === 0
        ? sampleReport(p.label, {})
        : i % 3 === 1
          ? errorReport(p.label, { code: "auth_not_accepted_by_usage_endpoint", hint: "Log in again." })
          : renewalPendingReport(p.label),
    );
    reports.forEach((r, i) => {
      r.profileId = profiles[i]!.id;
      r.local.orderIndex = i + 1;
    });
    const shown = q.selection.kind === "all" ? reports : reports.filter((r) => r.profileId === q.selection.key);
    return { ...checkOf(shown), selection: q.selection.key };
  };
  const app = createChatApp({
    services,
    settings: parseSettings({ dedupeWindowSec: 0 }),
    progress: recordingProgress(),
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger: { warn: () => {} },
  });
  return { app, profiles };
}

const texts = (r: CommandResultLike): string[] => [r.text ?? ""];
const labels = (r: CommandResultLike): string[] => buttonRows(r).flatMap((row) => row.map((b) => b.label));
/** What a reader sees as markup: the text outside code spans. */
const outsideCode = (text: string): string => text.replace(/`[^`\n]*`/g, "");

function expectHarmless(r: CommandResultLike, where: string): void {
  for (const text of [...texts(r), ...labels(r)]) {
    expect(text, `${where}: a mention`).not.toMatch(/@(everyone|here|channel)|<[@#!]/i);
    expect(text, `${where}: a hidden, reordering or line-breaking character`).not.toMatch(
      /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u,
    );
    for (const line of text.split("\n")) expect(line.length, `${where}: a line of ${line.length}`).toBeLessThan(2000);
  }
  expect(outsideCode(r.text ?? ""), `${where}: markup outside a code span`).not.toMatch(/\]\(|\*\*loud|<b>/);
  for (const label of labels(r)) {
    expect(label, `${where}: a button label on two lines`).not.toContain("\n");
    expect([...label].length, `${where}: Slack draws no row with a button label over 75`).toBeLessThanOrEqual(75);
  }
}

describe("profile ids with chat markup, line breaks, bidi characters or 10 kB", () => {
  for (const [channel, ctx] of channels) {
    it(`${channel}: no reply pings, fakes a line, hides text, renders a link or breaks a button`, async () => {
      const { app } = setup();
      for (const args of ["", "all", "all details", "pool", "1", "default", "@everyone", "<@&1>"])
        expectHarmless(await app.codexUsage(ctx(args)), `/codex_usage ${args}`);
      for (const args of ["", "status", "first 1", "delete 2", "login 7", "frobnicate @here", "99"])
        expectHarmless(await app.codexAuth(ctx(args)), `/codex_auth ${args}`);
      for (let n = 1; n <= HOSTILE.length; n++) expectHarmless(await app.codexAuth(ctx(String(n))), `/codex_auth ${n}`);
    });
  }

  it("a plan names the store's other ids harmlessly; refused where an order change would carry one", async () => {
    const { app } = setup({ usable: true });
    for (const [channel, ctx] of channels)
      for (const args of ["first ops@here.example", "restore ops@here.example", "delete ops@here.example"]) {
        const reply = await app.codexAuth(ctx(args));
        // The order holds ids no openclaw argv may hold: a change that sets it is refused before any Confirm.
        if (args.startsWith("first")) expect(reply.text, channel).toMatch(/\(id_not_passable\)$/);
        else expect(reply.isError, `${channel} /codex_auth ${args}: ${reply.text}`).toBeFalsy();
        expectHarmless(reply, `${channel} /codex_auth ${args}`);
      }
  });

  it("a real team-seat email (75 chars) fits Discord's 80 and Slack's 75 per button label, its end kept", async () => {
    // Slack's renderer (2026.9.6) draws a row holding a longer label as bare labels, which run nothing when read.
    const app = createChatApp({
      services: fakeServices(),
      settings: parseSettings({}),
      progress: recordingProgress(),
      commandButtonChannels: COMMAND_BUTTON_CHANNELS,
      logger: { warn: () => {} },
    });
    for (const ctx of [discordContext, slackContext]) {
      const menu = labels(await app.codexAuth(ctx("")));
      for (const label of menu) expect([...label].length).toBeLessThanOrEqual(75);
      expect(menu).toContainEqual(expect.stringMatching(/^a-very-long-profile-name.*….*example\.com \(retired\)$/));
    }
  });

  it("a command shown with a mention defused selects the same profile when typed back", async () => {
    const { app } = setup();
    const list = (await app.codexUsage(webchatContext("all"))).text ?? "";
    const typed = /: \/codex_auth (login ops＠here\.example)$/mu.exec(list)?.[1];
    expect(typed, list.slice(-600)).toBeDefined();
    const plan = (await app.codexAuth(webchatContext(typed!))).text ?? "";
    expect(plan).toContain("Log openai:ops＠here.example in again with a device code.");
  });

  it("a change whose order holds an id no openclaw argv may hold is refused at the plan, with no Confirm", async () => {
    const usable = (id: string, i: number) => ({ ...codexProfile(id, i), access: new Secret("tok") });
    const set = profileSetOf([usable("openai:a", 0), usable("openai:team seat", 1), usable("openai:b", 2)]);
    const view = await authServices({}, "2026.9.6").planAuth({ action: "retire", profileId: "openai:b" }, set);
    expect(view.commands).toEqual([]);
    expect(view.refusal?.code).toBe("id_not_passable");
  });

  it("a re-login plan for a name the login cannot take is refused at once, with markup never live", async () => {
    const plan = authServices({}, "2026.9.6").planAuth;
    const set = profileSetOf([codexProfile("openai:[re-login here](http://evil.example)", 0)]);
    await expect(
      plan({ action: "login", profileId: "openai:[re-login here](http://evil.example)" }, set),
    ).rejects.toMatchObject({ code: "invalid_profile_name" });
    // A saved profile's camel-cased name reads as a token piece to the typed-name rule, but it is OpenClaw's own.
    const camel = "openai:JohnDoeWorkSeatB";
    const again = await plan({ action: "login", profileId: camel }, profileSetOf([codexProfile(camel, 0)]));
    expect(again.summary).toBe(`Log ${camel} in again with a device code.`);
    const view = await plan({ action: "login", profileId: "openai-codex:a_b_c" }, set);
    expect(view.summary).toBe(
      "Log openai-codex:a_b_c in again with a device code, as openai:a_b_c: this OpenClaw logs Codex profiles in as " +
        "openai:… and leaves openai-codex:a_b_c as it is (`openclaw doctor --fix` migrates such old ids).",
    );
  });

  it("a command a text list shows for a long or backticked name selects that profile when typed back", async () => {
    const long = `team-${"a".repeat(140)}@example.com`;
    for (const name of [long, "x`y*z"]) {
      const services = fakeServices();
      services.loadProfiles = async () =>
        profileSetOf([codexProfile("openai:bob", 0), codexProfile(`openai:${name}`, 1)]);
      const app = createChatApp({
        services,
        settings: parseSettings({ dedupeWindowSec: 0 }),
        progress: recordingProgress(),
        logger: { warn: () => {} },
      });
      const menu = (await app.codexAuth(webchatContext("2"))).text ?? "";
      const typed = /^• Re-login \(device code\): `?\/codex_auth (login [^`\n]+)`?$/mu.exec(menu)?.[1];
      expect(typed, menu).toBeDefined();
      const plan = await app.codexAuth(webchatContext(typed!));
      expect(plan.isError, `${typed}: ${plan.text}`).toBeFalsy();
    }
  });

  it("a token in a long id is redacted whole before a button label shows its end", async () => {
    const token = "Zq8".repeat(22);
    const services = fakeServices();
    const id = `openai:${"a".repeat(967)}.${token}`;
    services.loadProfiles = async () => profileSetOf([codexProfile("openai:bob", 0), codexProfile(id, 1)]);
    const app = createChatApp({
      services,
      settings: parseSettings({}),
      progress: recordingProgress(),
      logger: { warn: () => {} },
    });
    const shown = labels(await app.codexAuth(discordContext(""))).join("\n");
    expect(shown).toContain("[redacted]");
    expect(shown).not.toMatch(/(Zq8){3}/);
  });

  it("a 128 kB id does not hold the gateway: every reply in well under a second, not seconds each", async () => {
    const services = fakeServices();
    const huge = [codexProfile(`openai:${"http://".repeat(128 * 146)}`, 0), codexProfile("openai:bob", 1)];
    services.loadProfiles = async () => profileSetOf(huge);
    services.checkUsage = async () => {
      const reports = huge.map((p) => errorReport(p.label, { code: "refresh_failed", hint: "Log in again." }));
      for (const [i, r] of reports.entries()) r.profileId = huge[i]!.id;
      return { ...checkOf(reports), selection: "all" };
    };
    const app = createChatApp({
      services,
      settings: parseSettings({ dedupeWindowSec: 0 }),
      progress: recordingProgress(),
      logger: { warn: () => {} },
    });
    const started = performance.now();
    for (const ctx of [telegramContext, webchatContext]) {
      await app.codexUsage(ctx(""));
      await app.codexUsage(ctx("all"));
      await app.codexAuth(ctx(""));
    }
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("a user's own markup echoed in an error is shown, not rendered: no link, no bold in the bot's voice", async () => {
    const { app } = setup();
    for (const [, ctx] of channels)
      for (const arg of ["[Re-login here](http://evil.example)", "**urgent**<b>x</b>", "first [x](http://e.example)"]) {
        for (const r of [await app.codexUsage(ctx(arg)), await app.codexAuth(ctx(arg))]) {
          expect(r.text).toMatch(/\((bad_selection|unknown_profile)\)$/);
          expect(outsideCode(r.text ?? "")).not.toMatch(/\]\(|\*\*urgent|<b>/);
        }
      }
  });

  it("/codex_usage all: one line per profile, each starting with its own status", async () => {
    const { app, profiles } = setup();
    // The next steps beyond what one message carries as buttons follow as commands to type, one line each.
    const [answer = "", steps = ""] = ((await app.codexUsage(telegramContext("all"))).text ?? "").split("\n\nNext:\n");
    const lines = answer.split("\n");
    const own = lines.filter((l) => /^[🟢🟠🔴] `/u.test(l));
    expect(own, lines.join("\n").slice(0, 3000)).toHaveLength(profiles.length);
    expect(lines.filter((l) => !l.startsWith("⚠️"))).toEqual(own);
    for (const step of steps.split("\n").filter(Boolean)) expect(step).toMatch(/^• (Re-login|Put) .*: \/codex_auth /);
  });

  it("the order OpenClaw reports back after a change is shown on one line, names harmless", () => {
    const observed = HOSTILE.map((n) => `openai:${n}`);
    const view = resultView({
      ok: true,
      confirmed: true,
      applied: [{ ok: true }],
      notes: [],
      verify: { matches: true, differences: [], observed: { effectiveOrder: observed } },
    } as unknown as AuthResult);
    expect(view.lines).toHaveLength(1);
    expect(view.lines[0]).not.toMatch(/[\n\u2028\u202E\u200B]/u);
    expect(outsideCode(view.lines[0]!)).not.toContain("](");
  });

  it("the note on running chats names the new first harmlessly", () => {
    const first = "openai:[re-login here](http://evil.example)";
    const view = resultView({
      ok: true,
      confirmed: true,
      applied: [{ ok: true }],
      notes: [pinNote(["openai:a", first], [first, "openai:a"])],
      verify: { matches: true, differences: [], observed: { effectiveOrder: [first, "openai:a"] } },
    } as unknown as AuthResult);
    const note = view.lines.find((l) => l.includes("new chats start with"));
    expect(note).toContain("new chats start with `openai:[re-login here](http://evil.example)`.");
    expect(outsideCode(note!)).not.toContain("](");
  });
});
