import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { USAGE_PROGRESS_TEXT } from "../../src/chat/usage-command.ts";
import { type ChannelGateway, startChannelGateway } from "../support/channel-gateway.ts";
import { addProfileCopies, copyChannelState } from "../support/channel-state.ts";
import { type FakeSlack, SLACK_TEST_USER, type SlackCall, startFakeSlack } from "../support/fake-slack.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import { type OpenclawRoot, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { slackButtons, slackText } from "../support/slack-blocks.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * 24 profiles, 20 of them with 77-character team-seat names, through the real OpenClaw 2026.9.6 gateway and the
 * real @openclaw/slack in HTTP mode (fake Web API on loopback): the /codex_auth menu is at most 5 actions blocks
 * whose labels Slack's renderer draws (≤ 75), the other profiles listed by number; a long answer reaches the DM
 * with every line whole. The 20 extra profiles are carol's credential under new ids in this test's own state copy.
 */
const LONG = { timeoutMs: 240_000 };
const EXTRA = 20;
const seat = (n: number) =>
  `seat-${String(n).padStart(2, "0")}-of-the-research-and-development-team-berlin-de@subsidiary.example.com`;
/** OpenClaw's answer when a command arrives while the gateway still drains its start-up work. */
const DRAINING = "Sorry, something went wrong";

describe("codex-profiler on Slack with 24 profiles in a real gateway", () => {
  let sim: UsageSimulator;
  let sl: FakeSlack;
  let root: OpenclawRoot;
  let gw: ChannelGateway;
  const inDm = (c: SlackCall) =>
    c.method === "chat.postMessage" &&
    [sl.dmChannelId(SLACK_TEST_USER), SLACK_TEST_USER.id].includes(String(c.params.channel));
  const names = () => [...FIXTURE_ACCOUNTS.map((a) => a.name), ...Array.from({ length: EXTRA }, (_, i) => seat(i + 1))];
  /**
   * Sends `text` as a DM until the plugin answers it. The gateway says "ready" before the plugin's commands are
   * registered: under load a command sent sooner goes to the agent, which answers nothing offline (as
   * chat-discord-many.test.ts found on Discord), so a DM that nothing follows within a minute and a half is sent again.
   */
  async function typed(text: string, answer: (c: SlackCall) => boolean): Promise<{ since: number; reply: SlackCall }> {
    for (let attempt = 1; ; attempt++) {
      const since = sl.calls.length;
      expect((await sl.dmMessage(text, SLACK_TEST_USER)).status).toBe(200);
      // Nothing at all in the DM (not even the progress message) within 90 s: the agent took it.
      const heard = await sl.waitFor(inDm, { since, timeoutMs: 90_000 }).catch((error: unknown) => {
        if (attempt === 3) throw error;
        return null;
      });
      if (heard) {
        const reply = await sl.waitFor((c) => inDm(c) && (answer(c) || slackText(c).includes(DRAINING)), {
          since,
          ...LONG,
        });
        if (!slackText(reply).includes(DRAINING) || attempt === 3) return { since, reply };
      }
      await new Promise((r) => setTimeout(r, 5000));
    }
  }

  beforeAll(async () => {
    expect(seat(1)).toHaveLength(77);
    sim = await startUsageSimulator({
      defaultScenario: { kind: "ok", fiveHourUsed: 30, weeklyUsed: 40 },
      scenarios: { "user-alice": "token_invalidated" },
    });
    sl = await startFakeSlack();
    root = await copyChannelState("cxp-e2e-slack-many-");
    addProfileCopies(
      root,
      "openai:carol@example.com",
      Array.from({ length: EXTRA }, (_, i) => `openai:${seat(i + 1)}`),
    );
    gw = await startChannelGateway({
      root,
      plugins: [{ dir: PROJECT_ROOT, id: "codex-profiler", config: {} }],
      channels: {
        slack: {
          enabled: true,
          mode: "http",
          botToken: sl.botToken,
          signingSecret: sl.signingSecret,
          webhookPath: "/slack/events",
          dmPolicy: "allowlist",
          allowFrom: [SLACK_TEST_USER.id],
        },
      },
      disabledPlugins: ["discord"],
      env: { CODEX_PROFILER_USAGE_URL: sim.url, SLACK_API_URL: sl.apiUrl },
      readyTimeoutMs: 600_000,
    });
    sl.webhookUrl = `http://127.0.0.1:${gw.port}/slack/events`;
  }, 720_000);

  afterAll(async () => {
    const out = gw?.output() ?? "";
    await gw?.stop();
    await sl?.close();
    await sim?.close();
    if (root) removeRoot(root);
    expectNoSecrets([out, JSON.stringify(sl?.calls ?? [])], ["fake-refresh-user-carol-0123456789"]);
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  it("the menu: at most 5 rows, labels Slack draws, every profile a button or a numbered line", async () => {
    const { since, reply: menu } = await typed("/codex_auth", (c) => slackText(c).includes("Manage which Codex"));
    const blocks = menu.params.blocks as Array<{ type: string; elements?: unknown[] }>;
    expect(blocks.filter((b) => b.type === "actions").length).toBeLessThanOrEqual(5);
    const buttons = slackButtons(menu);
    for (const b of buttons) expect([...b.label].length, b.label).toBeLessThanOrEqual(75);
    const labels = buttons.map((b) => b.label);
    expect(labels).toEqual(expect.arrayContaining(["Status", "Add profile", "Optimize order"]));
    const listed = slackText(menu)
      .split("\n")
      .filter((l) => /^\d+\. /.test(l));
    expect(buttons.length - 3 + listed.length).toBe(names().length);
    // A row Slack's renderer cannot draw comes as bare "- label" lines of text, in a message of its own.
    await new Promise((r) => setTimeout(r, 1500));
    for (const c of sl.calls.slice(since).filter(inDm)) expect(slackText(c)).not.toMatch(/^- /m);
    expect(labels.some((l) => l.startsWith("seat-") && l.includes("…"))).toBe(true);
  }, 420_000);

  it("all details: every line arrives whole, the buttons with it", async () => {
    const { since } = await typed("/codex_usage all details", (c) => slackButtons(c).length > 0);
    const sent = sl.calls.slice(since).filter(inDm);
    expect(slackText(sent[0]!)).toBe(USAGE_PROGRESS_TEXT);
    const lines = sent
      .slice(1)
      .flatMap((c) => slackText(c).split("\n"))
      .filter((l) => l.trim() !== "");
    const own = lines.filter((l) => /^[🟢🟠🔴] /u.test(l));
    expect(own).toHaveLength(names().length);
    for (const l of lines)
      expect(l, "a line cut mid-way").toMatch(/^([🟢🟠🔴] .* — .+|\s*↳ .+|Next:|• .+: \/codex_auth .+|⚠️ .+)$/u);
  }, 420_000);
});
