import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { type ChannelGateway, discordChannelConfig, startChannelGateway } from "../support/channel-gateway.ts";
import { copyChannelState } from "../support/channel-state.ts";
import { discordButtons, discordText } from "../support/discord-components.ts";
import {
  DISCORD_GUILD,
  DISCORD_SECOND_USER,
  DISCORD_STRANGER,
  DISCORD_TEST_USER,
  type DiscordCall,
  type DiscordUser,
  type FakeDiscord,
  startFakeDiscord,
} from "../support/fake-discord.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import { ensureOpenclawBin, type OpenclawRoot, PROJECT_ROOT, removeRoot, runOpenclaw } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * The plugin inside the real OpenClaw 2026.9.6 gateway with the real @openclaw/discord channel
 * (installed as trusted by the pretest), driven through a fake Discord REST + Gateway on loopback; usage
 * from the loopback simulator. Discord gets command buttons: OpenClaw runs a tapped button's command
 * as if typed. Sam may use the bot but not change profiles (mutationAllowFrom); Mallory is on no
 * allowlist. One gateway for the whole file.
 */
const WAIT = { timeoutMs: 90_000 };
const LONG = { timeoutMs: 240_000 };
const ORDER_GET = ["models", "auth", "order", "get", "--provider", "openai", "--agent", "main", "--json"];

describe("codex-profiler on Discord in a real gateway", () => {
  let sim: UsageSimulator;
  let dc: FakeDiscord;
  let root: OpenclawRoot;
  let gw: ChannelGateway;

  const inDm =
    (user: DiscordUser = DISCORD_TEST_USER) =>
    (c: DiscordCall) =>
      c.method === "POST" && c.path === `/channels/${dc.dmChannelId(user)}/messages`;
  const said = (text: string) => (c: DiscordCall) => discordText(c.body).includes(text);
  /** An error answer (⚠️ …, ❌ …): it ends a wait too, so that a failure shows its text instead of a timeout. */
  const failed = (c: DiscordCall) => /⚠️|❌/u.test(discordText(c.body));
  const withButton = (label: string) => (c: DiscordCall) => discordButtons(c.body).some((b) => b.label === label);
  const button = (c: DiscordCall, label: string) => {
    const b = discordButtons(c.body).find((x) => x.label === label);
    if (!b) throw new Error(`no button "${label}" in ${JSON.stringify(discordButtons(c.body))}`);
    return b.customId;
  };
  const ackOf = (it: { id: string; token: string }) =>
    dc.calls.find((c) => c.path === `/interactions/${it.id}/${it.token}/callback`);
  /** Taps a button of a message the bot sent in `user`'s DM and waits for the message that answers. */
  async function tap(
    message: DiscordCall,
    label: string,
    answer: (c: DiscordCall) => boolean,
    user = DISCORD_TEST_USER,
  ) {
    const since = dc.calls.length;
    const click = await dc.clickFresh(button(message, label), message.messageId!, user);
    const reply = await dc.waitFor((c) => inDm(user)(c) && answer(c), { since, ...LONG });
    return { since, click, reply };
  }
  async function typed(text: string, answer: (c: DiscordCall) => boolean, user = DISCORD_TEST_USER) {
    const since = dc.calls.length;
    dc.dmMessage(text, user);
    return dc.waitFor((c) => inDm(user)(c) && answer(c), { since, ...LONG });
  }
  const order = async () =>
    (JSON.parse((await runOpenclaw(ORDER_GET, root)).stdout) as { order: string[] | null }).order;

  beforeAll(async () => {
    sim = await startUsageSimulator({
      defaultScenario: { kind: "ok", fiveHourUsed: 30, weeklyUsed: 40 },
      scenarios: {
        "user-alice": "token_invalidated",
        "user-bob": { kind: "ok", fiveHourUsed: 5, weeklyUsed: 10, plan: "pro" },
      },
    });
    dc = await startFakeDiscord();
    ensureOpenclawBin(); // the plugin's `openclaw models auth …` calls find it on the root's PATH
    root = await copyChannelState("cxp-e2e-discord-");
    const allowed = [DISCORD_TEST_USER.id, DISCORD_SECOND_USER.id];
    gw = await startChannelGateway({
      root,
      plugins: [{ dir: PROJECT_ROOT, id: "codex-profiler", config: { mutationAllowFrom: [DISCORD_TEST_USER.id] } }],
      channels: { discord: discordChannelConfig(dc, allowed, DISCORD_GUILD.guildId) },
      disabledPlugins: ["slack"],
      env: { CODEX_PROFILER_USAGE_URL: sim.url, DISCORD_API_URL: dc.apiUrl },
      readyTimeoutMs: 600_000, // ≈ 25 s on an idle 2-CPU machine; > 6 min was seen at load average 16–21
    });
    await dc.waitFor(
      (c) => c.method === "POST" && /\/applications\/\d+\/commands$/.test(c.path) && c.body.name === "codex_auth",
      // Under CI load (load average 16–21) the registration came more than 240 s after "ready", and once had
      // made 48 command POSTs, ours not among them, after 480 s (2026-12-04); idle, its 47 take under 2 s.
      { timeoutMs: 900_000 },
    );
  }, 1_560_000);

  afterAll(async () => {
    await gw?.stop();
    await dc?.close();
    await sim?.close();
    if (root) {
      const log = join(root.root, "openclaw.log");
      const captured = {
        "calls.json": JSON.stringify(dc?.calls ?? [], null, 1),
        "gateway-out.txt": gw?.output() ?? "",
        "openclaw.log": existsSync(log) ? readFileSync(log, "utf8") : "",
      };
      // The last run's traffic and gateway log, for a failure that only shows on a busy machine.
      const keep = join(PROJECT_ROOT, ".tmp/e2e-discord-last");
      rmSync(keep, { recursive: true, force: true });
      mkdirSync(keep, { recursive: true });
      for (const [name, text] of Object.entries(captured)) writeFileSync(join(keep, name), text);
      removeRoot(root);
      expectNoSecrets(
        Object.values(captured),
        FIXTURE_ACCOUNTS.map((a) => `fake-refresh-${a.userId}-0123456789`),
      );
    }
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  it("deploys /codex_usage and /codex_auth as native slash commands with one optional text option", async () => {
    for (const name of ["codex_usage", "codex_auth"]) {
      const deployed = await dc.waitFor(
        (c) => c.method === "POST" && /\/commands$/.test(c.path) && c.body.name === name,
        WAIT,
      );
      expect(deployed.body.options).toEqual([expect.objectContaining({ name: "input", type: 3, required: false })]);
    }
  });

  it("DM /codex_usage: the selector offers default, all and every profile as buttons, and runs nothing", async () => {
    const selector = await typed("/codex_usage", said("which profile"));
    expect(discordText(selector.body)).toBe("Check Codex usage for which profile?");
    expect(selector.body.flags).toBe(32768); // Components V2
    const labels = discordButtons(selector.body).map((b) => b.label);
    expect(labels.slice(0, 2)).toEqual(["default", "all"]);
    expect([...labels.slice(2)].sort()).toEqual([...new Set(FIXTURE_ACCOUNTS.map((a) => a.name))].sort());
    for (const b of discordButtons(selector.body)) expect(b.customId).toMatch(/^occomp:cid=/);
    expect(sim.requests).toHaveLength(0);
  });

  it("tapping all: the progress message first, then one line per profile with next steps, then nothing", async () => {
    const selector = dc.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    const firstRequest = sim.requests.length;
    const { since, click, reply } = await tap(selector, "all", said("alice@example.com"));
    expect(ackOf(click)?.body).toMatchObject({ type: 4, data: { content: "✓", flags: 64 } }); // ephemeral
    await new Promise((r) => setTimeout(r, 1500));
    const sent = dc.calls.slice(since).filter(inDm());
    expect(sent.map((c) => discordText(c.body))[0]).toBe(USAGE_PROGRESS_TEXT);
    expect(sent[0]!.atMs).toBeLessThanOrEqual(sim.requests[firstRequest]!.atMs);
    expect(sent).toEqual([sent[0], reply]); // nothing after the answer
    const lines = discordText(reply.body).split("\n");
    expect(lines).toHaveLength(FIXTURE_ACCOUNTS.length);
    for (const line of lines) expect(line).toMatch(/^[🟢🟠🔴]/u);
    expect(lines.find((l) => l.includes("alice@example.com"))).toMatch(/^🔴/u);
    expect(discordButtons(reply.body).map((b) => b.label)).toContain("Re-login alice@example.com");
  });

  it("tapping a profile on the same selector (its buttons stay usable) gives that profile's line", async () => {
    const selector = dc.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    const before = sim.requests.length;
    const { reply } = await tap(selector, "bob@example.com", said("bob@example.com"));
    expect(discordText(reply.body).split("\n")).toHaveLength(1);
    expect(discordText(reply.body)).toMatch(/^🟢 (`)?bob@example\.com(`)? — /u);
    expect(sim.requests.length - before).toBe(1);
  });

  it("the same request twice within 20 s runs once", async () => {
    const sam = DISCORD_SECOND_USER;
    const selector = await typed("/codex_usage", said("which profile"), sam);
    const before = sim.requests.length;
    await tap(selector, "all", said("bob@example.com"), sam);
    expect(sim.requests.length - before).toBe(FIXTURE_ACCOUNTS.length);
    const { reply } = await tap(selector, "all", said("not run again"), sam);
    expect(discordText(reply.body)).toMatch(/^Same request answered \d+ s ago; not run again\.$/);
    expect(sim.requests.length - before).toBe(FIXTURE_ACCOUNTS.length);
  });

  it("a hostile argument cannot make the bot ping: the echoed @everyone and @here are defused", async () => {
    const reply = await typed("/codex_usage @everyone", failed);
    // OpenClaw sends a command's answer without allowed_mentions: Discord would ping whatever mention it carries.
    expect(JSON.stringify(reply.body)).not.toMatch(/@(everyone|here)/);
    expect(discordText(reply.body)).toContain('no Codex profile "＠everyone"');
    expect(reply.body).not.toHaveProperty("allowed_mentions");
  });

  it("/codex_auth → bob → put first → confirm: the real order changes only after the confirm", async () => {
    const menu = await typed("/codex_auth", said("Manage which Codex profile?"));
    const { reply: actions } = await tap(menu, "bob@example.com", (c) => said("What should I do?")(c) || failed(c));
    const { reply: plan } = await tap(actions, "Put first", (c) => withButton("Confirm")(c) || failed(c));
    expect(discordText(plan.body)).toContain("I will apply this via");
    expect(discordText(plan.body)).toContain("openclaw models auth order set");
    expect(await order()).toBeNull(); // nothing changes before the confirmation
    const { reply: done } = await tap(plan, "Confirm", (c) => said("Done and verified")(c) || failed(c));
    expect(discordText(done.body)).toContain("Done and verified");
    expect((await order())?.[0]).toBe("openai:bob@example.com");
  }, 600_000); // preflight, apply and verify are each several real openclaw calls (2–7 s each, minutes when busy)

  it("a user who may not change profiles changes nothing; a stranger gets nothing and runs nothing", async () => {
    const sam = DISCORD_SECOND_USER;
    const before = await order();
    const menu = await typed("/codex_auth", said("Manage which Codex profile?"), sam);
    const { reply: actions } = await tap(menu, "alice@example.com", said("What should I do?"), sam);
    const { reply: refused } = await tap(actions, "Put first", failed, sam);
    expect(discordText(refused.body)).toContain("(not_authorized)");
    expect(discordText(refused.body)).toContain("Nothing was changed");
    expect(await order()).toEqual(before);

    const requests = sim.requests.length;
    let since = dc.calls.length;
    dc.dmMessage("/codex_usage all", DISCORD_STRANGER);
    await new Promise((r) => setTimeout(r, 4000));
    expect(dc.sent(since)).toEqual([]);
    const selector = dc.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    since = dc.calls.length;
    const click = dc.click(button(selector, "all"), selector.messageId!, DISCORD_STRANGER);
    const ack = await dc.waitFor((c) => c.path === `/interactions/${click.id}/${click.token}/callback`, WAIT);
    expect((ack.body.data as { content?: string }).content).toBe("You are not authorized to use this button.");
    await new Promise((r) => setTimeout(r, 3000));
    expect(dc.sent(since).filter((c) => c !== ack)).toEqual([]);
    expect(sim.requests.length).toBe(requests);
  }, 300_000);

  it("guild channel: another member's tap on Cancel is refused; the owner's buttons still work", async () => {
    const inGuild = (c: DiscordCall) =>
      c.method === "POST" && c.path === `/channels/${DISCORD_GUILD.channelId}/messages`;
    const before = await order();
    let since = dc.calls.length;
    dc.channelMessage("/codex_auth retire alice@example.com", DISCORD_GUILD);
    const plan = await dc.waitFor((c) => inGuild(c) && (withButton("Cancel")(c) || failed(c)), { since, ...LONG });
    await new Promise((r) => setTimeout(r, 2000)); // OpenClaw registers the buttons once Discord answered the send
    since = dc.calls.length;
    dc.click(button(plan, "Cancel"), plan.messageId!, DISCORD_SECOND_USER, DISCORD_GUILD);
    const answered = (c: DiscordCall) => inGuild(c) && /nothing was changed/i.test(discordText(c.body));
    const refused = await dc.waitFor(answered, { since, ...LONG });
    expect(discordText(refused.body)).toContain("(not_your_confirmation)");
    since = dc.calls.length;
    const click = dc.click(button(plan, "Cancel"), plan.messageId!, DISCORD_TEST_USER, DISCORD_GUILD);
    const ack = await dc.waitFor((c) => c.path === `/interactions/${click.id}/${click.token}/callback`, WAIT);
    expect((ack.body.data as { content?: string } | undefined)?.content).not.toBe("This component has expired.");
    const cancelled = await dc.waitFor((c) => inGuild(c) && (said("Cancelled")(c) || failed(c)), { since, ...LONG });
    expect(discordText(cancelled.body)).toBe("Cancelled; nothing was changed.");
    expect(await order()).toEqual(before);
  }, 300_000);

  it("native slash in a DM: the progress message goes to the DM channel, then the ephemeral answer", async () => {
    const since = dc.calls.length;
    const it = dc.slash("codex_usage", "default");
    const reply = await dc.waitFor(
      (c) => c.method === "POST" && c.path === `/webhooks/${dc.appId}/${it.token}` && said("—")(c),
      { since, ...WAIT },
    );
    const progress = dc.calls.slice(since).find((c) => inDm()(c) && said(USAGE_PROGRESS_TEXT)(c));
    expect(progress, "no progress message in the DM channel").toBeDefined();
    expect(dc.calls.indexOf(progress!)).toBeLessThan(dc.calls.indexOf(reply));
    expect(Number(reply.body.flags) & 64).toBe(64); // ephemeral: only the caller sees it
    expect(dc.calls.slice(since).some((c) => c.path.startsWith("/channels/slash:"))).toBe(false);
  });

  it("native slash in a guild channel: no public progress message, only the ephemeral answer", async () => {
    const since = dc.calls.length;
    const it = dc.slash("codex_usage", "alice@example.com", DISCORD_TEST_USER, DISCORD_GUILD);
    const reply = await dc.waitFor(
      (c) => c.method === "POST" && c.path === `/webhooks/${dc.appId}/${it.token}` && said("alice@example.com")(c),
      { since, ...WAIT },
    );
    expect(Number(reply.body.flags) & 64).toBe(64);
    await new Promise((r) => setTimeout(r, 1500));
    expect(dc.calls.slice(since).filter((c) => c.path === `/channels/${DISCORD_GUILD.channelId}/messages`)).toEqual([]);
  });

  it("talks to loopback only: no model request left the gateway", () => {
    expect(gw.output()).not.toMatch(/chatgpt\.com|api\.openai\.com|\[model-fetch\]/);
  });
});
