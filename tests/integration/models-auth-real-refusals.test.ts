import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCommand } from "../../src/cli/auth-command.ts";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.ts";
import type { RuntimeEnv } from "../../src/cli/runtime.ts";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { secretsOf } from "../support/fixtures.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  removeRoot,
  runOpenclaw,
} from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { stateDigest } from "../support/state-digest.ts";

/**
 * Reads and refusals against the real openclaw 2026.9.6. Every refusal must leave OpenClaw's state
 * identical: every file byte for byte, SQLite files by content (openclaw's own reads checkpoint the
 * WAL, which changes the bytes of the .sqlite file but not its content; see state-digest.ts). One template copy
 * for the file; the two-agent case edits the config of its own copy.
 */
const SLOW = 600_000;
let root: OpenclawRoot;
let cli: OpenclawCli;

beforeAll(async () => {
  root = await copyTemplateState("cxp-gw-ref-");
  cli = new OpenclawCli({ env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() }, timeoutMs: 300_000 });
}, SLOW);
afterAll(() => removeRoot(root));

/**
 * The first openclaw read after the state moved to a new path (or after `config set`) records
 * housekeeping rows of its own (config last-known-good for the new path, plugin index, migration
 * marker). Measured: after one such read, further reads change nothing. Settle before snapshotting.
 */
async function settle(): Promise<void> {
  const res = await runOpenclaw(["models", "auth", "order", "get", "--provider", "openai", "--json"], root, 300_000);
  expect(res.code).toBe(0);
}

/** The legacy store the template was imported from (doctor archived it next to the agent dir). */
function templateStore(): { profiles: Record<string, unknown> } {
  const dir = join(root.stateDir, "agents/main/agent");
  const archived = readdirSync(dir).find((f) => f.startsWith("auth-profiles.json.migrated-"));
  expect(archived).toBeDefined();
  return JSON.parse(readFileSync(join(dir, archived!), "utf8")) as { profiles: Record<string, unknown> };
}

function capture(): RuntimeEnv & { all: string[] } {
  const c = {
    all: [] as string[],
    log: (l: string) => c.all.push(l),
    error: (l: string) => c.all.push(l),
    writeJson: (v: unknown) => c.all.push(JSON.stringify(v)),
    signInUrl: (u: string) => c.all.push(u),
    exit: () => {},
  };
  return c;
}

describe("reads and refusals against the real openclaw", () => {
  it(
    "status: health per profile, who is first, no secrets in the output",
    async () => {
      const rt = capture();
      const code = await authCommand(["status", "--format", "text", "--timeout-sec", "300"], rt, {
        env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() },
      });
      expect(code).toBe(ExitCode.ok);
      const text = rt.all.join("\n");
      expect(text).toMatch(/first: openai:alice@example\.com {3}order: automatic/);
      expect(text).toMatch(/1 {2}openai:alice@example\.com {2}ok/);
      expectNoSecrets(text, secretsOf(templateStore()));
    },
    SLOW,
  );

  it(
    "an unknown id is refused at preflight (exit 4) and the state stays byte-identical",
    async () => {
      await settle();
      const before = stateDigest(root.stateDir);
      const r = await runAuthOperation(
        { kind: "order-set", ids: ["openai:ghost@example.com", "alice@example.com"] },
        { confirm: true, cli },
      );
      expect(exitCodeFor(r.outcome)).toBe(ExitCode.refused);
      expect(r.error?.code).toBe("unknown_profile");
      expect(r.error?.message).toContain("openai:ghost@example.com");
      expect(r.applied).toEqual([]);
      expect(stateDigest(root.stateDir)).toEqual(before);
    },
    SLOW,
  );

  it(
    "two agents configured and no --agent: agent_required (exit 2) before anything is applied, state byte-identical",
    async () => {
      // Configured the way a user would, through openclaw itself (a hand-edited config is rejected as invalid).
      const set = await runOpenclaw(
        [
          "config",
          "set",
          "agents.entries.work",
          JSON.stringify({ agentDir: join(root.root, "work-agent") }),
          "--strict-json",
        ],
        root,
        300_000,
      );
      expect(set.code).toBe(0);
      await settle();
      const before = stateDigest(root.stateDir);
      const r = await runAuthOperation({ kind: "retire", id: "openai:bob@example.com" }, { confirm: true, cli });
      expect(exitCodeFor(r.outcome)).toBe(ExitCode.badInput);
      expect(r.error?.code).toBe("agent_required");
      expect(r.applied).toEqual([]);
      expect(stateDigest(root.stateDir)).toEqual(before);
    },
    SLOW,
  );
});
