import { describe, expect, it } from "vitest";
import { defaultProfileIdOf, type OrderInput, resolveEffectiveOrder } from "../../src/profiles/effective-order.ts";
import { localStateOf } from "../../src/profiles/profile-set.ts";
import {
  inheritMainStore,
  mergeStores,
  type RawAuthStore,
  type RawCredential,
  type RawUsageStats,
  withState,
} from "../../src/profiles/raw-store.ts";
import { detectLayout, type LegacyFiles } from "../../src/profiles/store-layout.ts";

const NOW = 1_000_000_000_000;
const oauth = (provider = "openai", extra: Partial<RawCredential> = {}): RawCredential => ({
  type: "oauth",
  provider,
  access: "acc",
  refreshState: "present",
  expires: NOW + 3_600_000,
  ...extra,
});
const store = (ids: string[], extra: Partial<RawAuthStore> = {}, provider = "openai"): RawAuthStore => ({
  profiles: Object.fromEntries(ids.map((id) => [`${provider}:${id}`, oauth(provider)])),
  ...extra,
});
const input = (s: RawAuthStore, over: Partial<OrderInput> = {}): OrderInput => ({
  store: s,
  configOrder: {},
  configProfiles: {},
  now: NOW,
  ...over,
});
const cooldown = (until: number, extra: Partial<RawUsageStats> = {}): RawUsageStats => ({
  cooldownUntil: until,
  cooldownReason: "rate_limit",
  errorCount: 2,
  ...extra,
});

describe("effective order", () => {
  const cases: Array<{ name: string; in: OrderInput; ids: string[]; source: string }> = [
    {
      name: "automatic: store order when nothing else differs",
      in: input(store(["a", "b", "c"])),
      ids: ["openai:a", "openai:b", "openai:c"],
      source: "automatic",
    },
    {
      name: "automatic: lastUsed oldest first",
      in: input(
        store(["a", "b", "c"], {
          usageStats: { "openai:a": { lastUsed: 30 }, "openai:b": { lastUsed: 10 }, "openai:c": { lastUsed: 20 } },
        }),
      ),
      ids: ["openai:b", "openai:c", "openai:a"],
      source: "automatic",
    },
    {
      name: "automatic: oauth before token before api_key; expired oauth after usable",
      in: input({
        profiles: {
          "openai:key": { type: "api_key", provider: "openai", hasKey: true },
          "openai:tok": { type: "token", provider: "openai", hasToken: true },
          "openai:old": oauth("openai", { expires: NOW - 1 }),
          "openai:new": oauth(),
        },
      }),
      ids: ["openai:new", "openai:old", "openai:tok", "openai:key"],
      source: "automatic",
    },
    {
      name: "automatic: cooldowns last, soonest end first; ended cooldowns do not count",
      in: input(
        store(["a", "b", "c", "d"], {
          usageStats: {
            "openai:a": cooldown(NOW + 9_000),
            "openai:b": { disabledUntil: NOW + 5_000, disabledReason: "billing" },
            "openai:c": cooldown(NOW - 1),
          },
        }),
      ),
      ids: ["openai:c", "openai:d", "openai:b", "openai:a"],
      source: "automatic",
    },
    {
      name: "stored override wins over config order; missing ids dropped",
      in: input(store(["a", "b", "c"], { order: { openai: ["openai:c", "openai:zz", "openai:a"] } }), {
        configOrder: { openai: ["openai:b"] },
      }),
      ids: ["openai:c", "openai:a"],
      source: "stored-override",
    },
    {
      name: "explicit order keeps its order but moves cooldowns to the end",
      in: input(
        store(["a", "b", "c"], {
          order: { openai: ["openai:a", "openai:b", "openai:c"] },
          usageStats: { "openai:a": cooldown(NOW + 60_000), "openai:b": cooldown(NOW + 1_000) },
        }),
      ),
      ids: ["openai:c", "openai:b", "openai:a"],
      source: "stored-override",
    },
    {
      name: "config auth.order",
      in: input(store(["a", "b"]), { configOrder: { OpenAI: ["openai:b"] } }),
      ids: ["openai:b"],
      source: "config",
    },
    {
      name: "config auth.profiles ids when there is no order",
      in: input(store(["a", "b", "c"]), {
        configProfiles: {
          "openai:c": { provider: "openai", mode: "oauth" },
          "anthropic:x": { provider: "anthropic", mode: "oauth" },
        },
      }),
      ids: ["openai:c"],
      source: "config",
    },
    {
      name: "config auth.profiles with a mismatching mode are ineligible",
      in: input(store(["a", "b"]), {
        configProfiles: {
          "openai:a": { provider: "openai", mode: "api_key" },
          "openai:b": { provider: "openai", mode: "oauth" },
        },
      }),
      ids: ["openai:b"],
      source: "config",
    },
    {
      name: "a stored order naming only missing profiles falls back to the stored profiles",
      in: input(store(["a", "b"], { order: { openai: ["openai:gone"] } })),
      ids: ["openai:a", "openai:b"],
      source: "automatic",
    },
    {
      name: "legacy openai-codex ids and order key",
      in: input(store(["a", "b"], { order: { "openai-codex": ["openai-codex:b"] } }, "openai-codex")),
      ids: ["openai-codex:b"],
      source: "stored-override",
    },
    {
      name: "refresh-fenced and empty OAuth profiles are ineligible",
      in: input({
        profiles: {
          "openai:fenced": oauth("openai", {
            access: `openclaw-oauth-refresh-fence:v1:${"0".repeat(32)}:failed:access:${"0".repeat(64)}`,
          }),
          "openai:empty": { type: "oauth", provider: "openai" },
          "openai:ok": oauth(),
          "anthropic:x": oauth("anthropic"),
        },
      }),
      ids: ["openai:ok"],
      source: "automatic",
    },
  ];

  it("2026.4 rules: an expired OAuth token keeps its least-recently-used place (no expiry bucket)", () => {
    const s = store(["a", "b", "c"], {}, "openai-codex");
    s.profiles["openai-codex:b"] = oauth("openai-codex", { expires: NOW - 1 });
    expect(resolveEffectiveOrder(input(s, { rules: "2026.4" })).ids).toEqual([
      "openai-codex:a",
      "openai-codex:b",
      "openai-codex:c",
    ]);
    expect(resolveEffectiveOrder(input(s)).ids).toEqual(["openai-codex:a", "openai-codex:c", "openai-codex:b"]);
  });

  it.each(cases)("$name", ({ in: i, ids, source }) => {
    const res = resolveEffectiveOrder(i);
    expect(res.ids).toEqual(ids);
    expect(res.source).toBe(source);
  });

  it("default profile: head of the order, else <provider>:default, else the first id", () => {
    expect(defaultProfileIdOf(["openai:b"], ["openai:a", "openai:b"])).toBe("openai:b");
    expect(defaultProfileIdOf([], ["openai:a", "openai-codex:default"])).toBe("openai-codex:default");
    expect(defaultProfileIdOf([], ["openai:a", "openai:b"])).toBe("openai:a");
    expect(defaultProfileIdOf([], [])).toBeNull();
  });
});

describe("store merging", () => {
  it("a state file wins over inline legacy state, key by key", () => {
    const s = withState(
      store(["a", "b"], {
        order: { openai: ["openai:a"] },
        usageStats: { "openai:a": { lastUsed: 1 }, "openai:b": { lastUsed: 2 } },
      }),
      {
        order: { openai: ["openai:b"] },
        usageStats: { "openai:a": { lastUsed: 9 } },
      },
    );
    expect(s.order).toEqual({ openai: ["openai:b"] });
    expect(s.usageStats).toEqual({ "openai:a": { lastUsed: 9 }, "openai:b": { lastUsed: 2 } });
  });

  it("an agent store over the shared one: its profiles win, its order replaces the shared order", () => {
    const shared = store(["a", "b"], { order: { openai: ["openai:b", "openai:a"] } });
    expect(mergeStores(shared, { profiles: {}, order: { openai: ["openai:a"] } }).order).toEqual({
      openai: ["openai:a"],
    });
    const own = store(["c"]);
    const merged = mergeStores(shared, own);
    expect(Object.keys(merged.profiles)).toEqual(["openai:c", "openai:a", "openai:b"]);
    expect(merged.order).toEqual({ openai: ["openai:c", "openai:b", "openai:a"] });
  });

  // What the real 2026.5.28 `models status --agent work` lists for the same files (see profiles-json-agents).
  it("JSON eras: a sub-agent's own store over the main agent's: its profiles win, main's state is inherited", () => {
    const c = "openai-codex";
    const main = store(["alice", "bob", "carol"], { order: { [c]: [`${c}:carol`, `${c}:alice`, `${c}:ghost`] } }, c);
    main.usageStats = { [`${c}:bob`]: { lastUsed: 5 }, [`${c}:ghost`]: { lastUsed: 1 } };
    main.lastGood = { [c]: `${c}:ghost` };
    expect(inheritMainStore(main, { profiles: {} })).toBe(main);
    const ownCarol = oauth(c, { expires: NOW + 1 });
    const merged = inheritMainStore(main, { profiles: { [`${c}:carol`]: ownCarol, [`${c}:erin`]: oauth(c) } });
    expect(Object.keys(merged.profiles)).toEqual([`${c}:alice`, `${c}:bob`, `${c}:carol`, `${c}:erin`]);
    expect(merged.profiles[`${c}:carol`]).toBe(ownCarol);
    // No own profile goes first (that is 2026.6.11+'s mergeStores); ids neither store holds are dropped.
    expect(merged.order).toEqual({ [c]: [`${c}:carol`, `${c}:alice`] });
    expect(merged.usageStats).toEqual({ [`${c}:bob`]: { lastUsed: 5 } });
    expect(merged.lastGood).toBeUndefined();
    const ownOrder = inheritMainStore(main, { profiles: {}, order: { [c]: [`${c}:bob`] } });
    expect(ownOrder.order).toEqual({ [c]: [`${c}:bob`] });
    expect(Object.keys(ownOrder.profiles)).toHaveLength(3);
  });

  it("JSON layouts: a sub-agent with its own auth-profiles.json inherits the main agent's files", () => {
    const files = (dir: string, names: string[]): LegacyFiles => ({
      dir,
      profiles: names.includes("p") ? `${dir}/auth-profiles.json` : null,
      state: names.includes("s") ? `${dir}/auth-state.json` : null,
      legacyAuth: null,
      legacyOAuth: null,
    });
    const main = files("/m", ["p", "s"]);
    const p = (dir: string) => ({ profilesFile: `${dir}/auth-profiles.json`, stateFile: null });
    const ps = (dir: string) => ({ profilesFile: `${dir}/auth-profiles.json`, stateFile: `${dir}/auth-state.json` });
    expect(detectLayout({ databases: [], agent: files("/w", ["p"]), main })).toEqual({
      layout: "json-split",
      own: p("/w"),
      inherited: ps("/m"),
    });
    expect(detectLayout({ databases: [], agent: files("/w", ["s"]), main })).toEqual({
      layout: "json-split",
      own: ps("/m"),
      inherited: null,
    });
    expect(detectLayout({ databases: [], agent: main, main })).toEqual({
      layout: "json-split",
      own: ps("/m"),
      inherited: null,
    });
    const single = files("/m", ["p"]);
    expect(detectLayout({ databases: [], agent: files("/w", ["p"]), main: single })).toEqual({
      layout: "json-single",
      own: p("/w"),
      inherited: p("/m"),
    });
    expect(detectLayout({ databases: [], agent: files("/w", ["p"]), main: files("/m", []) })).toEqual({
      layout: "json-single",
      own: p("/w"),
      inherited: null,
    });
  });
});

describe("local state", () => {
  it("active cooldown and disable with reasons", () => {
    expect(
      localStateOf({ ...cooldown(NOW + 10), disabledUntil: NOW + 20, disabledReason: "billing", lastUsed: 5 }, NOW),
    ).toEqual({
      cooldownUntilMs: NOW + 10,
      cooldownReason: "rate_limit",
      disabledUntilMs: NOW + 20,
      disabledReason: "billing",
      errorCount: 2,
      lastUsedMs: 5,
    });
  });

  it("ended windows are dropped and the error count resets, as OpenClaw does lazily", () => {
    expect(localStateOf(cooldown(NOW - 10), NOW)).toMatchObject({
      cooldownUntilMs: null,
      cooldownReason: null,
      errorCount: 0,
    });
  });

  it("errors without any window keep their count; no stats is a clean state", () => {
    expect(localStateOf({ errorCount: 3 }, NOW).errorCount).toBe(3);
    expect(localStateOf(undefined, NOW)).toMatchObject({ errorCount: 0, lastUsedMs: null, cooldownUntilMs: null });
  });
});
