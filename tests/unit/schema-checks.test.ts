import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CACHE_VERSION } from "../../src/usage/cache-schema.ts";
import { CHECKS_FILES, generateChecks } from "../../tools/schema-checks/generate.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { readingOf } from "../support/usage-report-builders.ts";

/**
 * The checks a cached answer runs are TypeBox's compiled code, written into src/ by tools/schema-checks: they
 * must be current, and must answer exactly as Value.Check on the same schemas, for valid files, each of them
 * broken in one place, and arbitrary JSON.
 */
const reading = readingOf({
  plan_type: "business",
  rate_limit: {
    allowed: true,
    limit_reached: false,
    primary_window: { used_percent: 20, limit_window_seconds: 18_000, reset_after_seconds: 600, reset_at: 2e9 },
  },
  credits: { has_credits: true, unlimited: false, balance: "12.5" },
  spend_control: { reached: false, individual_limit: { limit: 100, used: 40, remaining: 60 } },
  model_usage: {
    "gpt-6-astra": { available: false, available_at: "2033-05-18T03:33:20Z", credits_would_enable: true },
  },
});

const VALID: Record<string, unknown[]> = {
  isConfigView: [
    {
      agents: {
        entries: { main: { agentDir: "/a", default: true }, other: null },
        list: [{ id: "b", agentDir: "/b", default: false }],
        defaults: { systemAgent: { agentId: "main" } },
      },
      auth: { order: { openai: ["openai:a"] }, profiles: { "openai:a": { provider: "openai", mode: "oauth" } } },
    },
    {},
  ],
  isCredential: [
    {
      type: "oauth",
      provider: "openai",
      access: "a",
      refreshState: "present",
      hasKey: true,
      hasToken: true,
      expires: 1,
      accountId: "acc",
      email: "e@x",
      chatgptPlanType: "plus",
      refSince: "2026.4",
    },
  ],
  isUsageStats: [{ lastUsed: 1, cooldownUntil: 2, cooldownReason: "rate_limit", errorCount: 0, blockedReason: "x" }],
  isStorePayload: [{ version: 1, profiles: { a: { anything: true } } }],
  isCachedReading: [reading],
  isCacheFile: [{ version: CACHE_VERSION, entries: { "openai:a#acc": reading } }],
  isHistoryFile: [
    {
      version: 2,
      profiles: {
        "openai:a": [
          {
            t: 1,
            limits: { "main:weekly": { used_percent: 1, reset_at_ms: null, kind: "weekly", window_seconds: 9 } },
          },
        ],
      },
    },
    {
      version: 1,
      profiles: {
        a: [{ t: 1, five_hour: { used_percent: 2, reset_at_ms: 3, limit_window_seconds: 18_000 }, weekly: null }],
      },
    },
  ],
};

const REPLACEMENTS: unknown[] = [undefined, null, "", "x", 0, -1, 1.5, 101, true, [], {}, ["x"], { extra: 1 }];

/** The value with the thing at `path` replaced (undefined: removed), or one key added where `path` is an object. */
function variants(value: unknown): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown, at: string[]): void => {
    for (const r of REPLACEMENTS) out.push(setAt(value, at, r));
    if (v !== null && typeof v === "object") {
      out.push(setAt(value, [...at, "unexpected"], "x"));
      for (const [k, child] of Object.entries(v)) walk(child, [...at, k]);
    }
  };
  walk(value, []);
  return out;
}

function setAt(root: unknown, path: string[], to: unknown): unknown {
  if (path.length === 0) return to;
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) as string;
  if (to === undefined) delete node[last];
  else node[last] = to;
  return copy;
}

const checks = await Promise.all(
  CHECKS_FILES.map(async (f) => ({
    file: f,
    module: (await import(join(PROJECT_ROOT, f.out))) as Record<string, unknown>,
  })),
);
const cases = checks.flatMap(({ file, module }) =>
  file.checks.map((c) => ({ name: c.name, schema: c.schema, check: module[c.name] as (v: unknown) => boolean })),
);

describe("the generated schema checks", () => {
  it("are current: tools/schema-checks/generate.ts writes exactly the files in src/", () => {
    for (const [path, text] of generateChecks())
      expect(readFileSync(join(PROJECT_ROOT, path), "utf8"), path).toBe(text);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s accepts the valid files", (_, c) => {
    for (const v of VALID[c.name] ?? []) expect(c.check(v)).toBe(true);
    expect(VALID[c.name]?.length).toBeGreaterThan(0);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s answers as Value.Check, broken in every place", (_, c) => {
    let refused = 0;
    for (const valid of VALID[c.name] ?? [])
      for (const v of variants(valid)) {
        const expected = Value.Check(c.schema as TSchema, v);
        expect(c.check(v), JSON.stringify(v)).toBe(expected);
        if (!expected) refused++;
      }
    expect(refused).toBeGreaterThan(0);
  });

  it("answer as Value.Check on arbitrary JSON (2,000 values)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(...cases), (v, c) => {
        expect(c.check(v)).toBe(Value.Check(c.schema as TSchema, v));
      }),
      { numRuns: 2000 },
    );
  });
});
