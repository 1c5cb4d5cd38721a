import { describe, expect, it } from "vitest";
import { parseAuthIntent } from "../../src/chat/auth-args.ts";
import { MUTATION_PREFACE } from "../../src/chat/auth-command.ts";
import { createChatApp } from "../../src/chat/chat-app.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import {
  buttonRows,
  callbackValue,
  fakeServices,
  recordingProgress,
  telegramContext,
  webchatContext,
} from "../support/chat-fakes.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";

function setup(config: Record<string, unknown> = {}) {
  let now = 5_000_000;
  const services = fakeServices();
  const progress = recordingProgress();
  const app = createChatApp({
    services,
    settings: parseSettings(config),
    progress,
    logger: { warn: () => {} },
    now: () => now,
  });
  return { app, services, progress, advance: (ms: number) => (now += ms) };
}

const labels = (r: CommandResultLike) => buttonRows(r).map((row) => row.map((x) => x.label));
const mutations = (s: ReturnType<typeof fakeServices>) =>
  s.calls.filter((c) => c.method === "applyAuth" || c.method === "startLogin");

async function tap(app: ReturnType<typeof setup>["app"], r: CommandResultLike, label: string): Promise<string> {
  const b = buttonRows(r)
    .flat()
    .find((x) => x.label === label)!;
  const res = await app.onCallback({
    channel: "telegram",
    auth: { isAuthorizedSender: true },
    callback: { payload: callbackValue(b).slice(4) },
  });
  return res.submitText!;
}
const ctxFor = (command: string) => telegramContext(command.replace(/^\/codex_auth ?/, ""));

describe("/codex_auth menus", () => {
  it("Telegram: profiles then actions as buttons; a profile leads to its actions", async () => {
    const { app } = setup();
    const menu = await app.codexAuth(telegramContext(""));
    expect(menu.text).toBe("Manage which Codex profile?");
    expect(labels(menu)).toEqual([
      ["alice@example.com", "bob@example.com"],
      [expect.stringContaining("(retired)")],
      ["Status", "Add profile", "Optimize order"],
    ]);
    const profile = await app.codexAuth(ctxFor(await tap(app, menu, "bob@example.com")));
    expect(profile.text).toBe("bob@example.com: position 2 in the order. What should I do?");
    expect(labels(profile)).toEqual([
      ["Put first", "Retire"],
      ["Re-login (device code)", "Delete"],
    ]);
  });

  it("what the store read left out (ProfileSet.warnings) shows as ⚠️ lines under the question", async () => {
    const { app, services } = setup();
    const load = services.loadProfiles.bind(services);
    const warning = '1 auth profile in /s/auth-profiles.json could not be read: "openai:later" (no provider)';
    services.loadProfiles = async (q) => ({ ...(await load(q)), warnings: [warning] });
    const menu = await app.codexAuth(telegramContext(""));
    expect(menu.text).toBe(`Manage which Codex profile?\n⚠️ ${warning}`);
  });

  it("web chat: a numbered list and typed actions", async () => {
    const { app } = setup();
    const menu = await app.codexAuth(webchatContext(""));
    expect(menu.text).toContain("Reply /codex_auth <number>, or:\n1. alice@example.com\n2. bob@example.com\n3. ");
    expect(menu.text).toContain("• Optimize order: /codex_auth optimize");
    const profile = await app.codexAuth(webchatContext("3"));
    expect(profile.text).toContain("not in the order (retired)");
    expect(profile.text).toContain("• Restore: /codex_auth restore a-very-long");
  });
});

describe("/codex_auth: a profile in the stored order that OpenClaw skips", () => {
  it("is shown as skipped, not retired, and offers Retire (Restore would plan nothing)", async () => {
    const fenced = { ...codexProfile("openai:bob@example.com", null), renewal: "failed" as const };
    const set = profileSetOf([codexProfile("openai:alice@example.com", 0), fenced, codexProfile("openai:old", null)], {
      storedOrder: ["openai:alice@example.com", "openai:bob@example.com"],
    });
    const { app, services } = setup();
    services.loadProfiles = async () => set;
    const list = await app.codexAuth(webchatContext(""));
    expect(list.text).toContain("1. alice@example.com\n2. bob@example.com (skipped)\n3. old (retired)\n");
    const profile = await app.codexAuth(telegramContext("2"));
    expect(profile.text).toBe(
      "bob@example.com: in the stored order, but OpenClaw skips it (its sign-in can no longer be renewed; " +
        "log in again). What should I do?",
    );
    expect(labels(profile)[0]).toEqual(["Put first", "Retire"]);
    expect(labels(await app.codexAuth(telegramContext("3")))[0]).toEqual(["Put first", "Restore"]);
  });
});

/**
 * Labels that are /codex_auth verbs (status, yes, add, …):
 * the verb keeps its meaning, the full id names the profile.
 */
describe("/codex_auth: a profile labelled like a verb", () => {
  const set = profileSetOf([
    codexProfile("openai:status", 0),
    codexProfile("openai:bob@example.com", 1),
    codexProfile("openai:Yes", null),
  ]);
  const withSet = () => {
    const s = setup();
    s.services.loadProfiles = async () => set;
    return s;
  };

  it("the list shows the full id of such a profile, and a tap reaches its own menu", async () => {
    const { app } = withSet();
    const list = await app.codexAuth(webchatContext(""));
    expect(list.text).toContain("1. openai:status\n2. bob@example.com\n3. openai:Yes (retired)\n");
    const menu = await app.codexAuth(telegramContext(""));
    expect(labels(menu)[0]).toEqual(["openai:status", "bob@example.com"]);
    expect(await tap(app, menu, "openai:status")).toBe("/codex_auth openai:status");
    const profile = await app.codexAuth(ctxFor(await tap(app, menu, "openai:Yes (retired)")));
    expect(profile.text).toBe("Yes: not in the order (retired). What should I do?");
  });

  it("the full id selects the profile; the bare verb keeps its meaning", async () => {
    const { app, services } = withSet();
    expect((await app.codexAuth(webchatContext("openai:status"))).text).toContain("status: position 1 in the order.");
    expect((await app.codexAuth(webchatContext("status"))).text).toBe("order: alice, bob");
    expect(services.calls.filter((c) => c.method === "authStatus")).toHaveLength(1);
    const first = await app.codexAuth(webchatContext("openai:status"));
    expect(first.text).toContain("• Retire: /codex_auth retire status");
  });
});

/** "openai:bob" and "openai:bob " are two profiles: neither's choices may reach the other (trimmed, they would). */
describe("/codex_auth: an id a chat cannot carry", () => {
  it("the profile with the spaced id is offered by its number, and its menu acts on it", async () => {
    const { app, services } = setup();
    services.loadProfiles = async () => profileSetOf([codexProfile("openai:bob", 0), codexProfile("openai:bob ", 1)]);
    const menu = await app.codexAuth(telegramContext(""));
    expect(labels(menu)[0]).toEqual(["bob", "openai:bob "]);
    const pinned = await tap(app, menu, "openai:bob ");
    expect(pinned).toMatch(/^\/codex_auth 2#[0-9a-f]{6}$/);
    const spaced = await app.codexAuth(webchatContext("2"));
    expect(spaced.text).toContain(`• Retire: /codex_auth retire ${pinned.slice("/codex_auth ".length)}`);
    const plain = await app.codexAuth(webchatContext("1"));
    expect(plain.text).toContain("• Retire: /codex_auth retire bob\n");
  });
});

describe("/codex_auth mutations", () => {
  it("put first: says how it will apply and verify, shows the command, applies only on the confirm tap", async () => {
    const { app, services } = setup();
    const plan = await app.codexAuth(telegramContext("first bob@example.com"));
    expect(plan.text!.startsWith(`${MUTATION_PREFACE}\n`)).toBe(true);
    expect(plan.text).toContain("openclaw models auth order set --provider openai openai:bob@example.com");
    expect(labels(plan)).toEqual([["Confirm", "Cancel"]]);
    expect(mutations(services)).toHaveLength(0);
    const confirmCommand = await tap(app, plan, "Confirm");
    const done = await app.codexAuth(ctxFor(confirmCommand));
    expect(done.text).toBe("✅ first applied and verified");
    expect(services.calls.find((c) => c.method === "applyAuth")!.arg).toEqual({
      action: "first",
      profileId: "openai:bob@example.com",
      agentId: "main",
    });
    // A second tap of the same confirm button finds nothing pending: never a second apply.
    const again = await app.codexAuth(ctxFor(confirmCommand));
    expect(again.text).toContain("(nothing_pending)");
    expect(mutations(services)).toHaveLength(1);
  });

  it("one step reads the profile set once and plans from it; the confirm says at once how it applies", async () => {
    const { app, services, progress } = setup();
    const plan = await app.codexAuth(telegramContext("first 2"));
    const loads = services.calls.filter((c) => c.method === "loadProfiles");
    expect(loads).toHaveLength(1);
    const planned = services.calls.find((c) => c.method === "planAuth")!;
    expect(planned.set).toBe(loads[0]!.set);
    expect(planned.arg).toMatchObject({ action: "first", profileId: "openai:bob@example.com" });
    let sentBeforeApply = -1;
    const apply = services.applyAuth.bind(services);
    services.applyAuth = async (r) => {
      sentBeforeApply = progress.sent.length;
      return apply(r);
    };
    await app.codexAuth(ctxFor(await tap(app, plan, "Confirm")));
    expect(sentBeforeApply).toBe(1);
    expect(progress.sent).toEqual([
      { channel: "telegram", text: "Applying via `openclaw models auth order set` and verifying…" },
    ]);
    expect(services.calls.filter((c) => c.method === "loadProfiles")).toHaveLength(1); // the confirm reads nothing
  });

  it("optimize plans the proposal for the same set it was proposed from", async () => {
    const { app, services } = setup();
    await app.codexAuth(webchatContext("optimize"));
    const [load] = services.calls.filter((c) => c.method === "loadProfiles");
    expect(services.calls.filter((c) => c.method === "loadProfiles")).toHaveLength(1);
    expect(services.calls.find((c) => c.method === "proposeOrder")!.set).toBe(load!.set);
    expect(services.calls.find((c) => c.method === "planAuth")!.set).toBe(load!.set);
  });

  it("a number names the same profile in /codex_auth as in /codex_usage", async () => {
    const { app, services } = setup();
    await app.codexUsage(webchatContext("2"));
    await app.codexAuth(webchatContext("retire 2"));
    const usage = services.calls.find((c) => c.method === "checkUsage")!.arg as { selection: string };
    const planned = services.calls.find((c) => c.method === "planAuth")!.arg as { profileId: string };
    expect(planned.profileId).toBe(usage.selection);
    const unknown = await app.codexAuth(webchatContext("retire 7"));
    expect(unknown.text).toContain("(unknown_profile)");
  });

  it("a pasted piece of a token names no profile and is repeated neither in the reply nor in the log", async () => {
    const warned: string[] = [];
    const app = createChatApp({
      services: fakeServices(),
      settings: parseSettings({}),
      progress: recordingProgress(),
      logger: { warn: (m) => warned.push(m) },
    });
    const payload = Buffer.from(
      JSON.stringify({ "https://api.openai.com/auth": { chatgpt_account_id: "d3f1c2aa-1234" }, sub: "auth0|abc" }),
    ).toString("base64url");
    const piece = payload.slice(20, 59);
    expect(piece).toMatch(/^[A-Za-z0-9_-]{39}$/);
    for (const args of [`retire ${piece}`, `${piece} login`, `first openai:${piece}`]) {
      const reply = await app.codexAuth(telegramContext(args));
      expect(reply.text).toContain("no Codex profile matches the selection");
      expect(reply.text).toContain("(unknown_profile)");
      for (const text of [reply.text, ...warned]) expect(text).not.toContain(piece.slice(8, 20));
    }
    expect(warned).toHaveLength(3);
  });

  it("web chat: answering yes applies; no cancels", async () => {
    const { app, services } = setup();
    await app.codexAuth(webchatContext("2 retire"));
    expect((await app.codexAuth(webchatContext("no"))).text).toBe("Cancelled; nothing was changed.");
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("(nothing_pending)");
    const plan = await app.codexAuth(webchatContext("retire 2"));
    expect(plan.text).toContain("Reply /codex_auth yes to apply, /codex_auth no to cancel:");
    expect((await app.codexAuth(webchatContext("yes"))).text).toBe("✅ retire applied and verified");
    expect(mutations(services)).toHaveLength(1);
  });

  it("delete named with the other provider's id is refused, never mapped onto the saved one", async () => {
    const { app, services } = setup();
    // The selection takes the prefix in any case: so does the refusal.
    for (const typed of ["openai-codex:bob@example.com", "OpenAI-Codex:bob@example.com"]) {
      const reply = await app.codexAuth(webchatContext(`delete ${typed}`));
      expect(reply.text).toMatch(/exactly as OpenClaw lists it: openai:bob@example\.com.*\(other_provider_id\)$/);
    }
    expect(services.calls.filter((c) => c.method === "planAuth")).toHaveLength(0);
    expect((await app.codexAuth(webchatContext("delete openai:bob@example.com"))).text).toContain("hard delete");
  });

  it("delete asks twice", async () => {
    const { app, services } = setup();
    const plan = await app.codexAuth(webchatContext("delete bob@example.com"));
    expect(plan.text).toContain("hard delete");
    const second = await app.codexAuth(webchatContext("yes"));
    expect(second.text).toContain("Really delete?");
    expect(mutations(services)).toHaveLength(0);
    expect((await app.codexAuth(webchatContext("yes"))).text).toBe("✅ delete applied and verified");
    expect(mutations(services)).toHaveLength(1);
  });

  it("a pending confirmation expires", async () => {
    const { app, services, advance } = setup();
    await app.codexAuth(webchatContext("first 2"));
    advance(5 * 60_000 + 1);
    expect((await app.codexAuth(webchatContext("yes"))).text).toContain("(nothing_pending)");
    expect(mutations(services)).toHaveLength(0);
  });

  it("re-login uses the device code flow after a confirmation and echoes no OAuth material", async () => {
    const { app, services } = setup();
    const plan = await app.codexAuth(telegramContext("login alice@example.com"));
    expect(plan.text).toContain(MUTATION_PREFACE);
    const start = await app.codexAuth(ctxFor(await tap(app, plan, "Confirm")));
    expect(start.text).toContain("Open https://auth.openai.com/codex/device and enter the code ABCD-1234");
    expect(services.calls.find((c) => c.method === "startLogin")!.arg).toEqual({
      agentId: "main",
      profileId: "openai:alice@example.com",
    });
    const check = await app.codexAuth(ctxFor(await tap(app, start, "Check login")));
    expect(check.text).toBe("✅ Logged in as new@example.com");
  });

  it("a confirmed re-login starts exactly the login the plan resolved, provider included", async () => {
    const { app, services } = setup();
    const planAuth = services.planAuth;
    services.planAuth = async (r, set) => ({
      ...(await planAuth(r, set)),
      resolved: { action: "login", profileId: "openai:alice@example.com", provider: "openai", agentId: "main" },
    });
    const plan = await app.codexAuth(telegramContext("login alice@example.com"));
    await app.codexAuth(ctxFor(await tap(app, plan, "Confirm")));
    expect(services.calls.find((c) => c.method === "startLogin")!.arg).toEqual({
      agentId: "main",
      profileId: "openai:alice@example.com",
      provider: "openai",
    });
  });

  it("a sender's second login replaces their first: the new start names the one it replaces", async () => {
    const { app, services } = setup();
    for (let i = 0; i < 2; i++) {
      const plan = await app.codexAuth(telegramContext("login alice@example.com"));
      await app.codexAuth(ctxFor(await tap(app, plan, "Confirm")));
    }
    const starts = services.calls.filter((c) => c.method === "startLogin").map((c) => c.arg);
    expect(starts).toEqual([
      { agentId: "main", profileId: "openai:alice@example.com" },
      { agentId: "main", profileId: "openai:alice@example.com", replaces: "sess-1" },
    ]);
  });

  it("optimize order goes through the rotation port and the same confirmation", async () => {
    const { app, services } = setup();
    const plan = await app.codexAuth(webchatContext("optimize"));
    expect(plan.text).toContain("bob has the most headroom.");
    await app.codexAuth(webchatContext("yes"));
    expect(services.calls.find((c) => c.method === "applyAuth")!.arg).toEqual({
      action: "order",
      order: ["openai:bob@example.com", "openai:alice@example.com"],
      park: [], // what the proposal leaves out for being unusable, parked once applied
      agentId: "main",
    });
  });

  it("reports a verify mismatch as an error, without patching", async () => {
    const { app, services } = setup();
    services.applyAuth = async () => ({
      applied: true,
      verified: false,
      lines: ["⚠️ Applied, but verify found order alice, bob (expected bob, alice). Nothing else was changed."],
    });
    await app.codexAuth(webchatContext("first 2"));
    const r = await app.codexAuth(webchatContext("yes"));
    expect(r.isError).toBe(true);
    expect(r.text).toContain("verify found");
  });
});

describe("/codex_auth authorization", () => {
  const denied: Array<[string, Partial<CommandContextLike>]> = [
    ["an unauthorized sender", { isAuthorizedSender: false }],
    ["a sender the host marks as non-owner", { senderIsOwner: false }],
    ["a read-only gateway client", { gatewayClientScopes: ["operator.read"] }],
  ];
  for (const [who, over] of denied) {
    it(`refuses every mutation from ${who} and changes nothing`, async () => {
      const { app, services } = setup();
      for (const args of ["first 2", "retire 1", "delete 1", "login 1", "add", "optimize", "yes"]) {
        const r = await app.codexAuth(webchatContext(args, over));
        expect(r.isError, args).toBe(true);
        expect(r.text, args).toContain("(not_authorized)");
      }
      expect(services.calls.filter((c) => c.method === "planAuth")).toHaveLength(0);
      expect(mutations(services)).toHaveLength(0);
      // Reading stays allowed.
      expect((await app.codexAuth(webchatContext("status", over))).text).toBe("order: alice, bob");
    });
  }

  it("mutationAllowFrom limits mutations to the listed senders", async () => {
    const { app } = setup({ mutationAllowFrom: ["424242"] });
    expect((await app.codexAuth(telegramContext("first 2"))).text).toContain(MUTATION_PREFACE);
    expect((await app.codexAuth(webchatContext("first 2"))).text).toContain("(not_authorized)");
  });

  it("a plan made by one sender cannot be confirmed by another", async () => {
    const { app, services } = setup();
    await app.codexAuth(telegramContext("first 2"));
    const other = await app.codexAuth(telegramContext("yes", { senderId: "999", from: "telegram:999" }));
    expect(other.text).toContain("(nothing_pending)");
    expect(mutations(services)).toHaveLength(0);
  });

  it("an unauthorized tap is swallowed, an expired one says so", async () => {
    const { app, advance } = setup();
    const menu = await app.codexAuth(telegramContext(""));
    const value = callbackValue(buttonRows(menu)[0]![0]!).slice(4);
    expect(
      await app.onCallback({ channel: "telegram", auth: { isAuthorizedSender: false }, callback: { payload: value } }),
    ).toEqual({ handled: true });
    advance(30 * 60_000 + 1);
    const replies: string[] = [];
    const res = await app.onCallback({
      channel: "telegram",
      auth: { isAuthorizedSender: true },
      callback: { payload: value },
      respond: { reply: async ({ text }) => void replies.push(text) },
    });
    expect(res).toEqual({ handled: true });
    expect(replies).toEqual(["This button has expired. Send /codex_usage or /codex_auth again."]);
  });
});

describe("parseAuthIntent", () => {
  it("reads verbs first or last, and everything else as a profile", () => {
    expect(parseAuthIntent("")).toEqual({ kind: "menu" });
    expect(parseAuthIntent("first 2")).toEqual({ kind: "mutate", action: "first", selector: "2" });
    expect(parseAuthIntent("bob@example.com retire")).toEqual({
      kind: "mutate",
      action: "retire",
      selector: "bob@example.com",
    });
    expect(parseAuthIntent("delete")).toMatchObject({ kind: "invalid" });
    expect(parseAuthIntent("add")).toEqual({ kind: "login", selector: null });
    // Only a plan id (8 hex digits, what buttons send) names a plan after yes / no.
    expect(parseAuthIntent("yes 0a1b2c3d")).toEqual({ kind: "confirm", id: "0a1b2c3d" });
    expect(parseAuthIntent("yes k1")).toMatchObject({ kind: "invalid" });
    expect(parseAuthIntent("no 0a1b2c3d")).toEqual({ kind: "cancel", id: "0a1b2c3d" });
    expect(parseAuthIntent("no thanks")).toEqual({ kind: "cancel", id: null });
    expect(parseAuthIntent("bob")).toEqual({ kind: "profile-menu", selector: "bob" });
  });

  it("refuses words after a verb that takes none, without repeating them (a pasted redirect URL or token)", () => {
    const url = "http://localhost:1455/auth/callback?code=ac_Zk3x9QpLmN2vB7cR&state=Yt5uWq1eR8";
    for (const args of [`add ${url}`, `check ${url}`, "status garbage here", "optimize now please"]) {
      const intent = parseAuthIntent(args);
      expect(intent).toMatchObject({ kind: "invalid" });
      expect(JSON.stringify(intent)).not.toMatch(/ac_Zk3x|localhost|garbage|please/);
    }
  });
});
