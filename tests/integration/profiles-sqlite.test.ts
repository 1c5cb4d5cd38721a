import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.ts";
import { CodexProfilerError, InputError, StoreError } from "../../src/errors/index.ts";
import { loadProfileSet, type ProfileSet } from "../../src/profiles/index.ts";
import { legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { copyTemplateState, type OpenclawRoot, removeRoot, runOpenclaw, seedLegacyStore } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { stateBytes } from "../support/state-bytes.ts";

/**
 * Layout (c) as the real openclaw@2026.9.6 writes it: the template state imported by `doctor --fix`, then
 * changed only through the real CLI. Every read is checked against the CLI's own view and leaves OpenClaw's data
 * unchanged: every file byte for byte, the -wal's inode; the -shm is SQLite's shared index (state-bytes.ts).
 */
const FIXTURE_SECRETS = secretsOf(legacyAuthProfiles());
const roots: OpenclawRoot[] = [];
afterAll(() => roots.forEach(removeRoot));

async function fresh(): Promise<OpenclawRoot> {
  const r = await copyTemplateState("cxp-prof-sql-");
  roots.push(r);
  return r;
}

async function readUnchanged(
  r: OpenclawRoot,
  options: { agentId?: string } = {},
): Promise<ProfileSet | CodexProfilerError> {
  const before = stateBytes(r.root);
  let result: ProfileSet | CodexProfilerError;
  try {
    result = await loadProfileSet({ env: r.env, ...options });
  } catch (error) {
    if (!(error instanceof CodexProfilerError)) throw error;
    result = error;
  }
  expect(stateBytes(r.root)).toEqual(before);
  expectNoSecrets([JSON.stringify(result), result instanceof Error ? result.message : ""], FIXTURE_SECRETS);
  return result;
}

function asSet(value: ProfileSet | CodexProfilerError): ProfileSet {
  if (value instanceof CodexProfilerError)
    throw new Error(`expected a profile set, got ${value.code}: ${value.message}`);
  return value;
}

// biome-ignore lint/suspicious/noExplicitAny: openclaw's --json documents are read as they come
type Json = any;

async function cliJson(args: string[], r: OpenclawRoot): Promise<Json> {
  const res = await runOpenclaw(args, r);
  expect(res.code, `openclaw ${args.join(" ")}: ${res.stderr.slice(0, 300)}`).toBe(0);
  return JSON.parse(res.stdout);
}

const effectiveFromStatus = (status: Json): string[] =>
  status.auth.oauth.providers
    .find((p: Json) => p.provider === "openai")
    .effectiveProfiles.map((p: Json) => p.profileId);

describe("layout sqlite, from the real CLI", () => {
  let base: OpenclawRoot;
  beforeAll(async () => {
    base = await fresh();
  });

  it("after doctor --fix: shared state DB; ids equal `models auth list`, order equals `models status`", async () => {
    const set = asSet(await readUnchanged(base));
    expect(set.location.layout).toBe("sqlite");
    expect(set.location.files).toEqual([join(base.stateDir, "state/openclaw.sqlite")]);
    const [list, status] = await Promise.all([
      cliJson(["models", "auth", "list", "--provider", "openai", "--json"], base),
      cliJson(["models", "status", "--json"], base),
    ]);
    const listed = list.profiles.filter((p: Json) => p.type === "oauth").map((p: Json) => p.id);
    expect(set.profiles.map((p) => p.id).sort()).toEqual([...listed].sort());
    expect(set.effectiveOrder).toEqual(effectiveFromStatus(status));
    expect(set.orderSource).toBe("automatic");
    expect(set.defaultProfileId).toBe(set.effectiveOrder[0]);
    const carol = set.profiles.find((p) => p.label === "carol@example.com")!;
    const dave = set.profiles.find((p) => p.label === "dave@example.com")!;
    expect(carol.identity.accountId).toBe("acc-team");
    expect(dave.identity.accountId).toBe("acc-team");
    for (const p of set.profiles)
      expect(p.identity.expiresAtMs).toBe(Date.parse(list.profiles.find((l: Json) => l.id === p.id).expiresAt));
  });

  it("legacy auth-profiles.json beside the SQLite store: migration_required; the real CLI refuses it too", async () => {
    const r = await fresh();
    seedLegacyStore(r, legacyAuthProfiles({ provider: "openai" }));
    const error = await readUnchanged(r);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe("migration_required");
    expect((error as Error).message).toContain("auth-profiles.json");
    expect((error as Error).message).toContain("openclaw doctor --fix");
    const res = await runOpenclaw(["models", "status", "--json"], r);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain("AUTH_PROFILE_MIGRATION_REQUIRED");
  });

  it("a newer OpenClaw's layout (auth table or its columns renamed): store_layout_newer, never `log in`", async () => {
    const renames = {
      table: "ALTER TABLE config_machine_state RENAME TO machine_state_v2",
      column: "ALTER TABLE config_machine_state RENAME COLUMN value_json TO value",
    };
    for (const [what, sql] of Object.entries(renames)) {
      const r = await fresh();
      const db = join(r.stateDir, "state/openclaw.sqlite");
      const conn = new DatabaseSync(db);
      conn.exec(sql);
      conn.close();
      const error = await readUnchanged(r);
      expect(error, what).toBeInstanceOf(StoreError);
      expect((error as StoreError).code, what).toBe("store_layout_newer");
      expect((error as StoreError).path).toBe(db);
      const message = (error as Error).message;
      // schema_meta's stamp of the template, written by the real 2026.9.6.
      expect(message).toContain(`${db} has a newer layout than this codex-profiler knows (OpenClaw 2026.9.6, schema`);
      expect(message).toContain(what === "table" ? "no config_machine_state table" : "no value_json column");
      expect(message).toContain("update codex-profiler");
      expect(message).not.toMatch(/log in/i);
      expect(exitCodeFor(error)).toBe(ExitCode.noProfiles);
    }
  });

  it("an old whole-state schema without config_machine_state (2026.6.11, 2026.7.1) is not a newer layout", async () => {
    const r = await fresh();
    const conn = new DatabaseSync(join(r.stateDir, "state/openclaw.sqlite"));
    conn.exec("ALTER TABLE config_machine_state RENAME TO machine_state_v2; PRAGMA user_version = 1");
    conn.close();
    const error = await readUnchanged(r);
    // The shared store is then the main agent's database, which this state does not have.
    expect((error as StoreError).code).toBe("store_not_found");
  });

  it("a lone auth-state.json beside it is ignored, as OpenClaw ignores it", async () => {
    const r = await fresh();
    mkdirSync(join(r.stateDir, "agents/main/agent"), { recursive: true });
    writeFileSync(
      join(r.stateDir, "agents/main/agent/auth-state.json"),
      JSON.stringify({ version: 1, order: { openai: ["openai:bob@example.com"] } }),
    );
    const set = asSet(await readUnchanged(r));
    expect(set.orderSource).toBe("automatic");
    expect(set.profiles).toHaveLength(4);
  });

  it("after `models auth order set`: the per-agent DB override wins and matches `models status`", async () => {
    const r = await fresh();
    const set1 = await runOpenclaw(
      ["models", "auth", "order", "set", "--provider", "openai", "openai:bob@example.com", "openai:alice@example.com"],
      r,
    );
    expect(set1.code).toBe(0);
    expect(existsSync(join(r.stateDir, "agents/main/agent/openclaw-agent.sqlite"))).toBe(true);
    const set = asSet(await readUnchanged(r));
    expect(set.location.files).toContain(join(r.stateDir, "agents/main/agent/openclaw-agent.sqlite"));
    expect(set.orderSource).toBe("stored-override");
    expect(set.storedOrder).toEqual(["openai:bob@example.com", "openai:alice@example.com"]);
    expect(set.effectiveOrder).toEqual(["openai:bob@example.com", "openai:alice@example.com"]);
    expect(set.effectiveOrder).toEqual(effectiveFromStatus(await cliJson(["models", "status", "--json"], r)));
    expect(set.defaultProfileId).toBe("openai:bob@example.com");
    expect(set.profiles.map((p) => p.orderIndex)).toEqual([0, 1, null, null]);
  });

  it("a second agent configured with `config set agents.entries.work`: shared profiles, its own override", async () => {
    const r = await fresh();
    const workDir = join(r.root, "work-agent");
    const cfg = await runOpenclaw(
      ["config", "set", "agents.entries.work", JSON.stringify({ agentDir: workDir }), "--strict-json"],
      r,
    );
    expect(cfg.code, cfg.stderr.slice(0, 300)).toBe(0);
    const order = await runOpenclaw(
      ["models", "auth", "order", "set", "--agent", "work", "--provider", "openai", "openai:dave@example.com"],
      r,
    );
    expect(order.code, order.stderr.slice(0, 300)).toBe(0);
    const work = asSet(await readUnchanged(r, { agentId: "work" }));
    expect(work.location).toMatchObject({ agentId: "work", agentDir: workDir });
    expect(work.profiles).toHaveLength(4);
    expect(work.effectiveOrder).toEqual(["openai:dave@example.com"]);
    const main = asSet(await readUnchanged(r, { agentId: "main" }));
    expect(main.orderSource).toBe("automatic");
    const unknown = await readUnchanged(r, { agentId: "nobody" });
    expect(unknown).toBeInstanceOf(InputError);
    expect((unknown as InputError).code).toBe("unknown_agent");
    expect(JSON.parse(readFileSync(join(r.stateDir, "openclaw.json"), "utf8")).agents.entries.work.agentDir).toBe(
      workDir,
    );
  });
});
