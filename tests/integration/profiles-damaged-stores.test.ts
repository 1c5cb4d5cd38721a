import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors/index.ts";
import { usageReport } from "../../src/format/usage-report.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { readAgentAuthRowsLive } from "../../src/profiles/sqlite-store.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential, legacyAuthProfiles } from "../support/fixtures.ts";

/**
 * Damaged stores OpenClaw's own files can end up as (a crash, a full disk, a bad copy): a clear error with its
 * stable code, or, where OpenClaw itself carries on, the report with a warning. Never a file created beside them.
 */
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function state(): { stateDir: string; agentDir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), "cxp-damaged-"));
  roots.push(root);
  const stateDir = join(root, "state");
  const agentDir = join(stateDir, "agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  return { stateDir, agentDir, env: { HOME: join(root, "home"), OPENCLAW_STATE_DIR: stateDir } };
}

/** A WAL-mode openclaw-agent.sqlite as OpenClaw leaves it after its last close: no -wal, no -shm (2026.6+ ids). */
function walAgentDb(path: string, state?: string): void {
  const db = new DatabaseSync(path);
  db.exec("PRAGMA journal_mode=WAL");
  db.exec("CREATE TABLE auth_profile_store(store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER)");
  db.exec("CREATE TABLE auth_profile_state(state_key TEXT PRIMARY KEY, state_json TEXT, updated_at INTEGER)");
  db.exec("CREATE TABLE filler(x BLOB)");
  const store = JSON.stringify(legacyAuthProfiles({ provider: "openai" }));
  db.prepare("INSERT INTO auth_profile_store VALUES('primary', ?, 1)").run(store);
  if (state !== undefined) db.prepare("INSERT INTO auth_profile_state VALUES('primary', ?, 1)").run(state);
  for (let i = 0; i < 200; i++) db.prepare("INSERT INTO filler VALUES(randomblob(4000))").run();
  db.close();
}

type Damage = "truncated to a third" | "truncated to its header" | "garbage after the header";

function damage(path: string, how: Damage): void {
  if (how === "truncated to a third") truncateSync(path, Math.floor(statSync(path).size / 3));
  else if (how === "truncated to its header") truncateSync(path, 100);
  else {
    const bytes = readFileSync(path);
    for (let i = 100; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(path, bytes);
  }
}

describe("a damaged WAL-mode database nobody has open", () => {
  const DAMAGE: Damage[] = ["truncated to a third", "truncated to its header", "garbage after the header"];

  it.each(DAMAGE)("%s: store_unreadable, and no -wal or -shm is created beside it", async (how) => {
    const s = state();
    const db = join(s.agentDir, "openclaw-agent.sqlite");
    walAgentDb(db);
    damage(db, how);
    const before = readdirSync(s.agentDir);
    expect(before).toEqual(["openclaw-agent.sqlite"]);

    const live = readAgentAuthRowsLive(db);
    expect(live).toMatchObject({ ok: false, reason: "unreadable", path: db });
    expect(readdirSync(s.agentDir)).toEqual(before);

    const error = await loadProfileSet({ env: s.env }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: "store_unreadable", path: db });
    expect(readdirSync(s.agentDir)).toEqual(before);
  });
});

/**
 * OpenClaw's routing state (order, lastGood, cooldowns) damaged: the real 2026.4.12 `models status --json` exits 0
 * and lists every profile with such an auth-state.json. The profiles are read and reported; the state is left out
 * with a warning naming where it is.
 */
describe("damaged order and cooldown state: the profiles are still reported, with a warning", () => {
  const IDS = FIXTURE_ACCOUNTS.map((a) => `openai-codex:${a.name}`).sort();
  // SQLite stores hold the ids 2026.6+ gave them: an openai-codex one there is not OpenClaw's Codex profile.
  const SQLITE_IDS = FIXTURE_ACCOUNTS.map((a) => `openai:${a.name}`).sort();
  const DAMAGED = '{"version":1,"order":{';
  const ORDER = { "openai-codex": ["openai-codex:carol@example.com", "openai-codex:alice@example.com"] };

  it.each([
    ["truncated JSON", DAMAGED],
    ["not an object", "[1, 2]"],
  ])("auth-state.json that is %s: every profile, the inline order, one warning naming the file", async (_, text) => {
    const s = state();
    writeFileSync(
      join(s.agentDir, "auth-profiles.json"),
      JSON.stringify(legacyAuthProfiles({ inline: { order: ORDER } })),
    );
    const statePath = join(s.agentDir, "auth-state.json");
    writeFileSync(statePath, text);
    const before = readdirSync(s.agentDir);

    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(IDS);
    // OpenClaw falls back to the inline legacy state of auth-profiles.json, as without a state file.
    expect(set.effectiveOrder).toEqual(ORDER["openai-codex"]);
    expect(set.location.layout).toBe("json-split");
    expect(set.warnings).toHaveLength(1);
    expect(set.warnings?.[0]).toContain(statePath);
    expect(set.warnings?.[0]).toMatch(/order and cooldowns .* could not be read/);
    expect(readdirSync(s.agentDir)).toEqual(before);
  });

  it("a readable auth-state.json: no warnings at all", async () => {
    const s = state();
    writeFileSync(join(s.agentDir, "auth-profiles.json"), JSON.stringify(legacyAuthProfiles()));
    writeFileSync(join(s.agentDir, "auth-state.json"), JSON.stringify({ version: 1, order: ORDER }));
    const set = await loadProfileSet({ env: s.env });
    expect(set.warnings).toBeUndefined();
    expect(set.effectiveOrder).toEqual(ORDER["openai-codex"]);
  });

  it.each(["rollback", "wal"])("openclaw-agent.sqlite (%s) with a damaged auth_profile_state row", async (mode) => {
    const s = state();
    const db = join(s.agentDir, "openclaw-agent.sqlite");
    walAgentDb(db, DAMAGED);
    if (mode === "rollback") {
      const w = new DatabaseSync(db);
      w.exec("PRAGMA journal_mode=DELETE");
      w.close();
    }
    const before = readdirSync(s.agentDir);

    const live = readAgentAuthRowsLive(db);
    expect(live.ok && live.value.stateDamaged).toEqual({
      where: `auth_profile_state row in ${db}`,
      why: "not valid JSON",
    });
    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(SQLITE_IDS);
    expect(set.orderSource).toBe("automatic");
    expect(set.warnings).toEqual([
      `OpenClaw's order and cooldowns in auth_profile_state row in ${db} could not be read (not valid JSON); ` +
        "they are left out of this report",
    ]);
    expect(readdirSync(s.agentDir)).toEqual(before);
  });

  it("state/openclaw.sqlite with a damaged authProfiles.state cell", async () => {
    const s = state();
    const path = join(s.stateDir, "state/openclaw.sqlite");
    mkdirSync(join(s.stateDir, "state"));
    const db = new DatabaseSync(path);
    db.exec("CREATE TABLE config_machine_state(state_key TEXT PRIMARY KEY, value_json TEXT)");
    const put = db.prepare("INSERT INTO config_machine_state VALUES(?, ?)");
    put.run("auth.sharedStore", JSON.stringify({ location: "state-db" }));
    put.run("authProfiles.store", JSON.stringify(legacyAuthProfiles({ provider: "openai" })));
    put.run("authProfiles.state", DAMAGED);
    db.close();

    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(SQLITE_IDS);
    expect(set.warnings).toHaveLength(1);
    expect(set.warnings?.[0]).toContain(`config_machine_state authProfiles.state in ${path}`);
  });

  it("the usage JSON carries the warnings, and has no `warnings` without any", () => {
    const check = { checkedAtMs: 0, agent: "main", storeLayout: "json-split", selection: "all", profiles: [] };
    expect(usageReport({ ...check, ranking: [] }).warnings).toBeUndefined();
    expect(usageReport({ ...check, ranking: [], warnings: ["w"] }).warnings).toEqual(["w"]);
  });
});

/**
 * Damaged entries of the credentials payload (OpenClaw 2026.9.6 persisted.ts drops them with a log line: an entry
 * that is not an object, of no known type, without a provider): named in a warning by id, never by content.
 * Another provider's well-formed entries, whatever their type, are not ours and stay silent.
 */
describe("damaged profile entries: left out, named by id in a warning", () => {
  const SECRET = "sk-proj-DamagedEntrySecretValue0123456789abcdef";
  const DAMAGED_ENTRIES = {
    "openai-codex:oauth2": { type: "oauth2", provider: "openai-codex", access: SECRET },
    "openai-codex:no-type": { provider: "OpenAI", access: SECRET },
    "openai-codex:no-provider": { type: "oauth", access: SECRET },
    "openai-codex:number-provider": { type: "oauth", provider: 42, refresh: SECRET },
    "openai-codex:a-string": SECRET,
    "anthropic:new-kind": { type: "oauth2", provider: "anthropic", access: SECRET },
    "anthropic:claude": { type: "token", provider: "anthropic", token: SECRET },
  };
  const IDS = FIXTURE_ACCOUNTS.map((a) => `openai-codex:${a.name}`).sort();
  const expectNamed = (warning: string | undefined, where: string): void => {
    expect(warning).toContain(where);
    expect(warning).toMatch(/5 auth profiles in .* could not be read and are left out of this report: /);
    expect(warning).toContain('"openai-codex:oauth2" (no credential type OpenClaw knows)');
    expect(warning).toContain('"openai-codex:no-type" (no credential type OpenClaw knows)');
    expect(warning).toContain('"openai-codex:no-provider" (no provider)');
    expect(warning).toContain('"openai-codex:number-provider" (no provider)');
    expect(warning).toContain('"openai-codex:a-string" (not an object)');
    expect(warning).not.toContain("anthropic");
    expect(warning).not.toContain(SECRET);
  };

  it("auth-profiles.json: the good profiles, one warning naming the file and the Codex ids", async () => {
    const s = state();
    const file = join(s.agentDir, "auth-profiles.json");
    writeFileSync(file, JSON.stringify(legacyAuthProfiles({ extra: DAMAGED_ENTRIES })));
    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(IDS);
    expect(set.warnings).toHaveLength(1);
    expectNamed(set.warnings?.[0], file);
  });

  it("--auth-path: the same warning", async () => {
    const s = state();
    const file = join(s.agentDir, "copy.json");
    writeFileSync(file, JSON.stringify(legacyAuthProfiles({ extra: DAMAGED_ENTRIES })));
    const set = await loadProfileSet({ env: s.env, authPath: file });
    expect(set.profiles).toHaveLength(IDS.length);
    expectNamed(set.warnings?.[0], file);
  });

  it("openclaw-agent.sqlite: the same warning, naming the database", async () => {
    const s = state();
    const db = join(s.agentDir, "openclaw-agent.sqlite");
    walAgentDb(db);
    const w = new DatabaseSync(db);
    // The ids 2026.6+ gave the profiles (an openai-codex one there is not OpenClaw's Codex profile).
    const store = legacyAuthProfiles({ provider: "openai", extra: DAMAGED_ENTRIES });
    w.prepare("UPDATE auth_profile_store SET store_json = ? WHERE store_key = 'primary'").run(JSON.stringify(store));
    w.close();
    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(IDS.map((id) => id.replace(/^openai-codex:/, "openai:")));
    expect(set.warnings).toHaveLength(1);
    expectNamed(set.warnings?.[0], db);
  });

  it("only another provider's entries, well-formed or of a type we do not know: no warning", async () => {
    const s = state();
    const others = {
      "anthropic:new-kind": DAMAGED_ENTRIES["anthropic:new-kind"],
      "openrouter:x": { type: "api_key", provider: "openrouter", key: SECRET },
    };
    writeFileSync(join(s.agentDir, "auth-profiles.json"), JSON.stringify(legacyAuthProfiles({ extra: others })));
    const set = await loadProfileSet({ env: s.env });
    expect(set.warnings).toBeUndefined();
  });

  it("a blank id is named as such; an id that reads as a token is described, not shown", async () => {
    const s = state();
    const file = join(s.agentDir, "auth-profiles.json");
    const [alice] = FIXTURE_ACCOUNTS;
    const tokenId = `openai-codex:${fakeAccessToken({ accountId: "a", userId: "u", email: "e@x.io", exp: 2e9 })}`;
    const extra = {
      "  ": fixtureCredential(alice!, "openai-codex", 2e9),
      "": { type: "api_key", provider: "anthropic", key: SECRET },
      [tokenId]: { type: "oauth" },
    };
    writeFileSync(file, JSON.stringify(legacyAuthProfiles({ extra })));
    const set = await loadProfileSet({ env: s.env });
    expect(set.profiles.map((p) => p.id).sort()).toEqual(IDS);
    expect(set.warnings).toEqual([
      `2 auth profiles in ${file} could not be read and are left out of this report: "  " (a blank id), ` +
        "(an id that looks like a token, not shown) (no provider)",
    ]);
  });

  it("an id with a bidi override or a terminal escape is named escaped, with nothing a terminal acts on", async () => {
    const s = state();
    const file = join(s.agentDir, "auth-profiles.json");
    const id = "openai-codex:\u202eevil\u202c-\u001b]0;pwned\u0007";
    writeFileSync(file, JSON.stringify(legacyAuthProfiles({ extra: { [id]: { type: "weird", provider: "openai" } } })));
    const [warning] = (await loadProfileSet({ env: s.env })).warnings ?? [];
    expect(warning).toContain(String.raw`"openai-codex:\u202eevil\u202c-\u001b]0;pwned\u0007" (`);
    for (const c of ["\u202e", "\u202c", "\u001b", "\u0007"]) expect(warning).not.toContain(c);
  });

  it("every Codex entry damaged: no_codex_profiles, and the error names what was left out", async () => {
    const s = state();
    const file = join(s.agentDir, "auth-profiles.json");
    writeFileSync(file, JSON.stringify({ version: 1, profiles: DAMAGED_ENTRIES }));
    const error = await loadProfileSet({ env: s.env }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "no_codex_profiles", path: file });
    expectNamed((error as Error).message, file);
  });
});
