import { describe, expect, it } from "vitest";
import { ConfigFileError } from "../../src/errors/index.ts";
import { parseJson5, parseOpenclawConfig } from "../../src/openclaw/config-file.ts";
import { agentResolutionError } from "../../src/openclaw/default-agent.ts";
import {
  type AgentRoster,
  type DefaultAgentRule,
  resolveAgent,
  resolveConfigPath,
  resolveHomeDir,
  resolveSharedMainAgentDir,
  resolveStateDir,
} from "../../src/openclaw/paths.ts";

const osHome = () => "/os-home";
const none = () => false;
const roster = (ids: string[], dirs: Record<string, string> = {}, systemAgentId?: string): AgentRoster => ({
  ids,
  agentDirs: dirs,
  marked: [],
  systemAgentId,
  explicitOwnership: systemAgentId !== undefined,
  modernKeys: systemAgentId !== undefined,
});

describe("state, config and home resolution", () => {
  it.each([
    { env: {}, exists: none, state: "/os-home/.openclaw" },
    { env: { HOME: "/h" }, exists: none, state: "/h/.openclaw" },
    { env: { HOME: "/h", OPENCLAW_HOME: "/oc" }, exists: none, state: "/oc/.openclaw" },
    { env: { HOME: "/h", OPENCLAW_HOME: "~/nested" }, exists: none, state: "/h/nested/.openclaw" },
    { env: { HOME: "/h", OPENCLAW_STATE_DIR: "/s" }, exists: none, state: "/s" },
    { env: { HOME: "/h", OPENCLAW_STATE_DIR: "~/st" }, exists: none, state: "/h/st" },
    { env: { HOME: "/h", OPENCLAW_HOME: "/oc", OPENCLAW_STATE_DIR: "~" }, exists: none, state: "/oc" },
    { env: { HOME: "/h", OPENCLAW_STATE_DIR: "  " }, exists: none, state: "/h/.openclaw" },
    { env: { HOME: "/h" }, exists: (p: string) => p === "/h/.clawdbot", state: "/h/.clawdbot" },
    { env: { HOME: "/h" }, exists: (p: string) => p === "/h/.clawdbot" || p === "/h/.openclaw", state: "/h/.openclaw" },
  ])("$env → $state", ({ env, exists, state }) => {
    expect(resolveStateDir(env, exists, osHome)).toBe(state);
  });

  it("config path: OPENCLAW_CONFIG_PATH (~ expanded) else <state>/openclaw.json", () => {
    expect(resolveConfigPath({}, "/s", osHome)).toBe("/s/openclaw.json");
    expect(resolveConfigPath({ HOME: "/h", OPENCLAW_CONFIG_PATH: "~/c.json5" }, "/s", osHome)).toBe("/h/c.json5");
  });

  it("home: OPENCLAW_HOME over HOME over the OS home", () => {
    expect(resolveHomeDir({}, osHome)).toBe("/os-home");
    expect(resolveHomeDir({ HOME: "/h", OPENCLAW_HOME: "/x" }, osHome)).toBe("/x");
  });

  it("shared main agent dir honours OPENCLAW_AGENT_DIR", () => {
    expect(resolveSharedMainAgentDir({}, "/s", osHome)).toBe("/s/agents/main/agent");
    expect(resolveSharedMainAgentDir({ HOME: "/h", OPENCLAW_AGENT_DIR: "~/a" }, "/s", osHome)).toBe("/h/a");
  });
});

describe("agent resolution", () => {
  it.each([
    { name: "implicit main", r: roster([]), req: undefined, id: "main", dir: "/s/agents/main/agent" },
    { name: "explicit main on an empty config", r: roster([]), req: "main", id: "main", dir: "/s/agents/main/agent" },
    { name: "configured agentDir", r: roster(["main", "work"], { work: "/w" }), req: "work", id: "work", dir: "/w" },
    { name: "~ in agentDir", r: roster(["work"], { work: "~/wa" }), req: "Work", id: "work", dir: "/h/wa" },
    { name: "configured without agentDir", r: roster(["ops"]), req: "ops", id: "ops", dir: "/s/agents/ops/agent" },
    {
      name: "the sole configured agent is the default",
      r: roster(["ops"]),
      req: undefined,
      id: "ops",
      dir: "/s/agents/ops/agent",
    },
    {
      name: "systemAgent default",
      r: roster(["main", "work"], { work: "/w" }, "work"),
      req: undefined,
      id: "work",
      dir: "/w",
    },
  ])("$name", ({ r, req, id, dir }) => {
    const res = resolveAgent(r, req, "/s", { HOME: "/h" }, osHome);
    expect(res).toMatchObject({ ok: true, agentId: id, agentDir: dir });
  });

  it("an explicit agent that is neither configured nor main is unknown", () => {
    expect(resolveAgent(roster(["main"]), "work", "/s", {}, osHome)).toEqual({
      ok: false,
      reason: "unknown_agent",
      agentId: "work",
      known: ["main"],
    });
  });

  it("an unknown agent is named as typed, and described when it reads as a pasted token", () => {
    const message = (typed: string): string => {
      const res = resolveAgent(roster(["main"]), typed, "/s", {}, osHome);
      if (res.ok || res.reason !== "unknown_agent") throw new Error("expected unknown_agent");
      return agentResolutionError(res, "/s/openclaw.json").message;
    };
    expect(message("Work.Bot")).toContain('"Work.Bot"');
    expect(message("Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re")).not.toMatch(/zp4lq8wv/i);
  });

  it("several agents and no owner: refused (agent_required) where OpenClaw would refuse, never main", () => {
    const res = resolveAgent(roster(["alpha", "beta"]), undefined, "/s", {}, osHome, "owner");
    expect(res).toMatchObject({ ok: false, reason: "agent_required", known: ["alpha", "beta"] });
    expect(resolveAgent(roster(["alpha", "beta"]), undefined, "/s", {}, osHome, "first-listed")).toMatchObject({
      ok: true,
      agentId: "alpha",
      agentDir: "/s/agents/alpha/agent",
    });
    // An explicit agent needs no rule.
    expect(resolveAgent(roster(["alpha", "beta"]), "beta", "/s", {}, osHome, "owner")).toMatchObject({ ok: true });
  });
});

/**
 * The agent each rule takes when none is named, as the releases' own `models auth order get` (no --agent) did
 * on these configs (tests/support/era-default-agent.ts checks the same table against every release's binary).
 * "-" = OpenClaw refuses (agent selection required, or the config is invalid for it); null rule = release unknown.
 */
describe("the default agent of each release's rule", () => {
  const list = (...entries: Array<[string, boolean?]>): string =>
    JSON.stringify({ agents: { list: entries.map(([id, d]) => (d ? { id, default: true } : { id })) } });
  const cases: Array<[string, string, { "first-listed": string; owner: string; unknown: string }]> = [
    ["two agents, none default", list(["alpha"], ["beta"]), { "first-listed": "alpha", owner: "-", unknown: "-" }],
    [
      "the second marked default",
      list(["alpha"], ["beta", true]),
      { "first-listed": "beta", owner: "beta", unknown: "beta" },
    ],
    [
      "both marked default",
      list(["alpha", true], ["beta", true]),
      { "first-listed": "alpha", owner: "-", unknown: "-" },
    ],
    ["one agent, not main", list(["beta"]), { "first-listed": "beta", owner: "beta", unknown: "beta" }],
    ["no roster", "{}", { "first-listed": "main", owner: "main", unknown: "main" }],
    ["an empty list", list(), { "first-listed": "main", owner: "main", unknown: "main" }],
    [
      "main, then beta marked",
      list(["main"], ["beta", true]),
      { "first-listed": "beta", owner: "beta", unknown: "beta" },
    ],
    [
      "entries, none default",
      `{agents:{entries:{alpha:{},beta:{}}}}`,
      { "first-listed": "alpha", owner: "-", unknown: "-" },
    ],
    [
      "explicit ownership, systemAgent beta",
      `{agents:{ownership:"explicit",defaults:{systemAgent:{agentId:"Beta"}},entries:{alpha:{},beta:{}}}}`,
      { "first-listed": "alpha", owner: "beta", unknown: "beta" },
    ],
    [
      "explicit ownership, no systemAgent",
      `{agents:{ownership:"explicit",entries:{alpha:{},beta:{}}}}`,
      { "first-listed": "alpha", owner: "-", unknown: "-" },
    ],
    [
      "explicit ownership with a default marker",
      `{agents:{ownership:"explicit",entries:{alpha:{},beta:{default:true}}}}`,
      { "first-listed": "beta", owner: "-", unknown: "-" },
    ],
    [
      "systemAgent over a list marker",
      `{agents:{defaults:{systemAgent:{agentId:"alpha"}},list:[{id:"alpha"},{id:"beta",default:true}]}}`,
      { "first-listed": "beta", owner: "alpha", unknown: "alpha" },
    ],
    [
      "systemAgent without ownership or marker",
      `{agents:{defaults:{systemAgent:{agentId:"beta"}},entries:{alpha:{},beta:{}}}}`,
      { "first-listed": "alpha", owner: "-", unknown: "-" },
    ],
    [
      "systemAgent not configured",
      `{agents:{ownership:"explicit",defaults:{systemAgent:{agentId:"ghost"}},entries:{alpha:{},beta:{}}}}`,
      { "first-listed": "alpha", owner: "-", unknown: "-" },
    ],
    [
      "explicit ownership, one entry",
      `{agents:{ownership:"explicit",entries:{beta:{}}}}`,
      { "first-listed": "beta", owner: "beta", unknown: "beta" },
    ],
  ];
  it.each(cases)("%s", (_name, text, expected) => {
    const { roster: r } = parseOpenclawConfig(text);
    const pick = (rule: DefaultAgentRule | null): string => {
      const res = resolveAgent(r, undefined, "/s", {}, osHome, rule);
      return res.ok ? res.agentId : res.reason === "agent_required" ? "-" : `unknown ${res.agentId}`;
    };
    expect({ "first-listed": pick("first-listed"), owner: pick("owner"), unknown: pick(null) }).toEqual(expected);
  });
});

describe("JSON5 config", () => {
  it("parses comments, trailing commas, unquoted and single-quoted keys, hex and odd numbers", () => {
    const text = `// openclaw config
    {
      agents: { entries: { main: {}, 'work': { agentDir: "~/w", }, }, },
      /* block */ auth: { order: { openai: ['openai:a', "openai:b",], }, },
      n: [0x1F, .5, 5., +1, -Infinity, 'it\\'s', "line\\
next"],
    }`;
    const raw = parseJson5(text) as { n: unknown };
    expect(raw.n).toEqual([31, 0.5, 5, 1, -Infinity, "it's", "linenext"]);
    const cfg = parseOpenclawConfig(text);
    expect(cfg.roster.ids).toEqual(["main", "work"]);
    expect(cfg.roster.agentDirs.work).toBe("~/w");
    expect(cfg.authOrder).toEqual({ openai: ["openai:a", "openai:b"] });
  });

  it("__proto__ stays a plain key", () => {
    const raw = parseJson5('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(raw)).toBe(Object.prototype);
    expect(Object.keys(raw)).toEqual(["__proto__"]);
  });

  it.each(["{a:1", "{a:1}}", "{a b}", "[1,,2]", "{'a':1, /* x", ""])("rejects %j with a position", (text) => {
    expect(() => parseJson5(text)).toThrow(/line \d+, column \d+/);
  });

  it("older configs: agents.list with a default entry", () => {
    const cfg = parseOpenclawConfig(`{agents:{list:[{id:"main"},{id:"Work",agentDir:"/w",default:true}]}}`);
    expect(cfg.roster).toEqual({
      ids: ["main", "work"],
      agentDirs: { main: undefined, work: "/w" },
      marked: ["work"],
      systemAgentId: undefined,
      explicitOwnership: false,
      modernKeys: false,
    });
  });

  it("agent ids are keyed as OpenClaw keys them: 'Work.Bot' is work-bot, whose folder is agents/work-bot", () => {
    const cfg = parseOpenclawConfig(
      `{agents:{list:[{id:"main"},{id:"Work.Bot",default:true},{id:" -Ops  Team!- "},{id:"!!"},` +
        `{id:"${"x".repeat(70)}"}]}}`,
    );
    expect(cfg.roster.ids).toEqual(["main", "work-bot", "ops-team", "x".repeat(64)]);
    expect(cfg.roster.marked).toEqual(["work-bot"]);
    const r = resolveAgent(cfg.roster, undefined, "/s", {}, osHome, "first-listed");
    expect(r).toMatchObject({ ok: true, agentId: "work-bot", agentDir: "/s/agents/work-bot/agent" });
    expect(resolveAgent(cfg.roster, "work-bot", "/s", {}, osHome)).toMatchObject({ ok: true, agentId: "work-bot" });
  });

  it("entries win over list; systemAgent and ownership are read", () => {
    const cfg = parseOpenclawConfig(
      `{agents:{ownership:"explicit",entries:{a:{}},list:[{id:"b"}],defaults:{systemAgent:{agentId:" A "}}}}`,
    );
    expect(cfg.roster).toMatchObject({ ids: ["a"], systemAgentId: "a", explicitOwnership: true, modernKeys: true });
  });

  it("auth.profiles are read with provider and mode", () => {
    const cfg = parseOpenclawConfig(`{auth:{profiles:{"openai:x":{provider:"openai",mode:"oauth"}}}}`);
    expect(cfg.authProfiles).toEqual({ "openai:x": { provider: "openai", mode: "oauth" } });
  });

  it("meta.lastTouchedVersion is read when a version OpenClaw reads; any other meta is no version and no error", () => {
    const stamped = `{meta:{lastTouchedVersion:"2026.7.1",lastTouchedAt:"2026-11-30T10:00:00.000Z"}}`;
    expect(parseOpenclawConfig(stamped).lastTouchedVersion).toBe("2026.7.1");
    for (const v of [" 2026.5.28 ", "2026.5.28-beta.1", "2026.5.28.beta.1", "v2026.4.12", "2026.9.6+build.1"])
      expect(parseOpenclawConfig(JSON.stringify({ meta: { lastTouchedVersion: v } })).lastTouchedVersion, v).toBe(v);
    const unread = ["x2026.4.12", "12026.4.12", "2026.04.12", "2026.4.12 garbage", "OpenClaw 2026.4.12", "", "garbage"];
    const texts = [
      ...unread.map((v) => JSON.stringify({ meta: { lastTouchedVersion: v } })),
      JSON.stringify({ meta: { lastTouchedVersion: `${"x".repeat(1024 * 1024)}2026.4.12` } }),
      ...["{}", "{meta:5}", "{meta:[]}", "{meta:{lastTouchedVersion:7}}", "{meta:null}"],
    ];
    for (const text of texts) expect(parseOpenclawConfig(text).lastTouchedVersion, text.slice(-40)).toBeUndefined();
  });

  it.each([
    ["syntax", "{agents: }"],
    ["shape", "[]"],
    ["shape", `{agents:{entries:{main:{agentDir:5}}}}`],
    ["shape", `{auth:{order:{openai:"openai:a"}}}`],
  ])("a %s problem is a ConfigFileError", (kind, text) => {
    try {
      parseOpenclawConfig(text, "/c/openclaw.json");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigFileError);
      expect((error as ConfigFileError).problem.kind).toBe(kind);
      expect((error as Error).message).toContain("/c/openclaw.json");
    }
  });

  it("unrelated parts of the config are ignored whatever their shape", () => {
    expect(
      parseOpenclawConfig(`{skills: 5, agents: {entries: {main: null}, defaults: {model: 1}}}`).roster.ids,
    ).toEqual(["main"]);
  });
});
