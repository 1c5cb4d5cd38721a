import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import type { CronRunner } from "../../src/openclaw-cli/index.ts";
import { agentState, readRotationState, updateAgentState } from "../../src/rotation/rotation-state.ts";
import { storedKey } from "../../src/secrets/redact.ts";
import { CACHE_VERSION } from "../../src/usage/cache-schema.ts";
import { historyPath, loadHistory } from "../../src/usage/history-store.ts";
import { accountKeyOf } from "../../src/usage/profile-usage.ts";
import { CACHE_FILE, openUsageCache } from "../../src/usage/usage-cache.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { captureRuntime } from "../support/rotation-fakes.ts";

/*
 * Our own files (usage cache, history, rotation and alert state) are keyed by profile and agent ids, which OpenClaw
 * takes with any text: a token pasted as one is kept by its digest, and what an older version wrote with one in it
 * is dropped or rewritten at the next read or write.
 */
const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
const JWT = fakeAccessToken({ accountId: "acc-x", userId: "user-x", email: "x@example.com", exp: 2_000_000_000 });
const RT = "rt_Q7mVx2LpK9sNw4HbT1cYz8RfJ3dGa6Ue0iOkPlMnBv";
const PIECES = [...JWT.split(".").filter((p) => p.length >= 12), RT].flatMap((p) => [p.slice(0, 12), p.slice(-12)]);
const expectClean = (text: string) => {
  for (const piece of PIECES) expect(text.includes(piece), piece.slice(0, 4)).toBe(false);
};

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "cxp-stored-keys-"));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("storedKey", () => {
  it("keeps ordinary ids as they are and a token-shaped one by a stable digest", () => {
    for (const id of [
      "main",
      "work",
      "openai-codex:alice@example.com#acc-1#user-1",
      "runs-dry:openai:bob",
      "pool-short",
    ])
      expect(storedKey(id)).toBe(id);
    const keys = [`openai-codex:x_${JWT}`, `openai-codex:${RT}`, RT, `relogin:openai:${RT}`].map(storedKey);
    for (const key of keys) expect(key).toMatch(/^redacted-sha256:[0-9a-f]{32}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(storedKey(RT)).toBe(keys[2]);
    expect(keys.map(storedKey)).toEqual(keys);
    expect(accountKeyOf(`openai-codex:${RT}`, { accountId: "acc-1", userId: "user-1" })).toMatch(/^redacted-sha256:/);
  });
});

describe("files an older version wrote with a token-shaped id", () => {
  it("the rotation state is rewritten scrubbed at the next write, every agent's entry", () => {
    const path = join(tempDir(), "rotation-state.json");
    const job = { at: "2026-11-30T11:00:00.000Z", outcome: "applied", signature: "ok" };
    const legacy = {
      version: 1,
      agents: {
        [RT]: { parked: [], job: { ...job, order: [], message: `agent ${RT} failed` } },
        main: {
          parked: [`openai-codex:${RT}`],
          job: { ...job, order: ["openai-codex:alice", `openai-codex:x_${JWT}`], message: `now x_${JWT} first` },
          alerts: { [`relogin:openai-codex:${RT}`]: { since: NOW, sent: true, resetAtMs: null } },
        },
      },
    };
    writeFileSync(path, JSON.stringify(legacy));
    updateAgentState(path, "work", (s) => ({ ...s, parked: [`openai-codex:${RT}`, "openai-codex:bob"] }));
    const text = readFileSync(path, "utf8");
    expectClean(text);
    const state = readRotationState(path);
    expect(agentState(state, "work").parked).toEqual([storedKey(`openai-codex:${RT}`), "openai-codex:bob"]);
    expect(agentState(state, "main").job?.order).toEqual(["openai-codex:alice", storedKey(`openai-codex:x_${JWT}`)]);
    expect(agentState(state, RT).job?.message).toBe("agent [redacted] failed");
    expect(Object.keys(agentState(state, "main").alerts ?? {})).toEqual([storedKey(`relogin:openai-codex:${RT}`)]);
  });

  it("the usage cache and the history drop its entries", async () => {
    const dir = tempDir();
    const reading = { plan: null, fetchedAtMs: NOW - 1000, allowed: true, limitReached: false, spendReached: false };
    const entry = {
      ...reading,
      limits: [],
      credits: null,
      resetCredits: null,
      resetCreditsApplicable: null,
      reachedType: null,
      unavailableModels: [],
    };
    const raw = `openai-codex:${RT}#acc-1#user-1`;
    const entries = { [raw]: entry, "openai-codex:alice#acc-2#user-2": entry };
    writeFileSync(join(dir, CACHE_FILE), JSON.stringify({ version: CACHE_VERSION, entries }));
    const cache = await openUsageCache({ dir, ttlMs: 60_000, now: () => NOW });
    expect(cache.get("openai-codex:alice#acc-2#user-2")).toBeDefined();
    expect(cache.get(raw)).toBeUndefined();

    const point = { t: NOW - 1000, limits: {} };
    const path = historyPath({ CODEX_PROFILER_CACHE_DIR: dir });
    writeFileSync(
      path,
      JSON.stringify({ version: 2, profiles: { [raw]: [point], "openai-codex:alice#a#u": [point] } }),
    );
    expect(Object.keys(loadHistory(path, NOW).profiles)).toEqual(["openai-codex:alice#a#u"]);
  });
});

describe("a scheduled job for an agent whose id is a token", () => {
  it("is refused before anything is written through openclaw cron: its argv and key would hold the token", async () => {
    const calls: string[][] = [];
    const cron: CronRunner = async (args) => {
      calls.push(args);
      if (args[1] === "add") return { code: 0, stdout: JSON.stringify({ job: { id: "j1" } }), stderr: "" };
      return { code: 0, stdout: JSON.stringify({ jobs: [] }), stderr: "" };
    };
    for (const kind of ["job", "alerts"]) {
      const rt = captureRuntime();
      const env = { CODEX_PROFILER_CACHE_DIR: tempDir(), HOME: tempDir() };
      await rotateCommand([kind, "install", "--agent", RT, "--yes", "--format", "json"], rt, {
        env,
        cron,
        launcher: "/x/codex_rotate",
      });
      expect([rt.code, rt.json[0]]).toEqual([4, { error: expect.objectContaining({ code: "agent_id_secret" }) }]);
      expectClean(JSON.stringify(rt.json));
    }
    expect(calls.filter((c) => c[1] === "add")).toEqual([]);
    expectClean(JSON.stringify(calls));
  });
});
