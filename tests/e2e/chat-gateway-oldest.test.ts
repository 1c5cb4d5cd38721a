import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EraState, eraState, removeEraState } from "../support/era-state.ts";
import { era } from "../support/eras.ts";
import { FIXTURE_ACCOUNTS } from "../support/fixtures.ts";
import { type Gateway, startGateway, type WebchatClient } from "../support/gateway.ts";
import { expectLoopbackOnly } from "../support/loopback-guard.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

/**
 * The plugin inside the oldest supported gateway, OpenClaw 2026.4.5 (the newest, 2026.9.6, is
 * chat-gateway.test.ts), over web chat: the text selector and list, and /codex_auth status with the
 * effective order computed from the store the way 2026.4.x does (its CLI reports none).
 */
const VERSION = "2026.4.5";
const NAMES = FIXTURE_ACCOUNTS.slice(0, 3).map((a) => a.name);

describe(`codex-profiler in the OpenClaw ${VERSION} gateway`, () => {
  let sim: UsageSimulator;
  let state: EraState;
  let gw: Gateway;
  let web: WebchatClient;
  const replies: string[] = [];

  beforeAll(async () => {
    sim = await startUsageSimulator({ defaultScenario: { kind: "ok", fiveHourUsed: 30, weeklyUsed: 40 } });
    state = await eraState(VERSION);
    const e = era(VERSION);
    gw = await startGateway({
      root: state.root,
      pluginDir: PROJECT_ROOT,
      pluginId: "codex-profiler",
      env: { CODEX_PROFILER_USAGE_URL: sim.url },
      openclaw: { node: e.node, cli: e.cli, dir: e.dir },
      readyTimeoutMs: 600_000,
    });
    await new Promise((r) => setTimeout(r, 5000)); // its port opens as the plugins finish loading
    web = await gw.webchat();
  }, 900_000);

  afterAll(async () => {
    await web?.close();
    await gw?.stop();
    await sim?.close();
    if (state) {
      expectNoSecrets(
        [...replies, gw?.output() ?? ""],
        FIXTURE_ACCOUNTS.map((a) => `fake-refresh-${a.userId}-0123456789`),
      );
      removeEraState(state);
    }
    expectLoopbackOnly(gw?.offLoopback());
  }, 60_000);

  it("/codex_usage answers with the numbered text list, then /codex_usage all with one line per profile", async () => {
    const auth = join(state.root.stateDir, "agents/main/agent/auth-profiles.json");
    const before = readFileSync(auth, "utf8");
    const selector = await web.send("/codex_usage", 300_000);
    replies.push(selector.text);
    expect(selector.text).toContain("all");
    for (const name of NAMES) expect(selector.text).toContain(name);
    const run = await web.send("/codex_usage all", 300_000);
    replies.push(run.text);
    for (const name of NAMES) expect(run.text).toMatch(new RegExp(`🟢[^\n]*${name.replace(/\./g, "\\.")}`, "u"));
    expect(readFileSync(auth, "utf8")).toBe(before);
  }, 600_000);

  it("/codex_auth status shows real positions, computed from the store as 2026.4.x does", async () => {
    const status = await web.send("/codex_auth status", 600_000);
    replies.push(status.text);
    expect(status.text).toContain("First: openai-codex:carol@example.com");
    expect(status.text).toContain("computed from the store as OpenClaw 2026.4.x does");
    expect(status.text).toMatch(/1\. openai-codex:carol@example\.com/);
    expect(status.text).toMatch(/2\. openai-codex:alice@example\.com/);
  }, 600_000);
});
