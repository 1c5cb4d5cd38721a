import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { formatAuthResult } from "../../src/models-auth/describe.ts";
import { runDoctor } from "../../src/models-auth/doctor.ts";
import type { AuthResult } from "../../src/models-auth/operations.ts";
import type { AuthSnapshot } from "../../src/models-auth/state.ts";
import { statusReport } from "../../src/models-auth/status-report.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";

const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});
function agentDir(files: string[] = []): string {
  const d = mkdtempSync(join(tmpdir(), "cxp-doc-"));
  dirs.push(d);
  mkdirSync(d, { recursive: true });
  for (const f of files) writeFileSync(join(d, f), "{}");
  return d;
}
const v = parseOpenclawVersion("2026.9.6")!;
const caps = capabilitiesFor(v);
const now = Date.UTC(2026, 10, 22, 12);
function snap(over: Partial<AuthSnapshot>): AuthSnapshot {
  return {
    agentId: "main",
    provider: "openai",
    storedOrder: null,
    effectiveOrder: [],
    effectiveOrderSource: "openclaw",
    unstorableIds: [],
    knownIds: [],
    profiles: [],
    configPath: null,
    agentDir: agentDir(),
    ignoredLegacyFile: null,
    configuredAgents: ["main"],
    ...over,
  };
}

describe("doctor (read-only findings with the OpenClaw fix)", () => {
  it("finds nothing on a clean state", () => {
    expect(runDoctor({ snapshot: snap({ knownIds: ["openai:a"] }), version: v, caps, now })).toEqual([]);
  });

  it("legacy files next to the SQLite store → openclaw doctor --fix", () => {
    const f = runDoctor({
      snapshot: snap({ agentDir: agentDir(["auth-profiles.json", "auth-state.json"]) }),
      version: v,
      caps,
      now,
    });
    expect(f).toMatchObject([{ code: "legacy_files_present", fix: "openclaw doctor --fix" }]);
    expect(f[0]?.message).toMatch(/auth-profiles\.json, auth-state\.json/);
    // Beside a store that holds profiles OpenClaw ignores the file (2026.8 and later warn and go on).
    const beside = runDoctor({
      snapshot: snap({ knownIds: ["openai:a"], agentDir: agentDir(["auth-profiles.json"]) }),
      version: v,
      caps,
      now,
    });
    expect(beside[0]?.message).toMatch(/no longer reads it/);
    expect(beside[0]?.message).not.toMatch(/refuses/);
  });

  it("2026.6.11/2026.7.1 before doctor --fix: zero profiles while the legacy file holds some → doctor --fix", () => {
    const dir = agentDir();
    writeFileSync(join(dir, "auth-profiles.json"), JSON.stringify({ version: 1, profiles: { "openai-codex:a": {} } }));
    const old = capabilitiesFor(parseOpenclawVersion("2026.7.1")!);
    const s = snap({ agentDir: dir, ignoredLegacyFile: join(dir, "auth-profiles.json") });
    const f = runDoctor({ snapshot: s, version: parseOpenclawVersion("2026.7.1")!, caps: old, now });
    expect(f).toMatchObject([{ code: "legacy_file_ignored", fix: "openclaw doctor --fix" }]);
    const report = statusReport(s);
    expect(report.first).toBeNull();
    expect(report.hint).toMatch(/holds profiles it reads only after importing them: run `openclaw doctor --fix`/);
    expect(statusReport(snap({})).hint).toBeNull();
  });

  it("the order-set fix it suggests hands a shell no id's $(…), quote or line break as is", () => {
    const hostile = ["openai:$(touch pwned)", "openai:a;b", "openai:it's\n$(x)"];
    const f = runDoctor({
      snapshot: snap({ knownIds: ["openai:a", ...hostile], storedOrder: ["openai:a", ...hostile, "openai:gone"] }),
      version: v,
      caps,
      now,
    });
    const fix = f.find((x) => x.code === "stored_order_names_missing_profiles")?.fix;
    expect(fix).toBe(
      "openclaw models auth order set --provider openai openai:a 'openai:$(touch pwned)' 'openai:a;b' <its id, quoted>",
    );
  });

  it("openai-codex ids on 2026.6+ and an order naming missing profiles", () => {
    const f = runDoctor({
      snapshot: snap({ knownIds: ["openai-codex:x", "openai:a"], storedOrder: ["openai:a", "openai:gone"] }),
      version: v,
      caps,
      now,
    });
    expect(f.map((x) => x.code)).toEqual(["retired_provider_ids", "stored_order_names_missing_profiles"]);
    expect(f[1]?.fix).toBe("openclaw models auth order set --provider openai openai:a");
  });

  it("expired-but-recorded cooldowns and shared account ids are informational", () => {
    const f = runDoctor({
      snapshot: snap({
        profiles: [
          {
            id: "openai:a",
            status: "cooldown",
            expiresAtMs: null,
            unusableUntilMs: now - 60_000,
            reason: "rate_limit",
          },
        ],
      }),
      version: v,
      caps,
      now,
      identities: {
        "openai:carol": { accountId: "acc-team", userId: "user-carol" },
        "openai:dave": { accountId: "acc-team", userId: "user-dave" },
        "openai:a": { accountId: "acc-a", userId: "user-a" },
      },
    });
    expect(f.map((x) => [x.code, x.severity])).toEqual([
      ["expired_cooldown_recorded", "info"],
      ["shared_account_id", "info"],
    ]);
  });

  it("one login saved twice is named as such, not as seats of a workspace; seats beside it still are", () => {
    const seat = (accountId: string, userId: string | null) => ({ accountId, userId });
    const f = runDoctor({
      snapshot: snap({}),
      version: v,
      caps,
      now,
      identities: {
        "openai:me": seat("acc-me", "user-me"),
        "openai:me-again": seat("acc-me", "user-me"),
        "openai:carol": seat("acc-team", "user-carol"),
        "openai:carol-2": seat("acc-team", "user-carol"),
        "openai:dave": seat("acc-team", "user-dave"),
      },
    });
    expect(f.map((x) => x.message)).toEqual([
      "openai:me and openai:me-again are one ChatGPT login saved twice: one set of usage limits, so rotating " +
        "between them gains nothing.",
      "openai:carol and openai:carol-2 are one ChatGPT login saved twice: one set of usage limits, so " +
        "rotating between them gains nothing.",
      "openai:carol and openai:carol-2 and openai:dave share the account id acc-team (seats of one " +
        "workspace; usage limits may be shared).",
    ]);
  });
});

describe("codex_auth status and doctor text: one line per row or finding, whatever ids the store holds", () => {
  const odd = "openai:a\n  2  openai:fake  ok";
  it("status", () => {
    const details = statusReport(
      snap({ effectiveOrder: [odd, "openai:b"], knownIds: [odd, "openai:b"], storedOrder: [odd, "openai:b"] }),
    );
    const lines = formatAuthResult({ action: "status", details, notes: [], applied: [] } as unknown as AuthResult);
    expect(
      lines
        .join("\n")
        .split("\n")
        .filter((l) => l.includes("openai:fake")),
    ).toEqual([
      "first: openai:a\uFFFD  2  openai:fake  ok   order: stored-override (reported by openclaw)",
      "  -  openai:a\uFFFD  2  openai:fake  ok  unknown",
    ]);
  });

  it("doctor", () => {
    const f = runDoctor({
      snapshot: snap({
        profiles: [{ id: odd, status: "cooldown", expiresAtMs: null, unusableUntilMs: now - 60_000, reason: "x" }],
      }),
      version: v,
      caps,
      now,
      identities: {
        [odd]: { accountId: "acc-team", userId: null },
        "openai:b": { accountId: "acc-team", userId: null },
      },
    });
    for (const x of f) expect(x.message).not.toContain("\n");
  });
});

describe("statusReport", () => {
  it("effective order first, then the rest; unusable until when", () => {
    const r = statusReport(
      snap({
        effectiveOrder: ["openai:b", "openai:a"],
        knownIds: ["openai:a", "openai:b", "openai:c"],
        storedOrder: ["openai:b", "openai:a"],
        profiles: [
          {
            id: "openai:c",
            status: "cooldown",
            expiresAtMs: null,
            unusableUntilMs: now + 60_000,
            reason: "rate_limit",
          },
          { id: "openai:a", status: "ok", expiresAtMs: null, unusableUntilMs: null, reason: null },
          { id: "openai:b", status: "expiring", expiresAtMs: now + 1000, unusableUntilMs: null, reason: null },
        ],
      }),
    );
    expect(r.first).toBe("openai:b");
    expect(r.orderSource).toBe("stored-override");
    expect(r.rows.map((x) => [x.id, x.position, x.status])).toEqual([
      ["openai:b", 0, "expiring"],
      ["openai:a", 1, "ok"],
      ["openai:c", null, "cooldown"],
    ]);
    expect(r.rows[2]?.unusableUntilMs).toBe(now + 60_000);
  });
});
