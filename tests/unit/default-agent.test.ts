import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { defaultAgentId } from "../../src/openclaw/default-agent.ts";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

function stateWith(config: string | null): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), "cxp-agent-"));
  dirs.push(dir);
  mkdirSync(join(dir, "state"));
  if (config !== null) writeFileSync(join(dir, "state", "openclaw.json"), config);
  return { HOME: dir, OPENCLAW_STATE_DIR: join(dir, "state") };
}

describe("defaultAgentId: the agent OpenClaw uses when none is named", () => {
  it.each([
    ["no config", null, "main"],
    [
      "the configured default (JSON5)",
      `{ agents: { defaults: { systemAgent: { agentId: "work" } }, entries: { work: {}, home: {} }, }, }`,
      "work",
    ],
    ["the sole configured agent", `{"agents":{"entries":{"solo":{}}}}`, "solo"],
    ["the entry marked default (2026.9)", `{"agents":{"entries":{"work":{},"home":{"default":true}}}}`, "home"],
    ["the list entry marked default", `{"agents":{"list":[{"id":"work"},{"id":"home","default":true}]}}`, "home"],
    ["several and no default", `{"agents":{"entries":{"a":{},"b":{}}}}`, "main"],
    ["an unreadable config", `{ not json`, "main"],
  ])("%s → %s", (_name, config, expected) => {
    expect(defaultAgentId(stateWith(config))).toBe(expected);
  });
});
