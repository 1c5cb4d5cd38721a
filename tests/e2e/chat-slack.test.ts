import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { type ChannelGateway, startChannelGateway } from "../support/channel-gateway.ts";
import { copyChannelState } from "../support/channel-state.ts";
import {
  type FakeSlack,
  SLACK_SECOND_USER,
  SLACK_STRANGER,
  SLACK_TEST_USER,
  type SlackCall,
  type SlackUser,
  startFakeSlack,
} from "../support/fake-slack.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import { ensureOpenclawBin, type OpenclawRoot, PROJECT_ROOT, removeRoot, runOpenclaw } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { slackButtons, slackText } from "../support/slack-blocks.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * The plugin inside the real OpenClaw 2026.9.6 gateway with the real @openclaw/slack channel in HTTP
 * mode (installed as trusted by the pretest): the test posts Slack-signed events, button clicks and
 * slash commands to the gateway's own /slack/events; the Web API is a fake on loopback; usage from the
 * loopback simulator. Slack gets callback buttons that codex-profiler's own Slack interactive handler
 * runs. Sam may use the bot but not change profiles (mutationAllowFrom); Mallory is on no allowlist.
 * One gateway for the whole file.
 */
const WAIT = { timeoutMs: 90_000 };
const LONG = { timeoutMs: 240_000 };
const ORDER_GET = ["models", "auth", "order", "get", "--provider", "openai", "--agent", "main", "--json"];
/** OpenClaw's answer when a command arrives while the gateway still drains its start-up work. */
const DRAINING = "Sorry, something went wrong";

describe("codex-profiler on Slack in a real gateway", () => {
  let sim: UsageSimulator;
  let sl: FakeSlack;
  let root: OpenclawRoot;
  let gw: ChannelGateway;

  /** A message the bot posted in `user`'s DM (typed ctx.to names the user, a tap the DM channel). */
  const inDm =
    (user: SlackUser = SLACK_TEST_USER) =>
    (c: SlackCall) =>
      c.method === "chat.postMessage" && [sl.dmChannelId(user), user.id].includes(String(c.params.channel));
  const said = (text: string) => (c: SlackCall) => slackText(c).includes(text);
  /** An error answer (⚠️ …, ❌ …): it ends a wait too, so that a failure shows its text instead of a timeout. */
  const failed = (c: SlackCall) => /⚠️|❌/u.test(slackText(c));
  const withButton = (label: string) => (c: SlackCall) => slackButtons(c).some((b) => b.label === label);
  const button = (c: SlackCall, label: string) => {
    const b = slackButtons(c).find((x) => x.label === label);
    if (!b) throw new Error(`no button "${label}" in ${JSON.stringify(slackButtons(c))}`);
    return b;
  };
  /** Clicks a button of a message the bot posted in `user`'s DM and waits for the message that answers. */
  async function tap(message: SlackCall, label: string, answer: (c: SlackCall) => boolean, user = SLACK_TEST_USER) {
    const since = sl.calls.length;
    const posted = await sl.click(button(message, label).actionId, message, user);
    expect(posted.status).toBe(200);
    const reply = await sl.waitFor((c) => inDm(user)(c) && answer(c), { since, ...LONG });
    return { since, reply };
  }
  async function typed(text: string, answer: (c: SlackCall) => boolean, user = SLACK_TEST_USER) {
    for (let attempt = 1; ; attempt++) {
      const since = sl.calls.length;
      expect((await sl.dmMessage(text, user)).status).toBe(200);
      const reply = await sl.waitFor((c) => inDm(user)(c) && (answer(c) || said(DRAINING)(c)), { since, ...LONG });
      if (!said(DRAINING)(reply) || attempt === 3) return reply;
      await new Promise((r) => setTimeout(r, 5000));
    }
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
    sl = await startFakeSlack();
    ensureOpenclawBin(); // the plugin's `openclaw models auth …` calls find it on the root's PATH
    root = await copyChannelState("cxp-e2e-slack-");
    gw = await startChannelGateway({
      root,
      plugins: [{ dir: PROJECT_ROOT, id: "codex-profiler", config: { mutationAllowFrom: [SLACK_TEST_USER.id] } }],
      channels: {
        slack: {
          enabled: true,
          mode: "http",
          botToken: sl.botToken,
          signingSecret: sl.signingSecret,
          webhookPath: "/slack/events",
          dmPolicy: "allowlist",
          allowFrom: [SLACK_TEST_USER.id, SLACK_SECOND_USER.id],
          commands: { native: true },
        },
      },
      disabledPlugins: ["discord"],
      env: { CODEX_PROFILER_USAGE_URL: sim.url, SLACK_API_URL: sl.apiUrl },
      readyTimeoutMs: 600_000, // ≈ 25 s on an idle 2-CPU machine; > 6 min was seen at load average 16–21
    });
    sl.webhookUrl = `http://127.0.0.1:${gw.port}/slack/events`;
  }, 720_000);

  afterAll(async () => {
    await gw?.stop();
    await sl?.close();
    await sim?.close();
    if (root) {
      const log = join(root.root, "openclaw.log");
      const captured = {
        "calls.json": JSON.stringify(sl?.calls ?? [], null, 1),
        "gateway-out.txt": gw?.output() ?? "",
        "openclaw.log": existsSync(log) ? readFileSync(log, "utf8") : "",
      };
      // The last run's traffic and gateway log, for a failure that only shows on a busy machine.
      const keep = join(PROJECT_ROOT, ".tmp/e2e-slack-last");
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

  it("DM /codex_usage: the selector offers default, all and every profile as buttons, and runs nothing", async () => {
    const selector = await typed("/codex_usage", said("which profile"));
    expect(slackText(selector)).toBe("Check Codex usage for which profile?");
    const labels = slackButtons(selector).map((b) => b.label);
    expect(labels.slice(0, 2)).toEqual(["default", "all"]);
    expect([...labels.slice(2)].sort()).toEqual([...new Set(FIXTURE_ACCOUNTS.map((a) => a.name))].sort());
    for (const b of slackButtons(selector)) expect(b.value).toMatch(/^cxp:[A-Za-z0-9_-]+$/);
    expect(sim.requests).toHaveLength(0);
  });

  it("tapping all: the progress message first, then one line per profile with next steps, then nothing", async () => {
    const selector = sl.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    const firstRequest = sim.requests.length;
    const { since, reply } = await tap(selector, "all", said("alice@example.com"));
    await new Promise((r) => setTimeout(r, 1500));
    const sent = sl.calls.slice(since).filter(inDm());
    expect(sent.map(slackText)[0]).toBe(USAGE_PROGRESS_TEXT);
    expect(sent[0]!.atMs).toBeLessThanOrEqual(sim.requests[firstRequest]!.atMs);
    expect(sent).toEqual([sent[0], reply]); // nothing after the answer
    const lines = slackText(reply).split("\n");
    expect(lines).toHaveLength(FIXTURE_ACCOUNTS.length);
    for (const line of lines) expect(line).toMatch(/^[🟢🟠🔴]/u);
    expect(lines.find((l) => l.includes("alice@example.com"))).toMatch(/^🔴/u);
    expect(slackButtons(reply).map((b) => b.label)).toContain("Re-login alice@example.com");
  });

  it("tapping a profile on the same selector gives that profile's line", async () => {
    const selector = sl.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    const before = sim.requests.length;
    const { reply } = await tap(selector, "bob@example.com", said("bob@example.com"));
    expect(slackText(reply).split("\n")).toHaveLength(1);
    expect(slackText(reply)).toMatch(/^🟢 (`)?bob@example\.com(`)? — /u);
    expect(sim.requests.length - before).toBe(1);
  });

  it("the same request twice within 20 s runs once, by tap and then typed (one sender key for both)", async () => {
    const sam = SLACK_SECOND_USER;
    const selector = await typed("/codex_usage", said("which profile"), sam);
    const before = sim.requests.length;
    await tap(selector, "all", said("bob@example.com"), sam);
    expect(sim.requests.length - before).toBe(FIXTURE_ACCOUNTS.length);
    // A typed command hands over Sam's id lower-cased, a click as Slack sent it: still the same person.
    const note = await typed("/codex_usage all", said("not run again"), sam);
    expect(slackText(note)).toMatch(/^Same request answered \d+ s ago; not run again\.$/);
    expect(sim.requests.length - before).toBe(FIXTURE_ACCOUNTS.length);
  });

  it("a hostile argument cannot make the bot notify a channel: the echoed <!channel> is defused", async () => {
    const reply = await typed("/codex_usage <!channel>", failed);
    // OpenClaw's Slack renderer keeps <!…>, <@…> and <#…> tokens as they are: Slack would notify the channel.
    expect(JSON.stringify(reply.params)).not.toMatch(/<[!@#]/);
    expect(slackText(reply)).toContain("no Codex profile");
  });

  it("/codex_auth → bob → put first → confirm: the real order changes only after the confirm", async () => {
    const menu = await typed("/codex_auth", said("Manage which Codex profile?"));
    const { reply: actions } = await tap(menu, "bob@example.com", (c) => said("What should I do?")(c) || failed(c));
    const { reply: plan } = await tap(actions, "Put first", (c) => withButton("Confirm")(c) || failed(c));
    expect(slackText(plan)).toContain("I will apply this via");
    expect(slackText(plan)).toContain("openclaw models auth order set");
    expect(await order()).toBeNull(); // nothing changes before the confirmation
    const { reply: done } = await tap(plan, "Confirm", (c) => said("Done and verified")(c) || failed(c));
    expect(slackText(done)).toContain("Done and verified");
    expect((await order())?.[0]).toBe("openai:bob@example.com");
  }, 600_000); // preflight, apply and verify are each several real openclaw calls (2–7 s each, minutes when busy)

  it("a user who may not change profiles changes nothing; a stranger gets nothing and runs nothing", async () => {
    const sam = SLACK_SECOND_USER;
    const before = await order();
    const menu = await typed("/codex_auth", said("Manage which Codex profile?"), sam);
    const { reply: actions } = await tap(menu, "alice@example.com", said("What should I do?"), sam);
    const { reply: refused } = await tap(actions, "Put first", failed, sam);
    expect(slackText(refused)).toContain("(not_authorized)");
    expect(slackText(refused)).toContain("Nothing was changed");
    expect(await order()).toEqual(before);

    const requests = sim.requests.length;
    let since = sl.calls.length;
    await sl.dmMessage("/codex_usage all", SLACK_STRANGER);
    await new Promise((r) => setTimeout(r, 4000));
    const answers = (from: number) => sl.calls.slice(from).filter((c) => /^(chat\.|response_url)/.test(c.method));
    expect(answers(since)).toEqual([]);
    const selector = sl.calls.filter((c) => inDm()(c) && withButton("all")(c)).at(-1)!;
    since = sl.calls.length;
    await sl.click(button(selector, "all").actionId, selector, SLACK_STRANGER);
    const refusal = await sl.waitFor((c) => c.method.startsWith("response_url"), { since, ...WAIT });
    expect(String(refusal.params.text)).toBe("You are not authorized to use this control.");
    await new Promise((r) => setTimeout(r, 3000));
    expect(answers(since).filter((c) => c !== refusal)).toEqual([]);
    expect(sim.requests.length).toBe(requests);
  }, 300_000);

  it("in a thread: a tap's answer lands in that thread; another member's Cancel is refused to them alone", async () => {
    const thread = "1699999999.000100"; // the thread's root: Slack sends it as container.thread_ts of a reply in it
    const selector = await typed("/codex_usage", said("which profile"));
    let since = sl.calls.length;
    await sl.click(button(selector, "alice@example.com").actionId, selector, SLACK_TEST_USER, thread);
    const answer = await sl.waitFor((c) => inDm()(c) && (said("—")(c) || failed(c)), { since, ...LONG });
    const progress = sl.calls.slice(since).find((c) => inDm()(c) && said(USAGE_PROGRESS_TEXT)(c));
    expect([progress?.params.thread_ts, answer.params.thread_ts]).toEqual([thread, thread]);

    const before = await order();
    const plan = await typed("/codex_auth retire alice@example.com", (c) => withButton("Cancel")(c) || failed(c));
    since = sl.calls.length;
    await sl.click(button(plan, "Cancel").actionId, plan, SLACK_SECOND_USER, thread);
    const note = await sl.waitFor((c) => c.method.startsWith("response_url"), { since, ...WAIT });
    expect(String(note.params.text)).toContain("(not_your_confirmation)");
    expect(note.params.response_type).toBe("ephemeral");
    await new Promise((r) => setTimeout(r, 3000));
    expect(sl.calls.slice(since).filter((c) => c.method.startsWith("chat."))).toEqual([]);
    since = sl.calls.length;
    await sl.click(button(plan, "Cancel").actionId, plan, SLACK_TEST_USER, thread);
    const cancelled = await sl.waitFor((c) => inDm()(c) && (said("Cancelled")(c) || failed(c)), { since, ...LONG });
    expect(slackText(cancelled)).toBe("Cancelled; nothing was changed.");
    expect(cancelled.params.thread_ts).toBe(thread);
    expect(await order()).toEqual(before);
  }, 300_000);

  it("slash /codex_usage: no progress message (no conversation in context), the answer via response_url", async () => {
    const since = sl.calls.length;
    let reply: SlackCall | undefined;
    for (let attempt = 1; !reply || (said(DRAINING)(reply) && attempt <= 3); attempt++) {
      const from = sl.calls.length;
      expect((await sl.slash("/codex_usage", "default")).status).toBe(200);
      reply = await sl.waitFor((c) => c.method.startsWith("response_url") && (said(" — ")(c) || said(DRAINING)(c)), {
        since: from,
        ...WAIT,
      });
    }
    expect(slackText(reply).split("\n")).toHaveLength(1);
    expect(slackText(reply)).toMatch(/^[🟢🟠🔴] /u);
    expect(reply.params.response_type).not.toBe("in_channel"); // ephemeral: only the caller sees it
    await new Promise((r) => setTimeout(r, 1500));
    expect(sl.calls.slice(since).filter((c) => c.method === "chat.postMessage")).toEqual([]);
  });

  it("DM /codex_usage pool: the runway in words, and the pool as Slack's own chart block", async () => {
    const reply = await typed("/codex_usage pool", (c) => said("The pool")(c) || failed(c));
    expect(slackText(reply)).toContain("The pool has no pace yet");
    const chart = (reply.params.blocks as Array<Record<string, unknown>>).find((b) => b.type === "data_visualization");
    expect(chart).toMatchObject({ type: "data_visualization", title: "Codex pool: long limit left per account" });
    const drawn = chart?.chart as { type: string; series: Array<{ data: Array<{ label: string; value: number }> }> };
    expect(drawn.type).toBe("bar");
    // alice's token is refused (unusable, not in the pool); every other account has 60 % of its week left.
    expect(drawn.series[0]?.data).toEqual(
      FIXTURE_ACCOUNTS.filter((a) => a.name !== "alice@example.com").map((a) => ({
        label: a.name,
        value: a.name === "bob@example.com" ? 90 : 60,
      })),
    );
  });

  it("talks to loopback only: no model request left the gateway", () => {
    expect(gw.output()).not.toMatch(/chatgpt\.com|api\.openai\.com|\[model-fetch\]/);
  });
});
