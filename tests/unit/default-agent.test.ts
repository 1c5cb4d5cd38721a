import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { ConfigFileError } from "../../src/errors/index.ts";
import { readOpenclawConfig } from "../../src/openclaw/config-file.ts";
import { defaultAgentId } from "../../src/openclaw/default-agent.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles } from "../support/fixtures.ts";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

/** A state whose openclaw.json is `config`, with `files` (name → text) beside it. */
function stateWith(config: string | null, files: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "cxp-agent-"));
  dirs.push(dir);
  mkdirSync(join(dir, "state"));
  if (config !== null) writeFileSync(join(dir, "state", "openclaw.json"), config);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, "state", name, ".."), { recursive: true });
    writeFileSync(join(dir, "state", name), text);
  }
  return { HOME: dir, OPENCLAW_STATE_DIR: join(dir, "state") };
}

/** The agent picked, or the error code when refused. */
function pick(env: NodeJS.ProcessEnv, version?: string): string {
  try {
    return defaultAgentId(env, version);
  } catch (error) {
    return `error ${(error as { code?: string }).code}`;
  }
}

const REFUSED = "error agent_required";
const TWO = `{"agents":{"list":[{"id":"alpha"},{"id":"beta"}]}}`;
const BOTH = `{"agents":{"list":[{"id":"alpha","default":true},{"id":"beta","default":true}]}}`;

describe("defaultAgentId: the agent OpenClaw uses when none is named", () => {
  it.each([
    ["no config", null, "main"],
    [
      "the system agent of an explicit roster (JSON5)",
      `{ agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "work" } }, ` +
        "entries: { work: {}, home: {} }, }, }",
      "work",
    ],
    ["the sole configured agent", `{"agents":{"entries":{"solo":{}}}}`, "solo"],
    ["the entry marked default (2026.9)", `{"agents":{"entries":{"work":{},"home":{"default":true}}}}`, "home"],
    ["the list entry marked default", `{"agents":{"list":[{"id":"work"},{"id":"home","default":true}]}}`, "home"],
    ["several entries and no default: refused, not main", `{"agents":{"entries":{"a":{},"b":{}}}}`, REFUSED],
    ["an unreadable config", `{ not json`, "main"],
  ])("%s → %s", (_name, config, expected) => {
    expect(pick(stateWith(config))).toBe(expected);
  });

  // What each release's own `models auth order get` (no --agent) took on these configs: see
  // tests/support/era-default-agent.ts, which checks the same against every release's binary.
  it.each([
    ["two listed, none default", TWO, { "2026.4.12": "alpha", "2026.7.1": "alpha", "2026.8.2": REFUSED }],
    ["two listed, both default", BOTH, { "2026.4.12": "alpha", "2026.7.1": "alpha", "2026.8.2": REFUSED }],
    ["one listed, not main", `{"agents":{"list":[{"id":"beta"}]}}`, { "2026.4.5": "beta", "2026.9.6": "beta" }],
    ["no roster", `{"gateway":{}}`, { "2026.4.5": "main", "2026.9.6": "main" }],
  ])("%s, by release", (_name, config, byVersion) => {
    const env = stateWith(config);
    for (const [version, expected] of Object.entries(byVersion))
      expect([version, pick(env, version)]).toEqual([version, expected]);
    // Not knowing the release, it takes no agent the releases disagree on.
    const answers = new Set(Object.values(byVersion));
    expect(pick(env)).toBe(answers.size === 1 ? [...answers][0] : REFUSED);
  });

  it("agent_required names the agents and says how to choose", () => {
    try {
      defaultAgentId(stateWith(TWO), "2026.9.6");
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: "agent_required" });
      expect((error as Error).message).toMatch(/configured agents: alpha, beta/);
      expect((error as { hint: string }).hint).toMatch(/--agent <id>/);
    }
  });
});

describe("defaultAgentId follows $include as OpenClaw does (every release followed it for the roster)", () => {
  const MARKED = `{ list: [{ id: "alpha" }, { id: "beta", default: true }] }`;
  it.each([
    ["agents from a file", `{"agents":{"$include":"./agents.json5"}}`, { "agents.json5": MARKED }],
    ["the whole config from a file", `{"$include":"./top.json5"}`, { "top.json5": `{ agents: ${MARKED} }` }],
    [
      "nested, relative to the including file",
      `{"agents":{"$include":"./conf/a.json5"}}`,
      { "conf/a.json5": `{ $include: "./b.json5" }`, "conf/b.json5": MARKED },
    ],
    [
      "a list of files, merged (lists concatenated)",
      `{"agents":{"$include":["./a.json5","./b.json5"]}}`,
      { "a.json5": `{ list: [{ id: "alpha" }] }`, "b.json5": `{ list: [{ id: "beta", default: true }] }` },
    ],
    [
      "sibling keys merged over the included file",
      `{"agents":{"$include":"./a.json5","list":[{"id":"beta","default":true}]}}`,
      { "a.json5": `{ list: [{ id: "alpha" }] }` },
    ],
  ])("%s", (_name, config, files) => {
    expect(pick(stateWith(config, files), "2026.9.6")).toBe("beta");
    expect(pick(stateWith(config, files), "2026.4.12")).toBe("beta");
  });

  const refusal = (env: NodeJS.ProcessEnv): unknown => {
    try {
      readOpenclawConfig(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), { env: {} });
      return null;
    } catch (error) {
      return error instanceof ConfigFileError ? [error.problem.kind, error.message] : error;
    }
  };

  it.each([
    ["a missing file", `{"agents":{"$include":"./nope.json5"}}`, {}, "unreadable", /nope\.json5.*not found/],
    ["a cycle", `{"agents":{"$include":"./a.json5"}}`, { "a.json5": `{ $include: "./a.json5" }` }, "shape", /cycle/],
    ["a path out of the config folder", `{"agents":{"$include":"../x.json5"}}`, {}, "shape", /leaves the config/],
    [
      "a file that is not JSON5",
      `{"agents":{"$include":"./a.json5"}}`,
      { "a.json5": `{ list: [` },
      "syntax",
      /a\.json5/,
    ],
    ["a value that is not a file name", `{"agents":{"$include":5}}`, {}, "shape", /\$include is number/],
    [
      "more than 10 levels",
      `{"$include":"./i0.json5"}`,
      Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`i${i}.json5`, `{ $include: "./i${i + 1}.json5" }`])),
      "shape",
      /more than 10 levels/,
    ],
  ])("%s: the config is refused, as OpenClaw refuses it", (_name, config, files, kind, message) => {
    const [got, text] = refusal(stateWith(config, files)) as [string, string];
    expect(got).toBe(kind);
    expect(text).toMatch(message);
  });

  it("an include fan-out (each file naming the next ten times) is refused after 100 files, not read 10^4 times", () => {
    const names = (i: number): string => JSON.stringify(Array(10).fill(`./f${i + 1}.json5`));
    const files = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`f${i}.json5`, `{ $include: ${names(i)} }`]));
    const [got, text] = refusal(stateWith(`{"$include":"./f0.json5"}`, { ...files, "f4.json5": "{}" })) as [
      string,
      string,
    ];
    expect(got).toBe("shape");
    expect(text).toMatch(/more than 100 files/);
  });

  it("a link out of the config folder is not followed", () => {
    const env = stateWith(`{"agents":{"$include":"./link.json5"}}`);
    const outside = join(env.HOME!, "outside.json5");
    writeFileSync(outside, `{ list: [{ id: "beta" }] }`);
    symlinkSync(outside, join(env.OPENCLAW_STATE_DIR!, "link.json5"));
    expect(refusal(env)).toEqual([
      "shape",
      expect.stringMatching(/is a link to .*outside\.json5, which leaves the config folder/),
    ]);
  });

  it("__proto__ in an included file stays a plain key", () => {
    const env = stateWith(`{"agents":{"$include":"./a.json5"}}`, {
      "a.json5": `{"__proto__":{"polluted":true},"list":[{"id":"beta"}]}`,
    });
    expect(readOpenclawConfig(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), { env: {} }).roster.ids).toEqual([
      "beta",
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("inside a gateway, the host's version decides", () => {
  it("the plugin reads the agent its host would take (2026.4.12: the first listed; 2026.9.6: refused)", async () => {
    const env = stateWith(TWO, {
      "agents/alpha/agent/auth-profiles.json": JSON.stringify(
        legacyAuthProfiles({ accounts: FIXTURE_ACCOUNTS.slice(0, 1) }),
      ),
    });
    const load = (version: string) => realServices(parseSettings({}), env, { version }).loadProfiles({});
    expect((await load("2026.4.12")).location.agentId).toBe("alpha");
    await expect(load("2026.9.6")).rejects.toMatchObject({ code: "agent_required" });
  });
});
