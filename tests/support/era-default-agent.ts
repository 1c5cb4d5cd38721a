import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withInstalledRelease } from "../../src/cli/installed-release.ts";
import { readSnapshot } from "../../src/models-auth/snapshot.ts";
import { defaultAgentId } from "../../src/openclaw/default-agent.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { type EraVersion, jsonOut, makeEraRoot, runEra, writeEraBaseConfig } from "./eras.ts";
import type { OpenclawRoot } from "./openclaw.ts";

/**
 * Which agent the release itself takes when none is named, against the one codex-profiler takes: for each
 * config below, the release's own `models auth order get --provider <its id> --json` without --agent (it
 * prints the agentId it read; no profiles are needed) and defaultAgentId with that release's version. Where
 * the release refuses (an agent selection it will not make, or a roster it rejects), codex-profiler must
 * refuse too (agent_required). Without the version, codex-profiler takes the release's agent or refuses,
 * never another one. One state per release, its config rewritten per case; the runs of one release are
 * sequential, the releases' files interleave.
 */
const REFUSED = "refused";
// What a refusing release says: a selection it will not make, or a roster its config check rejects.
const ROSTER_REFUSAL = new RegExp(
  [
    "Multiple agents are configured",
    "multi-agent rosters require",
    "at most one default=true",
    "agents\\.ownership=explicit",
    "Unknown agent id",
  ].join("|"),
);

const MARKED_IN_FILE = `{ list: [{ id: "alpha" }, { id: "beta", default: true }] }`;
interface Case {
  name: string;
  agents: Record<string, unknown>;
  files?: Record<string, string>;
  /** Only for releases that accept these keys (2026.8 and later). */
  modern?: true;
}
const CASES: Case[] = [
  { name: "two agents, none default", agents: { list: [{ id: "alpha" }, { id: "beta" }] } },
  {
    name: "two agents, both default",
    agents: {
      list: [
        { id: "alpha", default: true },
        { id: "beta", default: true },
      ],
    },
  },
  {
    name: "the roster in a $include'd file",
    agents: { $include: "./agents.json5" },
    files: { "agents.json5": MARKED_IN_FILE },
  },
  {
    name: "explicit ownership, systemAgent beta",
    agents: { ownership: "explicit", defaults: { systemAgent: { agentId: "beta" } }, entries: { alpha: {}, beta: {} } },
    modern: true,
  },
  {
    name: "explicit ownership, no systemAgent",
    agents: { ownership: "explicit", entries: { alpha: {}, beta: {} } },
    modern: true,
  },
];

export function describeDefaultAgentCheck(version: EraVersion): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  let made: OpenclawRoot | undefined;
  const state = (): OpenclawRoot => (made ??= makeEraRoot(version, `cxp-era-agent-${version}-`));
  afterAll(() => made && rmSync(made.root, { recursive: true, force: true }));

  describe(`openclaw ${version}: the agent taken when none is named (rule "${caps.defaultAgent}")`, () => {
    it.each(CASES.filter((c) => !c.modern || caps.defaultAgent === "owner"))(
      "$name",
      async ({ agents, files }) => {
        const root = state();
        for (const [name, text] of Object.entries(files ?? {})) writeFileSync(join(root.stateDir, name), text);
        writeEraBaseConfig(root, version, { agents });
        const res = await runEra(
          version,
          ["models", "auth", "order", "get", "--provider", caps.provider, "--json"],
          root,
        );
        let theirs: string;
        if (res.code === 0) theirs = jsonOut<{ agentId: string }>(res).agentId;
        else {
          expect(`${res.stderr}\n${res.stdout}`).toMatch(ROSTER_REFUSAL);
          theirs = REFUSED;
        }
        const ours = (v?: string): string => {
          try {
            return defaultAgentId(root.env, v);
          } catch (error) {
            expect(error).toMatchObject({ code: "agent_required" });
            return REFUSED;
          }
        };
        expect(ours(version)).toBe(theirs);
        expect([theirs, REFUSED]).toContain(ours());
        // The CLIs do not know the release: where the rules differ they ask this one (`openclaw --version`).
        const asked = await withInstalledRelease(root.env, async (v) => defaultAgentId(root.env, v)).catch(
          (error: unknown) => {
            expect(error).toMatchObject({ code: "agent_required" });
            return REFUSED;
          },
        );
        expect(asked).toBe(theirs);
        if (theirs === REFUSED) return;
        // codex_auth's preflight without --agent: the health it reads is that same agent's, not main's.
        const cli = new OpenclawCli({ env: root.env, timeoutMs: 300_000 });
        const snapshot = await readSnapshot(cli, { provider: caps.provider, agentId: null, caps });
        expect(snapshot.agentId).toBe(theirs);
        expect(snapshot.agentDir).toContain(join("agents", theirs, "agent"));
      },
      600_000,
    );
  });
}
