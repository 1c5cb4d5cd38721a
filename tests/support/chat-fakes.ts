import type { ProgressSender } from "../../src/chat/deps.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import type { AuthRequest, ChatServices } from "../../src/chat/services.ts";
import type { CodexProfile, ProfileSet } from "../../src/profiles/index.ts";
import type { UsageCheck } from "../../src/usage/types.ts";
import { codexProfile, profileSetOf } from "./profile-set.ts";
import { checkOf, sampleReport, win } from "./usage-report-builders.ts";

/** Contexts as OpenClaw 2026.9.6 handed them to a plugin command (openclaw-e2e.md §1.2), minus functions. */
export function telegramContext(args: string, over: Partial<CommandContextLike> = {}): CommandContextLike {
  return {
    senderId: "424242",
    channel: "telegram",
    isAuthorizedSender: true,
    agentId: "main",
    args,
    commandBody: `/codex_usage ${args}`.trim(),
    from: "telegram:424242",
    to: "telegram:424242",
    accountId: "default",
    config: {},
    ...over,
  };
}

/** A typed Discord DM as 2026.9.6 hands it over (H3 report §4.1): channelId is the literal "discord". */
export function discordContext(args: string, over: Partial<CommandContextLike> = {}): CommandContextLike {
  return {
    senderId: "424242424242424242",
    channel: "discord",
    channelId: "discord",
    isAuthorizedSender: true,
    agentId: "main",
    args,
    commandBody: `/codex_usage ${args}`.trim(),
    from: "discord:424242424242424242",
    to: "user:424242424242424242",
    accountId: "default",
    config: {},
    ...over,
  };
}

/** A typed Slack DM (H3 report §5.2): the sender id arrives lower-cased, channelId is "slack". */
export function slackContext(args: string, over: Partial<CommandContextLike> = {}): CommandContextLike {
  return {
    senderId: "u0tess00001",
    channel: "slack",
    channelId: "slack",
    isAuthorizedSender: true,
    agentId: "main",
    args,
    commandBody: `/codex_usage ${args}`.trim(),
    from: "slack:U0TESS00001",
    to: "user:U0TESS00001",
    accountId: "default",
    config: {},
    ...over,
  };
}

export function webchatContext(args: string, over: Partial<CommandContextLike> = {}): CommandContextLike {
  return {
    senderId: "cli",
    channel: "webchat",
    channelId: "webchat",
    isAuthorizedSender: true,
    gatewayClientScopes: ["operator.read", "operator.write"],
    agentId: "main",
    args,
    commandBody: `/codex_usage ${args}`.trim(),
    from: "cli",
    to: "agent:main:main",
    config: {},
    ...over,
  };
}

export const FAKE_PROFILES: CodexProfile[] = [
  codexProfile("openai:alice@example.com", 0),
  codexProfile("openai:bob@example.com", 1),
  codexProfile("openai:a-very-long-profile-name-for-the-team-seat-of-carol@subsidiary.example.com", null),
];

export interface FakeServices extends ChatServices {
  /** Every call; `set` is the profile set a call was given (the one loadProfiles returned, when read once). */
  calls: Array<{ method: string; arg: unknown; set?: ProfileSet }>;
  /** Resolves the next checkUsage; set to hold a run open. */
  gate: Promise<void> | null;
}

/** The lines the real formatter gives the fake report's two profiles. */
export const ALICE_LINE = "🔴 `alice@example.com` — auth_not_accepted_by_usage_endpoint: Log in again.";
export const BOB_LINE = "🟢 `bob@example.com` — 5h **90%** | week **80%** | r5 **1h** | rw **1d**";

/** A usage check where bob has the most headroom and alice's token was rejected. */
function fakeReport(selection: string): UsageCheck {
  const alice = sampleReport("alice@example.com", {
    status: "unusable",
    h5: null,
    wk: null,
    error: { code: "auth_not_accepted_by_usage_endpoint", status: 401, hint: "Log in again." },
  });
  const bob = sampleReport("bob@example.com", { h5: win(10, 3600), wk: win(20, 86400, 604800) });
  bob.local.orderIndex = 1;
  const all = [alice, bob];
  const profiles =
    selection === "all" ? all : all.filter((p) => p.profileId === selection || selection === "default").slice(0, 1);
  return { ...checkOf(profiles), selection };
}

export function fakeServices(): FakeServices {
  const calls: FakeServices["calls"] = [];
  const svc: FakeServices = {
    calls,
    gate: null,
    async loadProfiles(q) {
      const set = profileSetOf(FAKE_PROFILES);
      calls.push({ method: "loadProfiles", arg: q, set });
      return set;
    },
    async checkUsage(q) {
      calls.push({ method: "checkUsage", arg: { selection: q.selection.key }, set: q.set });
      if (svc.gate) await svc.gate;
      return fakeReport(q.selection.key);
    },
    async authStatus(q) {
      calls.push({ method: "authStatus", arg: q });
      return ["order: alice, bob"];
    },
    async planAuth(r: AuthRequest, set: ProfileSet) {
      calls.push({ method: "planAuth", arg: r, set });
      return {
        summary: `${r.action} ${r.profileId ?? r.order?.join(",")}`,
        commands: [["models", "auth", "order", "set", "--provider", "openai", r.profileId ?? ""]],
      };
    },
    async applyAuth(r: AuthRequest) {
      calls.push({ method: "applyAuth", arg: r });
      return { applied: true, verified: true, lines: [`✅ ${r.action} applied and verified`] };
    },
    async startLogin(q) {
      calls.push({ method: "startLogin", arg: q });
      return {
        sessionId: "sess-1",
        verificationUrl: "https://auth.openai.com/codex/device",
        userCode: "ABCD-1234",
        expiresInSec: 900,
      };
    },
    async pollLogin(q) {
      calls.push({ method: "pollLogin", arg: q });
      return { state: "done", profileId: "openai:new@example.com", message: "✅ Logged in as new@example.com" };
    },
    async proposeOrder(q, set) {
      calls.push({ method: "proposeOrder", arg: q, set });
      return { order: ["openai:bob@example.com", "openai:alice@example.com"], reason: "bob has the most headroom." };
    },
  };
  return svc;
}

export function recordingProgress(): ProgressSender & { sent: Array<{ channel: string; text: string }> } {
  const sent: Array<{ channel: string; text: string }> = [];
  return {
    sent,
    async send(req, text) {
      if (req.channel === "webchat") return false;
      sent.push({ channel: req.channel, text });
      return true;
    },
  };
}

type Block = NonNullable<CommandResultLike["presentation"]>["blocks"][number];
type Button = Extract<Block, { type: "buttons" }>["buttons"][number];

/** The button rows of a reply (a chart block, where there is one, is not a row). */
export const buttonRows = (r: CommandResultLike): Button[][] =>
  r.presentation?.blocks.flatMap((b) => (b.type === "buttons" ? [b.buttons] : [])) ?? [];

/** The callback value a button carries ("cxp:<token>"); fails the test for any other kind of button. */
export function callbackValue(button: Button): string {
  if (button.action.type !== "callback") throw new Error(`"${button.label}" is a ${button.action.type} button`);
  return button.action.value;
}
