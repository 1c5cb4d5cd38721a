import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { isCodexProfilerError } from "../../src/errors/index.ts";
import { EMPTY_CONFIG } from "../../src/openclaw/config-file.ts";
import { buildProfileSet, identityFrom } from "../../src/profiles/profile-set.ts";
import { coerceState, coerceStore } from "../../src/profiles/raw-store.ts";
import { resolveSelection } from "../../src/profiles/selection.ts";
import { readAgentDbRows, storeFromRows } from "../../src/profiles/sqlite-store.ts";
import type { StoreLocation } from "../../src/profiles/types.ts";
import { normalizeUsage } from "../../src/usage/normalize.ts";
import { parseUsageBody, parseUsageJson } from "../../src/usage/usage-response.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";
import { leaks, plantedSecret } from "../support/secret-arbitraries.ts";

// Property tests: 4,300 generated cases in this file (13,800 with secrets-fuzz and input-fuzz, all in npm test).
const NOW = Date.parse("2026-11-29T12:00:00Z");
const HOSTILE_KEYS = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "openai:x", ""];
const key = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 12 }));
const number = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -1, 1e20, -1e20, 1e308, Number.MAX_SAFE_INTEGER, 18_000, 604_800, 2_592_000),
  fc.integer(),
);
const scalar = fc.oneof(number, fc.string({ maxLength: 16 }), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: "small" }, scalar, tie("arr"), tie("obj")),
  arr: fc.array(tie("any"), { maxLength: 4 }),
  obj: fc.dictionary(key, tie("any"), { maxKeys: 5 }),
})).any;

/** Answers shaped like wham/usage, with every field possibly wrong: the parser's interesting space. */
const windowLike = fc.record(
  { used_percent: number, limit_window_seconds: number, reset_after_seconds: number, reset_at: number },
  { requiredKeys: [] },
);
const partLike = fc.record(
  { allowed: scalar, limit_reached: scalar, primary_window: fc.oneof(windowLike, value), secondary_window: windowLike },
  { requiredKeys: [] },
);
const answerLike = fc.record(
  {
    plan_type: fc.oneof(fc.string({ maxLength: 40 }), value),
    rate_limit: fc.oneof(partLike, value),
    code_review_rate_limit: partLike,
    additional_rate_limits: fc.array(fc.record({ limit_name: scalar, metered_feature: scalar, rate_limit: partLike })),
    credits: fc.record({ has_credits: scalar, unlimited: scalar, balance: scalar }, { requiredKeys: [] }),
    spend_control: fc.record({ reached: scalar, individual_limit: value }, { requiredKeys: [] }),
    rate_limit_reached_type: value,
  },
  { requiredKeys: [] },
);

describe("the usage-answer parser", () => {
  it("turns any answer into a reading of finite, in-range numbers or a refusal, never a throw", () => {
    fc.assert(
      fc.property(fc.oneof(answerLike, value), (body) => {
        const parsed = parseUsageJson(body);
        if (!parsed.ok) return;
        const n = normalizeUsage(parsed.value, NOW);
        if (!n.ok) return;
        for (const l of n.reading.limits) {
          expect(l.usedPercent >= 0 && l.usedPercent <= 100 && l.leftPercent >= 0 && l.leftPercent <= 100).toBe(true);
          if (l.resetAtMs !== null) expect(Number.isFinite(new Date(l.resetAtMs).getTime())).toBe(true);
        }
        expect(() => JSON.stringify(n.reading)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });

  it("never copies a secret the endpoint reflects into the reading", () => {
    fc.assert(
      fc.property(answerLike, plantedSecret, (body, s) => {
        const parsed = parseUsageBody(
          JSON.stringify({ ...body, plan_type: s.text, rate_limit_reached_type: { type: s.text } }),
        );
        const n = parsed.ok ? normalizeUsage(parsed.value, NOW) : null;
        expect(leaks(JSON.stringify(n), s.core)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

const location: StoreLocation = {
  layout: "explicit-file",
  agentId: "main",
  stateDir: "/nonexistent",
  configPath: "/nonexistent/openclaw.json",
  agentDir: "/nonexistent/agent",
  files: ["/nonexistent/auth-profiles.json"],
  reader: "file",
};

/** A store read either gives a profile set or a store error with a closed code: never anything else. */
function readsOrRefuses(read: () => unknown): void {
  try {
    read();
  } catch (err) {
    expect(isCodexProfilerError(err), String(err)).toBe(true);
  }
}

const storeLike = fc.record({
  version: value,
  profiles: fc.dictionary(
    key,
    fc.oneof(
      value,
      fc.record(
        {
          type: fc.constantFrom("oauth", "token", "api_key", 7),
          provider: fc.constantFrom("openai", "openai-codex", "x"),
          access: fc.oneof(fc.string(), value),
          refresh: fc.oneof(fc.string(), value),
          expires: number,
          accountId: scalar,
        },
        { requiredKeys: [] },
      ),
    ),
    { maxKeys: 5 },
  ),
  order: fc.dictionary(key, fc.oneof(fc.array(key, { maxLength: 4 }), value), { maxKeys: 3 }),
  usageStats: fc.dictionary(key, value, { maxKeys: 3 }),
});

describe("the store readers", () => {
  it("turn any JSON store payload into a profile set or a closed store error", () => {
    fc.assert(
      fc.property(fc.oneof(storeLike, value), fc.oneof(storeLike, value), (raw, state) => {
        readsOrRefuses(() => {
          const store = coerceStore(raw);
          if (store) buildProfileSet({ ...store, ...coerceState(state) }, EMPTY_CONFIG, location, NOW);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps the counterexample it found: a profile stored under the key constructor", () => {
    const found = {
      version: 0,
      profiles: { constructor: { type: "oauth", provider: "openai" } },
      order: {},
      usageStats: {},
    };
    const store = coerceStore(found);
    expect(store).not.toBeNull();
    expect(() => buildProfileSet(store!, EMPTY_CONFIG, location, NOW)).not.toThrow();
  });

  it("reads a store whatever its version holds, as OpenClaw does (Number(version ?? 1))", () => {
    const profiles = { "openai:work": { type: "oauth", provider: "openai", access: "a", refresh: "r" } };
    for (const version of ["1", null, "two", 1, undefined]) {
      const store = coerceStore({ version, profiles });
      expect(Object.keys(store?.profiles ?? {}), String(version)).toEqual(["openai:work"]);
    }
  });

  const dir = mkdtempSync(join(tmpdir(), "cxp-fuzz-sqlite-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  it("read any rows of a real SQLite store the same way, however the cells are damaged", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          storeLike.map((s) => JSON.stringify(s)),
          fc.string(),
          fc.constant("{"),
        ),
        async (cell) => {
          const path = join(dir, `agent-${n++}.sqlite`);
          const db = new DatabaseSync(path);
          db.exec("CREATE TABLE auth_profile_store (store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER)");
          db.prepare("INSERT INTO auth_profile_store VALUES ('primary', ?, 0)").run(cell);
          db.close();
          const rows = await readAgentDbRows(path).catch((err: unknown) => {
            expect(isCodexProfilerError(err), String(err)).toBe(true);
            return null;
          });
          readsOrRefuses(() => {
            const store = rows && storeFromRows(rows, path);
            if (store) buildProfileSet(store, EMPTY_CONFIG, { ...location, files: [path] }, NOW);
          });
          rmSync(path);
        },
      ),
      { numRuns: 150 },
    );
  });
});

const b64 = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
describe("JWT decoding", () => {
  it("reads any token, claim or segment without throwing; ids are strings and expiry a real date or null", () => {
    const token = fc.oneof(
      fc.string(),
      fc.tuple(value, value, fc.string()).map(([h, p, s]) => `${b64(h)}.${b64(p)}.${s}`),
      fc
        .tuple(value, fc.string())
        .map(([claim, exp]) => `eyJhbGciOiJub25lIn0.${b64({ exp, "https://api.openai.com/auth": claim })}.`),
    );
    fc.assert(
      fc.property(
        token,
        fc.record({ accountId: scalar, expires: number, email: scalar }, { requiredKeys: [] }),
        (t, hints) => {
          const id = identityFrom(t, hints as never);
          for (const v of [id.accountId, id.userId, id.email, id.plan])
            expect(v === null || typeof v === "string").toBe(true);
          if (id.expiresAtMs !== null) expect(Number.isFinite(new Date(id.expiresAtMs).getTime())).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("profile selection", () => {
  const set = profileSetOf([codexProfile("openai:work", 0), codexProfile("openai:constructor", 1)]);
  it("answers any selection with profiles or a closed input error that never repeats a planted secret", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          plantedSecret.map((s) => s.text),
          fc.constantFrom(...HOSTILE_KEYS),
        ),
        (sel) => {
          try {
            expect(resolveSelection(set, sel).profiles.length).toBeGreaterThan(0);
          } catch (err) {
            expect(isCodexProfilerError(err)).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(plantedSecret, (s) => {
        try {
          resolveSelection(set, s.text);
        } catch (err) {
          expect(leaks((err as Error).message, s.core)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
    expect(resolveSelection(set, "constructor").profiles.map((p) => p.id)).toEqual(["openai:constructor"]);
  });
});
