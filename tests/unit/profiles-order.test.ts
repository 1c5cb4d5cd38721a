import { describe, expect, it } from "vitest";
import { EMPTY_CONFIG } from "../../src/openclaw/config-file.ts";
import {
  defaultProfileIdOf,
  type OrderInput,
  type OrderRules,
  orderRulesFor,
  orderRulesOf,
  resolveEffectiveOrder,
} from "../../src/profiles/effective-order.ts";
import { buildProfileSet, localStateOf } from "../../src/profiles/profile-set.ts";
import {
  inheritMainStore,
  mergeStores,
  type RawAuthStore,
  type RawCredential,
  type RawUsageStats,
  withState,
} from "../../src/profiles/raw-store.ts";
import { detectLayout, type LegacyFiles } from "../../src/profiles/store-layout.ts";
import type { StoreLocation } from "../../src/profiles/types.ts";

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
    // As OpenClaw 2026.9.6 (usage-state: isActiveUnusableWindow `now < until`, resolveProfileUnusableUntil the max).
    {
      name: "automatic: a cooldown ending at this very moment is over; a cooling one ends with its latest window",
      in: input(
        store(["a", "b", "c", "d"], {
          usageStats: {
            "openai:a": { ...cooldown(NOW + 1_000), disabledUntil: NOW + 9_000, disabledReason: "billing" },
            "openai:b": cooldown(NOW + 5_000),
            "openai:c": cooldown(NOW),
          },
        }),
      ),
      ids: ["openai:c", "openai:d", "openai:b", "openai:a"],
      source: "automatic",
    },
    // 2026.9.6 resolveTokenExpiryState: `expires - now <= 0` is expired.
    {
      name: "automatic: an OAuth token expiring at this very moment is expired, after the usable ones",
      in: input({ profiles: { "openai:a": oauth("openai", { expires: NOW }), "openai:b": oauth() } }),
      ids: ["openai:b", "openai:a"],
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
    // 2026.9.6 order eligibility: mode "oauth" also takes a stored token credential (else mode_mismatch).
    {
      name: "config auth.profiles in oauth mode take a stored token credential",
      in: input(
        { profiles: { "openai:tok": { type: "token", provider: "openai", hasToken: true }, "openai:a": oauth() } },
        { configProfiles: { "openai:tok": { provider: "openai", mode: "oauth" } } },
      ),
      ids: ["openai:tok"],
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

  it("2026.4 and 2026.5 rules: an expired OAuth token keeps its least-recently-used place (no expiry bucket)", () => {
    const s = store(["a", "b", "c"], {}, "openai-codex");
    s.profiles["openai-codex:b"] = oauth("openai-codex", { expires: NOW - 1 });
    const kept = ["openai-codex:a", "openai-codex:b", "openai-codex:c"];
    expect(resolveEffectiveOrder(input(s, { rules: "2026.4" })).ids).toEqual(kept);
    // 5.28's own resolveAuthProfileOrder gives the same; a store of openai-codex OAuth profiles defaults to 2026.5.
    expect(resolveEffectiveOrder(input(s)).ids).toEqual(kept);
  });

  it("2026.6 rules (6.11, 7.1): the openai provider, an expired token kept in place; 2026.9 sorts it last", () => {
    const s = store(["a", "b", "c"]);
    s.profiles["openai:a"] = oauth("openai", { expires: NOW - 1 });
    const v6 = resolveEffectiveOrder(input(s, { rules: "2026.6" }));
    expect([v6.provider, v6.ids]).toEqual(["openai", ["openai:a", "openai:b", "openai:c"]]);
    expect(resolveEffectiveOrder(input(s, { rules: "2026.9" })).ids).toEqual(["openai:b", "openai:c", "openai:a"]);
    // Like 2026.9, a stored order naming no stored profile falls back to the stored ones, sorted.
    const stale = { ...s, order: { openai: ["openai:gone"] } };
    const repaired = resolveEffectiveOrder(input(stale, { rules: "2026.6" }));
    expect([repaired.ids, repaired.source]).toEqual([["openai:a", "openai:b", "openai:c"], "automatic"]);
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

// Every expected order is what the release's own resolveAuthProfileOrder (era-order-oracle.mjs, 4.x and 5.28) or
// `models status --json` effectiveProfiles (6.11, 7.1, 8.2, 9.6) gave for the same store (era matrix, mixed case).
describe("the Codex provider per release: openai and openai-codex profiles side by side", () => {
  const [A, B, C, D, K] = ["openai-codex:alice", "openai:bob", "openai-codex:carol", "openai-codex:dave", "openai:key"];
  const [OA, OB] = ["openai:alice", "openai:bob"];
  const KEY: RawCredential = { type: "api_key", provider: "openai", hasKey: true };
  // A JSON-era store: Codex OAuth as openai-codex, an openai OAuth profile and an openai API key beside them.
  const json = (order?: Record<string, string[]>): RawAuthStore => ({
    profiles: { [A]: oauth("openai-codex"), [B]: oauth("openai"), [K]: KEY, [C]: oauth("openai-codex") },
    ...(order ? { order } : {}),
  });
  // A 2026.6+ store with an openai-codex profile doctor --fix did not rename.
  const sqlite = (): RawAuthStore => ({
    profiles: { [OA]: oauth(), [OB]: oauth(), [K]: KEY, [D]: oauth("openai-codex") },
  });
  const mixed = [C, K, B, A];
  const config = { "openai-codex": [K, C, B] };
  const cases: Array<[string, OrderRules | undefined, RawAuthStore, Record<string, string[]>, string[]]> = [
    ["2026.4, no order: only openai-codex profiles", "2026.4", json(), {}, [A, C]],
    ["2026.4, a stored order naming openai ones", "2026.4", json({ "openai-codex": mixed }), {}, [C, A]],
    ["2026.4, a config order", "2026.4", json(), config, [C]],
    ["2026.5, no order: the openai API key as a backup", "2026.5", json(), {}, [A, C, K]],
    ["2026.5, a stored order", "2026.5", json({ "openai-codex": mixed }), {}, [C, K, A]],
    ["2026.5 (the store's default), a config order", undefined, json(), config, [K, C]],
    ["2026.5, an openai order naming Codex ids", undefined, json({ openai: mixed }), {}, [C, K, A]],
    ["2026.5, an openai order naming none", undefined, json({ openai: [K, B] }), {}, [A, C, K]],
    ["2026.9, no order: a leftover openai-codex profile is not in it", "2026.9", sqlite(), {}, [OA, OB, K]],
    ["2026.9, a config order naming it", "2026.9", sqlite(), { openai: [D, OB] }, [OB]],
    ["2026.9, an openai-codex config order is not used", "2026.9", sqlite(), { "openai-codex": [D, OB] }, [OA, OB, K]],
  ];
  it.each(cases)("%s", (_name, rules, s, configOrder, ids) => {
    expect(resolveEffectiveOrder(input(s, { configOrder, ...(rules ? { rules } : {}) })).ids).toEqual(ids);
  });

  const location: StoreLocation = {
    layout: "json-single",
    agentId: "main",
    stateDir: "/s",
    configPath: "/s/openclaw.json",
    agentDir: "/s/agents/main/agent",
    files: ["/s/agents/main/agent/auth-profiles.json"],
    reader: "file",
  };
  it("the profile set lists the Codex provider's OAuth profiles only and names the others in a warning", () => {
    const old = buildProfileSet(json({ "openai-codex": mixed }), EMPTY_CONFIG, location, NOW);
    expect(old.profiles.map((p) => p.id)).toEqual([C, A]);
    expect([old.orderProvider, old.defaultProfileId, old.effectiveOrder]).toEqual(["openai-codex", C, [C, A]]);
    expect(old.providerProfileIds).toEqual([A, K, C]);
    expect(old.otherProviderIds).toEqual([K]);
    expect(old.warnings).toEqual([expect.stringMatching(/^openai:bob is of provider openai, which this OpenClaw/)]);
    const v4 = buildProfileSet(json(), EMPTY_CONFIG, location, NOW, undefined, "2026.4");
    expect(v4.providerOrder).toEqual([A, C]);
    expect(v4.providerProfileIds).toEqual([A, C]);
    expect(v4.otherProviderIds).toBeUndefined();

    const withOrder = { ...EMPTY_CONFIG, authOrder: { openai: [D, OB] } };
    const set = buildProfileSet(sqlite(), withOrder, { ...location, layout: "sqlite" }, NOW, undefined, "2026.9");
    expect(set.profiles.map((p) => p.id)).toEqual([OB, OA]);
    expect([set.defaultProfileId, set.providerOrder, set.storedOrder]).toEqual([OB, [OB], null]);
    expect(set.otherProviderIds).toBeUndefined();
    expect(set.warnings).toEqual([expect.stringContaining(`${D} is of provider openai-codex`)]);
    expect(set.warnings?.[0]).toContain("openclaw doctor --fix");
  });

  const NO_CODEX_PROFILE =
    /no Codex \(ChatGPT OAuth, provider openai\) profile \(openai-codex:dave is of provider openai-codex.*doctor --fix/;
  it("a store of leftover openai-codex profiles only has no Codex profile on 2026.6+, and says why", () => {
    const only = { profiles: { [D]: oauth("openai-codex") } };
    expect(() => buildProfileSet(only, EMPTY_CONFIG, location, NOW, undefined, "2026.9")).toThrow(NO_CODEX_PROFILE);
    // Outside SQLite, openai-codex OAuth profiles mean ≤ 2026.5 (a SQLite store is read with 2026.9 whatever it holds).
    expect(orderRulesOf(only)).toBe("2026.5");
    expect(orderRulesOf(sqlite())).toBe("2026.5");
    expect(orderRulesOf(store(["a"]))).toBe("2026.9");
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
      cooldownModel: null,
      disabledUntilMs: NOW + 20,
      disabledReason: "billing",
      errorCount: 2,
      lastUsedMs: 5,
    });
  });

  it("names the model a rate-limit cooldown is scoped to; a billing one or a block is the whole profile's", () => {
    const spark = { cooldownModel: "gpt-5.3-codex-spark" };
    expect(localStateOf(cooldown(NOW + 10, spark), NOW).cooldownModel).toBe("gpt-5.3-codex-spark");
    expect(localStateOf(cooldown(NOW + 10, { ...spark, cooldownReason: "billing" }), NOW).cooldownModel).toBeNull();
    expect(localStateOf(cooldown(NOW + 10, { ...spark, blockedUntil: NOW + 20 }), NOW).cooldownModel).toBeNull();
    expect(localStateOf(cooldown(NOW - 10, spark), NOW).cooldownModel).toBeNull();
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

// Which release's rules apply when the caller does not name them (profile-source.ts): the running release when
// known, else the one that last wrote openclaw.json, and only where that release reads this kind of store.
describe("order rules from the release's version text", () => {
  const codexJson: RawAuthStore = { profiles: { "openai-codex:a": oauth("openai-codex") } };
  const openaiOnly: RawAuthStore = { profiles: { "openai:a": oauth() } };
  const cases: Array<[string, RawAuthStore, boolean, Array<string | undefined>, OrderRules]> = [
    ["SQLite, no version: 2026.9", openaiOnly, true, [undefined, undefined], "2026.9"],
    ["SQLite, stamped 2026.6.11", openaiOnly, true, [undefined, "2026.6.11"], "2026.6"],
    ["SQLite, stamped 2026.7.1", openaiOnly, true, [undefined, "2026.7.1"], "2026.6"],
    ["SQLite, stamped 2026.8.2", openaiOnly, true, [undefined, "2026.8.2"], "2026.9"],
    ["SQLite, running 8.2 over a 7.1 stamp", openaiOnly, true, ["OpenClaw 2026.8.2 (x)", "2026.7.1"], "2026.9"],
    ["SQLite, running 7.1 over an 8.2 stamp", openaiOnly, true, ["2026.7.1", "2026.8.2"], "2026.6"],
    ["SQLite, a JSON-era stamp: by the store", openaiOnly, true, [undefined, "2026.5.28"], "2026.9"],
    ["SQLite, an unreadable stamp: by the store", openaiOnly, true, [undefined, "later"], "2026.9"],
    ["JSON, no version: 2026.5", codexJson, false, [undefined, undefined], "2026.5"],
    ["JSON, stamped 2026.4.12", codexJson, false, [undefined, "2026.4.12"], "2026.4"],
    ["JSON, stamped 2026.4.5", codexJson, false, [undefined, "2026.4.5"], "2026.4"],
    ["JSON, stamped 2026.5.28", codexJson, false, [undefined, "2026.5.28"], "2026.5"],
    ["JSON, running 5.28 over a 4.12 stamp", codexJson, false, ["2026.5.28", "2026.4.12"], "2026.5"],
    ["JSON, a SQLite-era release: by the store", codexJson, false, ["2026.9.6", "2026.4.12"], "2026.5"],
    ["JSON of openai profiles only: by the store", openaiOnly, false, [undefined, "2026.4.12"], "2026.9"],
  ];
  it.each(cases)("%s", (_name, s, sqlite, releases, rules) => {
    expect(orderRulesFor(s, sqlite, releases)).toBe(rules);
  });

  // user_version of the agent database holding the store: 1 on 6.11 and 7.1, 19 on 8.2, 23 on 9.6 (era states).
  const schemas: Array<[string, Array<string | undefined>, number | null, OrderRules]> = [
    ["no version, schema 1 (6.11, 7.1)", [undefined, undefined], 1, "2026.6"],
    ["no version, schema 19 (8.2)", [undefined, undefined], 19, "2026.9"],
    ["no version, an unknown schema", [undefined, undefined], 7, "2026.9"],
    ["no version, no agent database", [undefined, undefined], null, "2026.9"],
    ["a stamp wins over the schema", [undefined, "2026.8.2"], 1, "2026.9"],
    ["the running release wins over the schema", ["2026.7.1", undefined], 23, "2026.6"],
    ["a schema 2026.8+ wrote wins over a 2026.7.1 stamp", [undefined, "2026.7.1"], 23, "2026.9"],
    ["8.2's own schema (19) wins over a 2026.7.1 stamp", [undefined, "2026.7.1"], 19, "2026.9"],
    ["an unknown schema leaves it to the stamp", [undefined, "2026.7.1"], 5, "2026.6"],
  ];
  it.each(schemas)("SQLite: %s", (_name, releases, schema, rules) => {
    expect(orderRulesFor(openaiOnly, true, releases, schema)).toBe(rules);
    expect(orderRulesFor(codexJson, false, releases, schema)).toBe(orderRulesFor(codexJson, false, releases));
  });
});
