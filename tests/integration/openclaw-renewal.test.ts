import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { type FakeOpenAiAuth, startFakeOpenAiAuth } from "../support/fake-openai-auth.ts";
import { lapseAccessToken } from "../support/lapse-profile.ts";
import { copyTemplateState, type OpenclawRoot, PROJECT_ROOT, removeRoot, runOpenclaw } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";

/**
 * Issue 9 §4: an idle profile whose access token lapsed is renewed by OpenClaw itself, through its own
 * code and refresh lock, the next time OpenClaw resolves that profile. Driven offline: the real
 * openclaw@2026.9.6 reaches auth.openai.com and chatgpt.com only through a loopback proxy that stands in
 * for both (see fake-openai-auth.ts). We never call a token endpoint; OpenClaw does, and stores the result.
 */
const CHILD = join(PROJECT_ROOT, "tests/support/host-renew-child.ts");
const BOB = "openai:bob@example.com";
const roots: OpenclawRoot[] = [];
const fakes: FakeOpenAiAuth[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  roots.forEach(removeRoot);
});

type Cred = { access: string; refresh: string; expires: number };
const profiles = (db: string): Record<string, Cred> => {
  const r = readSharedStateAuthRowsLive(db);
  if (!r.ok) throw new Error(`${r.reason}: ${r.message}`);
  return (r.value.store as { profiles: Record<string, Cred> }).profiles;
};

interface IdleBob {
  r: OpenclawRoot;
  db: string;
  fake: FakeOpenAiAuth;
  before: Record<string, Cred>;
}

/** A copy of the template state where bob sat idle for twelve days: access token expired, refresh token good. */
async function idleBob(tokenStatus = 200): Promise<IdleBob> {
  const r = await copyTemplateState("cxp-renew-");
  roots.push(r);
  const db = join(r.stateDir, "state/openclaw.sqlite");
  lapseAccessToken(db, BOB);
  const fake = await startFakeOpenAiAuth(join(r.root, "certs"), { tokenStatus });
  fakes.push(fake);
  r.env = { ...r.env, ...fake.env };
  return { r, db, fake, before: profiles(db) };
}

async function runChild(r: OpenclawRoot, profileId: string): Promise<{ out: Record<string, unknown>; text: string }> {
  const child = spawn(process.execPath, [CHILD, profileId], { env: r.env, stdio: ["ignore", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (d: Buffer) => (text += d.toString()));
  child.stderr.on("data", (d: Buffer) => (text += d.toString()));
  const code = await new Promise((resolve) => child.on("exit", resolve));
  expect(code, text.slice(0, 400)).toBe(0);
  const line = text.split("\n").find((l) => l.startsWith("{"));
  return { out: JSON.parse(line ?? "{}") as Record<string, unknown>, text };
}

const tokenCalls = (fake: FakeOpenAiAuth) => fake.requests.filter((q) => q.host === "auth.openai.com");
const secretsOf = (creds: Record<string, Cred>): string[] => Object.values(creds).flatMap((c) => [c.access, c.refresh]);

describe("OpenClaw renews a lapsed access token through its own code", () => {
  it("from plugin code: resolveApiKeyForProfile (agent-runtime) renews and stores it under its lock", async () => {
    const { r, db, fake, before } = await idleBob();
    const { out, text } = await runChild(r, BOB);
    expect(out).toMatchObject({ resolved: true, keyChanged: true, keyIsStoredAccess: true });
    // One refresh grant, with the refresh token OpenClaw had stored; nothing else went out.
    expect(fake.requests).toHaveLength(1);
    expect(tokenCalls(fake)[0]).toMatchObject({
      method: "POST",
      path: "/oauth/token",
      grantType: "refresh_token",
      refreshToken: before[BOB]!.refresh,
    });
    const after = profiles(db);
    expect(after[BOB]).toMatchObject({ access: fake.issued[0], refresh: fake.issued[1] });
    expect(after[BOB]!.expires).toBeGreaterThan(Date.now() + 9 * 86_400_000);
    for (const id of Object.keys(before).filter((i) => i !== BOB)) expect(after[id]).toEqual(before[id]);
    expectNoSecrets(text, [...secretsOf(before), ...fake.issued]);
  });

  it("a rejected refresh: OpenClaw stores a failed fence; that, not a lapsed expiry, means log in again", async () => {
    const { r, db, fake } = await idleBob(401);
    const { out } = await runChild(r, BOB);
    expect(out).toMatchObject({ error: "OAuthRefreshFailureError" });
    expect(tokenCalls(fake)).toHaveLength(1);
    const bob = profiles(db)[BOB]!;
    expect(bob.access).toMatch(/^openclaw-oauth-refresh-fence:v1:[a-f0-9]{32}:failed:access:[a-f0-9]{64}$/);
    expect(bob.refresh).toMatch(/^openclaw-oauth-refresh-fence:v1:[a-f0-9]{32}:failed:refresh:[a-f0-9]{64}$/);
  });

  it("from a shell: `models status --json` leaves it lapsed; `models status --probe-profile` renews it", async () => {
    const { r, db, fake, before } = await idleBob();
    const status = await runOpenclaw(["models", "status", "--json"], r, 300_000);
    expect(status.code, status.stderr.slice(0, 300)).toBe(0);
    expect(fake.requests).toEqual([]);
    type Status = { auth: { oauth: { profiles: Array<{ profileId: string; status: string }> } } };
    const listed = (JSON.parse(status.stdout) as Status).auth.oauth.profiles;
    expect(listed.find((p) => p.profileId === BOB)?.status).toBe("expired");

    const probeArgs = ["models", "status", "--probe", "--probe-profile", BOB, "--probe-timeout", "20000", "--json"];
    const probe = await runOpenclaw(probeArgs, r, 600_000);
    expect(probe.code, probe.stderr.slice(0, 300)).toBe(0);
    expect(tokenCalls(fake)).toHaveLength(1);
    expect(tokenCalls(fake)[0]).toMatchObject({ grantType: "refresh_token", refreshToken: before[BOB]!.refresh });
    // The probe then makes a real model request with the renewed token (refused here by the fake).
    expect(fake.requests.some((q) => q.host === "chatgpt.com")).toBe(true);
    expect(profiles(db)[BOB]).toMatchObject({ access: fake.issued[0], refresh: fake.issued[1] });
  }, 900_000);
});
