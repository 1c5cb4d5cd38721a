import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { type EraState, eraState, lapseEraProfile, removeEraState } from "../support/era-state.ts";
import { type EraVersion, era } from "../support/eras.ts";
import { type FakeOpenAiAuth, startFakeOpenAiAuth } from "../support/fake-openai-auth.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

/**
 * Our renewer (src/plugin/host-renewal.ts) against each release's own SDK, as that release's gateway would hand it
 * over: bob sat idle twelve days, and OpenClaw's refresh of his token fails, for good (401 invalid_grant) or not
 * (500). What we report must be what OpenClaw then does: a release that will try again (2026.5.28–2026.8 store
 * nothing) keeps him pending; a release that fenced the credential (2026.9 fences after any failure) has him
 * log in again. Offline: the token endpoint is the loopback fake behind HTTPS_PROXY; releases before 2026.9
 * resolve the token host themselves in their guarded fetch, so their managed-proxy mode is on and a preload
 * answers that one name (fake-dns-preload.cjs) without a DNS query.
 */
const CHILD = join(PROJECT_ROOT, "tests/support/era-renew-child.ts");
const DNS_PRELOAD = join(PROJECT_ROOT, "tests/support/fake-dns-preload.cjs");
const BODIES = {
  invalid_grant: JSON.stringify({ error: "invalid_grant", error_description: "Refresh token expired or revoked" }),
  server_error: JSON.stringify({ error: "server_error", error_description: "internal error" }),
};

const states: EraState[] = [];
const fakes: FakeOpenAiAuth[] = [];
afterAll(async () => {
  for (const f of fakes) await f.close();
  for (const s of states) removeEraState(s);
});

async function renewWhenRefused(version: EraVersion, status: number, body: string) {
  const s = await eraState(version, { order: null });
  states.push(s);
  const bob = s.profileIds.find((id) => id.endsWith(":bob@example.com"))!;
  lapseEraProfile(s, bob);
  const fake = await startFakeOpenAiAuth(join(s.root.root, "certs"), { tokenStatus: status, tokenBody: body });
  fakes.push(fake);
  const env: NodeJS.ProcessEnv = { ...s.root.env, ...fake.env };
  if (version !== "2026.9.6") {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ""} --require=${JSON.stringify(DNS_PRELOAD)}`;
    env.OPENCLAW_PROXY_ACTIVE = "1";
  }
  const e = era(version);
  const child = spawn(e.node, [CHILD, e.dir, bob], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise((resolve) => child.on("close", resolve));
  expect(code, out.slice(-600)).toBe(0);
  const line = out.split("\n").find((l) => l.startsWith('{"result"'));
  const set = await loadProfileSet({ env: s.root.env, openclawVersion: version });
  return {
    result: (JSON.parse(line ?? "{}") as { result?: string }).result,
    tokenCalls: fake.requests.filter((q) => q.host === "auth.openai.com" && q.path === "/oauth/token").length,
    storedRenewal: set.profiles.find((p) => p.id === bob)?.renewal,
  };
}

describe("a refused renewal is final exactly when the release makes it final", () => {
  it.each([
    ["2026.5.28", 401, "invalid_grant", "failed", "possible"],
    ["2026.5.28", 500, "server_error", "unavailable", "possible"],
    ["2026.8.2", 401, "invalid_grant", "failed", "possible"],
    ["2026.8.2", 500, "server_error", "unavailable", "possible"],
    ["2026.9.6", 500, "server_error", "failed", "failed"],
  ] as const)(
    "openclaw %s, token endpoint %i %s: the renewer says %s; the store read next says renewal %s",
    async (version, status, body, result, storedRenewal) => {
      const outcome = await renewWhenRefused(version, status, BODIES[body]);
      expect(outcome).toEqual({ result, tokenCalls: 1, storedRenewal });
    },
    600_000,
  );
});
