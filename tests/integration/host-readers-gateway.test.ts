import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProfileSet } from "../../src/profiles/index.ts";
import { readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { type FakeOpenAiAuth, startFakeOpenAiAuth } from "../support/fake-openai-auth.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { type Gateway, startGateway, type WebchatClient } from "../support/gateway.ts";
import { lapseAccessToken } from "../support/lapse-profile.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot, runOpenclaw } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";

/**
 * Inside a real openclaw@2026.9.6 gateway: a test-only plugin (tests/support/host-probe-plugin) imports
 * openclaw/plugin-sdk/agent-runtime the way a plugin does, reads the auth store through the host's own
 * readers and asks OpenClaw to resolve (and so renew) an idle profile. auth.openai.com and chatgpt.com are
 * the loopback fake behind HTTPS_PROXY; nothing leaves the machine.
 */
const BOB = "openai:bob@example.com";
const IDS = FIXTURE_ACCOUNTS.map((a) => `openai:${a.name}`).sort();

describe("the host's readers and renewal, from a plugin in a real gateway", () => {
  let root: OpenclawRoot;
  let fake: FakeOpenAiAuth;
  let gw: Gateway;
  let web: WebchatClient;
  let db: string;
  let oldRefresh: string;

  beforeAll(async () => {
    root = await copyTemplateState("cxp-host-gw-");
    db = join(root.stateDir, "state/openclaw.sqlite");
    lapseAccessToken(db, BOB);
    oldRefresh = profiles()[BOB]!.refresh;
    // A stored order (written by the real CLI into the agent's own database): the sets below merge two stores.
    const order = ["openai:carol@example.com", BOB, "openai:alice@example.com"];
    const set = await runOpenclaw(["models", "auth", "order", "set", "--provider", "openai", ...order], root, 600_000);
    if (set.code !== 0) throw new Error(`order set failed: ${set.stderr.slice(0, 300)}`);
    fake = await startFakeOpenAiAuth(join(root.root, "certs"));
    gw = await startGateway({
      root,
      pluginDir: join(PROJECT_ROOT, "tests/support/host-probe-plugin"),
      pluginId: "h4-host-probe",
      env: fake.env,
      readyTimeoutMs: 600_000,
    });
    web = await gw.webchat();
  }, 900_000);

  afterAll(async () => {
    await web?.close();
    await gw?.stop();
    await fake?.close();
    if (root) {
      expectNoSecrets(gw?.output() ?? "", [oldRefresh, ...(fake?.issued ?? [])]);
      removeRoot(root);
    }
    expectLoopbackOnly(gw?.offLoopback());
  }, 120_000);

  type Cred = { access: string; refresh: string; expires: number };
  function profiles(): Record<string, Cred> {
    const r = readSharedStateAuthRowsLive(db);
    if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
    return (r.value.store as { profiles: Record<string, Cred> }).profiles;
  }

  it("loadAuthProfileStoreWithoutExternalProfiles and modelAuth.ensureAuthProfileStore: same profiles", async () => {
    const reply = await web.send("/h4probe read 20", 300_000);
    type Probe = {
      ids: string[];
      order: string[];
      runtimeModelAuthHasEnsure: boolean;
      ensureIds: string[];
      inPlaceOk: boolean;
      msPerCall: Record<string, number>;
    };
    const probe = JSON.parse(reply.text) as Probe;
    expect(probe.ids).toEqual(IDS);
    expect(probe.runtimeModelAuthHasEnsure).toBe(true);
    expect(probe.ensureIds).toEqual(IDS);
    expect(probe.inPlaceOk).toBe(true);
    // Bob's lapsed access token does not drop him from what OpenClaw would try (renewal is pending).
    expect(probe.order).toContain(BOB);
    // Evidence for the report, not a test of speed.
    console.log(`inside the gateway, ms per call: ${JSON.stringify(probe.msPerCall)}`);
  }, 600_000);

  it("codex-profiler's profile set through the host's reader equals the one read from the files in place", async () => {
    const reply = await web.send("/h4probe sets", 300_000);
    type Sets = { hostReader: boolean; host: ProfileSet; file: ProfileSet; sameTokens: boolean };
    const { hostReader, host, file, sameTokens } = JSON.parse(reply.text) as Sets;
    expect(hostReader).toBe(true);
    expect(host.location.reader).toBe("host");
    expect(file.location.reader).toBe("file");
    expect({ ...host, location: { ...host.location, reader: "file" } }).toEqual(file);
    expect(sameTokens).toBe(true);
    // The stored order, with bob's lapsed token still in it (renewal pending), as OpenClaw itself resolves it.
    expect(file.storedOrder).toEqual(["openai:carol@example.com", BOB, "openai:alice@example.com"]);
    expect(host.effectiveOrder).toEqual(["openai:carol@example.com", BOB, "openai:alice@example.com"]);
    expect(host.profiles.map((p) => p.id)).toEqual([...host.effectiveOrder, "openai:dave@example.com"]);
    const stored = Object.values(profiles()).flatMap((c) => [c.access, c.refresh]);
    expectNoSecrets(reply.text, [oldRefresh, ...stored]);
  }, 600_000);

  it("resolveApiKeyForProfile renews the idle profile through OpenClaw's own refresh and stores it", async () => {
    const before = fake.requests.filter((q) => q.host === "auth.openai.com").length;
    const reply = await web.send(`/h4probe renew ${BOB}`, 300_000);
    expect(JSON.parse(reply.text)).toMatchObject({ resolved: true });
    const tokenCalls = fake.requests.filter((q) => q.host === "auth.openai.com");
    expect(tokenCalls.length - before).toBe(1);
    expect(tokenCalls.at(-1)).toMatchObject({ grantType: "refresh_token", refreshToken: oldRefresh });
    expect(profiles()[BOB]).toMatchObject({ access: fake.issued.at(-2), refresh: fake.issued.at(-1) });
    expectNoSecrets(reply.text, [oldRefresh, ...fake.issued]);
  }, 600_000);
});
