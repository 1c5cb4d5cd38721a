import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CodexProfilerError, InputError, StoreError } from "../../src/errors/index.ts";
import { loadProfileSet, selectProfile } from "../../src/profiles/index.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential, legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { snapshotTree } from "../support/tree-snapshot.ts";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function stateWith(files: Record<string, unknown>): { root: string; stateDir: string; env: Record<string, string> } {
  const root = mkdtempSync(join(tmpdir(), "cxp-prof-json-"));
  roots.push(root);
  const stateDir = join(root, "state");
  mkdirSync(join(stateDir, "agents/main/agent"), { recursive: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(stateDir, rel, ".."), { recursive: true });
    writeFileSync(join(stateDir, rel), typeof content === "string" ? content : JSON.stringify(content, null, 2), {
      mode: 0o600,
    });
  }
  return { root, stateDir, env: { HOME: join(root, "home"), OPENCLAW_STATE_DIR: stateDir } };
}

async function readUnchanged(root: string, run: () => Promise<unknown>, secrets: string[]): Promise<unknown> {
  const before = snapshotTree(root);
  let result: unknown;
  try {
    result = await run();
  } catch (error) {
    result = error;
  }
  expect(snapshotTree(root)).toEqual(before);
  expectNoSecrets([JSON.stringify(result), result instanceof Error ? result.message : ""], secrets);
  return result;
}

const NOW = Date.now();

describe("layout json-single (≤ 2026.4.6): inline order and usageStats", () => {
  const store = legacyAuthProfiles({
    inline: {
      order: {
        "openai-codex": [
          "openai-codex:dave@example.com",
          "openai-codex:alice@example.com",
          "openai-codex:carol@example.com",
        ],
      },
      lastGood: { "openai-codex": "openai-codex:dave@example.com" },
      usageStats: {
        "openai-codex:dave@example.com": {
          cooldownUntil: NOW + 600_000,
          cooldownReason: "rate_limit",
          errorCount: 2,
          lastUsed: NOW - 1000,
        },
      },
    },
    extra: { "openai:manual": { type: "api_key", provider: "openai", key: "sk-test-0123456789abcdef" } },
  });

  it("reads the Codex OAuth profiles, identity, local state and the order with cooldowns last", async () => {
    const s = stateWith({ "agents/main/agent/auth-profiles.json": store });
    const set = (await readUnchanged(
      s.root,
      () => loadProfileSet({ env: s.env, now: NOW }),
      secretsOf(store),
    )) as Awaited<ReturnType<typeof loadProfileSet>>;
    expect(set.location.layout).toBe("json-single");
    expect(set.location.files).toEqual([join(s.stateDir, "agents/main/agent/auth-profiles.json")]);
    expect(set.orderSource).toBe("stored-override");
    expect(set.effectiveOrder).toEqual([
      "openai-codex:alice@example.com",
      "openai-codex:carol@example.com",
      "openai-codex:dave@example.com",
    ]);
    expect(set.profiles.map((p) => p.id)).toEqual([...set.effectiveOrder, "openai-codex:bob@example.com"]);
    expect(set.defaultProfileId).toBe("openai-codex:alice@example.com");
    const dave = set.profiles.find((p) => p.label === "dave@example.com")!;
    expect(dave.state).toMatchObject({ cooldownUntilMs: NOW + 600_000, cooldownReason: "rate_limit", errorCount: 2 });
    expect(dave.identity).toMatchObject({
      accountId: "acc-team",
      userId: "user-dave",
      plan: "team",
      email: "dave@example.com",
    });
    const carol = set.profiles.find((p) => p.label === "carol@example.com")!;
    expect(carol.identity.accountId).toBe(dave.identity.accountId);
    expect(set.profiles.find((p) => p.label === "bob@example.com")!.orderIndex).toBeNull();
    expect(set.profiles.every((p) => p.access?.reveal().startsWith("eyJ"))).toBe(true);
    expect(set.profiles.some((p) => p.id === "openai:manual")).toBe(false);
  });
});

describe("layout json-split (2026.4.7–2026.6): auth-state.json wins over inline legacy state", () => {
  it("uses the state file's order and stats", async () => {
    const store = legacyAuthProfiles({ provider: "openai", inline: { order: { openai: ["openai:bob@example.com"] } } });
    const s = stateWith({
      "agents/main/agent/auth-profiles.json": store,
      "agents/main/agent/auth-state.json": {
        version: 1,
        order: { openai: ["openai:carol@example.com", "openai:alice@example.com"] },
        usageStats: { "openai:alice@example.com": { disabledUntil: NOW + 3_600_000, disabledReason: "billing" } },
      },
    });
    const set = (await readUnchanged(
      s.root,
      () => loadProfileSet({ env: s.env, now: NOW }),
      secretsOf(store),
    )) as Awaited<ReturnType<typeof loadProfileSet>>;
    expect(set.location.layout).toBe("json-split");
    expect(set.location.files).toHaveLength(2);
    expect(set.effectiveOrder).toEqual(["openai:carol@example.com", "openai:alice@example.com"]);
    expect(set.storedOrder).toEqual(["openai:carol@example.com", "openai:alice@example.com"]);
    expect(set.orderProvider).toBe("openai");
    expect(set.profiles.find((p) => p.label === "alice@example.com")!.state).toMatchObject({
      disabledUntilMs: NOW + 3_600_000,
      disabledReason: "billing",
    });
  });

  it("a JSON5 config's auth.order applies when no order is stored, and a configured agentDir is used", async () => {
    const store = legacyAuthProfiles({ provider: "openai" });
    const s = stateWith({ "work-agent/auth-profiles.json": store });
    writeFileSync(
      join(s.stateDir, "openclaw.json"),
      "// edited by hand\n" +
        `{ agents: { entries: { main: {}, work: { agentDir: "${join(s.stateDir, "work-agent")}", }, }, },\n` +
        " auth: { order: { openai: ['openai:bob@example.com'] } }, }",
    );
    const set = (await readUnchanged(
      s.root,
      () => loadProfileSet({ env: s.env, agentId: "work", now: NOW }),
      secretsOf(store),
    )) as Awaited<ReturnType<typeof loadProfileSet>>;
    expect(set.location).toMatchObject({
      agentId: "work",
      agentDir: join(s.stateDir, "work-agent"),
      layout: "json-single",
    });
    expect(set.orderSource).toBe("config");
    expect(set.effectiveOrder).toEqual(["openai:bob@example.com"]);
  });
});

describe("explicit file (--auth-path)", () => {
  it("reads exactly that file, with ~ expanded", async () => {
    const store = legacyAuthProfiles({ accounts: undefined });
    const s = stateWith({});
    const home = join(s.root, "home");
    mkdirSync(home, { recursive: true });
    writeFileSync(join(home, "auth.json"), JSON.stringify(store));
    const set = (await readUnchanged(
      s.root,
      () =>
        loadProfileSet({
          env: { ...s.env, OPENCLAW_STATE_DIR: join(s.root, "nowhere") },
          authPath: "~/auth.json",
          now: NOW,
        }),
      secretsOf(store),
    )) as Awaited<ReturnType<typeof loadProfileSet>>;
    expect(set.location).toMatchObject({ layout: "explicit-file", files: [join(home, "auth.json")] });
    expect(set.profiles).toHaveLength(4);
    expect(set.orderSource).toBe("automatic");
  });

  it("a missing file is named as typed, and described when the typed path reads as a pasted token", async () => {
    const s = stateWith({});
    const refusal = async (authPath: string) =>
      (await loadProfileSet({ env: s.env, authPath, now: NOW }).catch((e: unknown) => e)) as StoreError;
    const plain = await refusal(join(s.root, "auth.json"));
    expect(plain).toMatchObject({ code: "store_not_found", path: join(s.root, "auth.json") });
    expect(plain.message).toContain(join(s.root, "auth.json"));
    const piece = "Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re";
    // Folders of random mixed case, as mktemp makes them, are still named.
    const folder = join(s.root, "tmp.aB3xQ9Zk", "auth.json");
    expect((await refusal(folder)).message).toContain(folder);
    const hidden = await refusal(join(s.root, piece));
    expect(hidden).toMatchObject({ code: "store_not_found", path: null });
    expect(hidden.message).toContain("looks like a token");
    expect(JSON.stringify([hidden.message, hidden.hint, hidden.path])).not.toMatch(/zp4lq8wv/i);
  });
});

/**
 * OpenClaw keys profiles by the exact stored id (persisted.ts `normalized[key]`; the real 2026.4.12 `models status
 * --json` lists "openai-codex:bob" and "openai-codex:bob " as two OAuth profiles): so do we, one account each.
 */
describe("ids that differ only by surrounding spaces stay two profiles", () => {
  it("each keeps its own credential; the full id and the label select the one without spaces", async () => {
    const [alice, bob] = [FIXTURE_ACCOUNTS[0]!, FIXTURE_ACCOUNTS[1]!];
    const exp = Math.floor(NOW / 1000) + 86_400;
    const profiles = {
      "openai-codex:bob": fixtureCredential(bob, "openai-codex", exp),
      "openai-codex:bob ": fixtureCredential(alice, "openai-codex", exp),
    };
    const s = stateWith({ "agents/main/agent/auth-profiles.json": { version: 1, profiles } });
    const set = await loadProfileSet({ env: s.env, now: NOW });
    const byId = new Map(set.profiles.map((p) => [p.id, p.identity.accountId]));
    expect(byId).toEqual(
      new Map([
        ["openai-codex:bob", bob.accountId],
        ["openai-codex:bob ", alice.accountId],
      ]),
    );
    expect(set.warnings).toBeUndefined();
    expect(selectProfile(set, "openai-codex:bob").identity.accountId).toBe(bob.accountId);
    expect(selectProfile(set, "bob").identity.accountId).toBe(bob.accountId);
    const spaced = set.profiles.findIndex((p) => p.id === "openai-codex:bob ");
    expect(selectProfile(set, spaced + 1).identity.accountId).toBe(alice.accountId);
  });
});

describe("failures: a stable code, the path looked at, nothing changed, nothing leaked", () => {
  const store = legacyAuthProfiles();
  const jwtStart = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.";
  const cases: Array<{
    name: string;
    files: Record<string, unknown>;
    opts?: Record<string, unknown>;
    code: string;
    mentions: string;
  }> = [
    {
      name: "no state dir",
      files: {},
      opts: { env: "missing" },
      code: "state_not_found",
      mentions: "OPENCLAW_STATE_DIR",
    },
    { name: "no store at all", files: {}, code: "store_not_found", mentions: "auth-profiles.json" },
    {
      name: "unknown agent",
      files: { "agents/main/agent/auth-profiles.json": store },
      opts: { agentId: "work" },
      code: "unknown_agent",
      mentions: "openclaw.json",
    },
    {
      name: "only API keys",
      files: {
        "agents/main/agent/auth-profiles.json": {
          version: 1,
          profiles: { "openai:k": { type: "api_key", provider: "openai", key: "sk-0123456789abcdef" } },
        },
      },
      code: "no_codex_profiles",
      mentions: "auth-profiles.json",
    },
    {
      name: "store is not JSON",
      files: {
        "agents/main/agent/auth-profiles.json": `{"profiles": {"openai:x": {"access": "${jwtStart}`,
      },
      code: "store_invalid",
      mentions: "auth-profiles.json",
    },
    {
      name: "store without profiles",
      files: { "agents/main/agent/auth-profiles.json": { version: 1 } },
      code: "store_invalid",
      mentions: "profiles",
    },
    {
      name: "config is not JSON5",
      files: { "agents/main/agent/auth-profiles.json": store, "openclaw.json": "{ agents: " },
      code: "config_invalid",
      mentions: "openclaw.json",
    },
    {
      name: "explicit file missing",
      files: {},
      opts: { authPath: "/nonexistent/auth-profiles.json" },
      code: "store_not_found",
      mentions: "/nonexistent/auth-profiles.json",
    },
  ];

  it("a state dir that is a file, or a store behind a link loop, is said so, not 'log in first'", async () => {
    const file = stateWith({});
    const env = { ...file.env, OPENCLAW_STATE_DIR: join(file.root, "openclaw.json") };
    writeFileSync(env.OPENCLAW_STATE_DIR, "{}");
    const notDir = await loadProfileSet({ env, now: NOW }).catch((e: unknown) => e);
    expect(notDir).toMatchObject({ code: "state_not_found", message: expect.stringContaining("is not a folder") });

    const loop = stateWith({});
    const agentDir = join(loop.stateDir, "agents/main/agent");
    rmSync(agentDir, { recursive: true });
    symlinkSync(agentDir, agentDir);
    const looped = await loadProfileSet({ env: loop.env, now: NOW }).catch((e: unknown) => e);
    expect(looped).toBeInstanceOf(StoreError);
    expect(looped).toMatchObject({ code: "store_unreadable", message: expect.stringContaining("ELOOP") });
  });

  it.each(cases)("$name → $code", async ({ files, opts, code, mentions }) => {
    const s = stateWith(files);
    const env = opts?.env === "missing" ? { ...s.env, OPENCLAW_STATE_DIR: join(s.root, "absent") } : s.env;
    const error = await readUnchanged(s.root, () => loadProfileSet({ ...opts, env, now: NOW }), secretsOf(store));
    // An agent that is not configured is the caller's input; everything else is the store's.
    expect(error).toBeInstanceOf(code === "unknown_agent" ? InputError : StoreError);
    expect((error as CodexProfilerError).code).toBe(code);
    expect((error as Error).message).toContain(mentions);
  });
});
