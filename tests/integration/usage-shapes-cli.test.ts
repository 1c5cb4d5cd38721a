import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageCommand } from "../../src/cli/usage-command.ts";
import type { UsageReport } from "../../src/format/usage-json.ts";
import { captureRuntime } from "../support/capture-runtime.ts";
import { type FixtureAccount, legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { type Scenario, startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

const SHAPES = [
  "ok",
  "limited_5h",
  "weekly_only_exhausted",
  "plus_weekly_only",
  "team_monthly",
  "business_spend_ok",
  "business_spend_spent",
  "spark_spent",
  "credits_continue",
  "workspace_credits_depleted",
  "reset_credits",
  "code_review_spent",
  "daily_window",
  "unknown_window",
  "weekly_reached_under_100",
  "spend_reached_under_100",
  "five_hour_reset_unbelievable",
  "ninety_minute_window",
  "five_hour_spent_spend_reached",
  "pool_in_rate_limit",
  "window_of_unknown_length",
] as const;
type Shape = (typeof SHAPES)[number];

const label = (s: Shape): string => `${s.replaceAll("_", "-")}@example.com`;
const ACCOUNTS: FixtureAccount[] = SHAPES.map((s) => ({
  name: label(s),
  email: label(s),
  accountId: `acc-${s}`,
  userId: `user-${s}`,
  plan: "plus",
}));
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const store = legacyAuthProfiles({ provider: "openai", accounts: ACCOUNTS });

let sim: UsageSimulator;
let tmp: string;
let authPath: string;

beforeAll(async () => {
  sim = await startUsageSimulator({
    nowMs: NOW,
    scenarios: Object.fromEntries(SHAPES.map((s) => [`user-${s}`, s as Scenario])),
  });
  tmp = mkdtempSync(join(tmpdir(), "cxp-usage-shapes-"));
  authPath = join(tmp, "auth-profiles.json");
  writeFileSync(authPath, JSON.stringify(store), { mode: 0o600 });
});

afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function run(args: string[]) {
  const rt = captureRuntime();
  const env = {
    HOME: join(tmp, "home"),
    CODEX_PROFILER_USAGE_URL: sim.url,
    CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"),
  };
  await usageCommand(["--auth-path", authPath, "--no-cache", ...args], rt, { env, now: () => NOW });
  expectNoSecrets(rt.all(), secretsOf(store));
  return rt;
}

interface Expected {
  line: string;
  /** Something the details line must say (it always starts "  ↳ "). */
  details: string;
  status: "ok" | "limited";
  binding: string | null;
  blocked: string | null;
  /** The JSON's windows.five_hour / windows.weekly present (the first contract's shape). */
  windows: [boolean, boolean];
}

const b = (t: string) => `**${t}**`;
const EXPECTED: Record<Shape, Expected> = {
  ok: {
    line: `🟢 \`ok@example.com\` — 5h ${b("93%")} | week ${b("98%")} | r5 ${b("1h 20m")} | rw ${b("6d 20h")}`,
    details: `code review week ${b("100%")} rw ${b("7d")}`,
    status: "ok",
    binding: "main:five_hour",
    blocked: null,
    windows: [true, true],
  },
  limited_5h: {
    line: `🟠 \`limited-5h@example.com\` — 5h ${b("0%")} | week ${b("23%")} | r5 ${b("3h 58m")} | rw ${b("5h 9m")}`,
    details: "blocked: rate limit reached, back in 3h 58m",
    status: "limited",
    binding: "main:five_hour",
    blocked: "rate_limit",
    windows: [true, true],
  },
  weekly_only_exhausted: {
    line: `🟠 \`weekly-only-exhausted@example.com\` — week ${b("0%")} | rw ${b("5d 6h")}`,
    details:
      "blocked: rate limit reached, back in 5d 6h · gpt-6-astra unavailable, back in 5d 6h (credits would enable it)",
    status: "limited",
    binding: "main:weekly",
    blocked: "rate_limit",
    windows: [false, true],
  },
  plus_weekly_only: {
    line: `🟢 \`plus-weekly-only@example.com\` — week ${b("60%")} | rw ${b("3d")}`,
    details: "plan plus",
    status: "ok",
    binding: "main:weekly",
    blocked: null,
    windows: [false, true],
  },
  team_monthly: {
    line: `🟢 \`team-monthly@example.com\` — month ${b("3%")} | rm ${b("12d 3h")}`,
    details: "plan team",
    status: "ok",
    binding: "main:monthly",
    blocked: null,
    windows: [false, false],
  },
  business_spend_ok: {
    line: `🟢 \`business-spend-ok@example.com\` — month ${b("75%")} | rm ${b("12d 3h")}`,
    details: "spend 25 of 100 used",
    status: "ok",
    binding: "main:spend",
    blocked: null,
    windows: [false, false],
  },
  business_spend_spent: {
    line: `🟠 \`business-spend-spent@example.com\` — month ${b("0%")} | rm ${b("12d 3h")}`,
    details: "blocked: spend limit reached, back in 12d 3h · spend 100 of 100 used",
    status: "limited",
    binding: "main:spend",
    blocked: "spend_limit",
    windows: [false, false],
  },
  spark_spent: {
    line: `🟢 \`spark-spent@example.com\` — 5h ${b("80%")} | week ${b("70%")} | r5 ${b("3h")} | rw ${b("4d")}`,
    details: `GPT-5.3-Codex-Spark 5h ${b("0%")} r5 ${b("2h")}, week ${b("40%")} rw ${b("4d")}`,
    status: "ok",
    binding: "main:weekly",
    blocked: null,
    windows: [true, true],
  },
  credits_continue: {
    line: `🟠 \`credits-continue@example.com\` — 5h ${b("0%")} | week ${b("60%")} | r5 ${b("2h 10m")} | rw ${b("4d")}`,
    details: `continues on credits · credits ${b("12.50")}`,
    status: "limited",
    binding: "main:five_hour",
    blocked: "rate_limit",
    windows: [true, true],
  },
  workspace_credits_depleted: {
    line:
      `🟠 \`workspace-credits-depleted@example.com\` — 5h ${b("70%")} | week ${b("80%")} | r5 ${b("1h 23m")} | ` +
      `rw ${b("5d")} | blocked: workspace out of credits`,
    details: "blocked: workspace out of credits (ask the workspace owner to add credits), back unknown",
    status: "limited",
    binding: "main:five_hour",
    blocked: "workspace_member_credits_depleted",
    windows: [true, true],
  },
  reset_credits: {
    line: `🟠 \`reset-credits@example.com\` — 5h ${b("0%")} | week ${b("50%")} | r5 ${b("3h")} | rw ${b("4d")}`,
    details: `reset credits ${b("2")}`,
    status: "limited",
    binding: "main:five_hour",
    blocked: "rate_limit",
    windows: [true, true],
  },
  code_review_spent: {
    line: `🟢 \`code-review-spent@example.com\` — 5h ${b("90%")} | week ${b("80%")} | r5 ${b("4h")} | rw ${b("6d")}`,
    details: `code review week ${b("0%")} rw ${b("2d")}`,
    status: "ok",
    binding: "main:weekly",
    blocked: null,
    windows: [true, true],
  },
  daily_window: {
    line: `🟢 \`daily-window@example.com\` — day ${b("55%")} | week ${b("80%")} | rd ${b("6h")} | rw ${b("4d")}`,
    details: "plan go",
    status: "ok",
    binding: "main:daily",
    blocked: null,
    windows: [false, true],
  },
  unknown_window: {
    line:
      `🟢 \`unknown-window@example.com\` — week ${b("50%")} | 36-hour ${b("90%")} | ` +
      `rw ${b("4d")} | r36h ${b("20h")}`,
    details: "plan pro",
    status: "ok",
    binding: "main:weekly",
    blocked: null,
    windows: [false, true],
  },
  weekly_reached_under_100: {
    line: `🟠 \`weekly-reached-under-100@example.com\` — week ${b("20%")} | rw ${b("3d")} | blocked: rate limit reached`,
    details: "blocked: rate limit reached, back in 3d",
    status: "limited",
    binding: "main:weekly",
    blocked: "rate_limit",
    windows: [false, true],
  },
  spend_reached_under_100: {
    line:
      `🟠 \`spend-reached-under-100@example.com\` — month ${b("10%")} | rm ${b("12d 3h")} | ` +
      "blocked: spend limit reached",
    details: "blocked: spend limit reached, back in 12d 3h · spend 90 of 100 used",
    status: "limited",
    binding: "main:spend",
    blocked: "spend_limit",
    windows: [false, false],
  },
  five_hour_reset_unbelievable: {
    line:
      `🟠 \`five-hour-reset-unbelievable@example.com\` — 5h ${b("0%")} | week ${b("60%")} | r5 ${b("unknown")} | ` +
      `rw ${b("4d")}`,
    details: "blocked: rate limit reached, back unknown",
    status: "limited",
    binding: "main:five_hour",
    blocked: "rate_limit",
    // A window whose reset is unknown has no place in the first contract's windows: it is in limits.
    windows: [false, true],
  },
  ninety_minute_window: {
    line:
      `🟢 \`ninety-minute-window@example.com\` — week ${b("80%")} | 90-minute ${b("70%")} | ` +
      `rw ${b("4d")} | r90m ${b("1h")}`,
    details: "plan plus",
    status: "ok",
    binding: "main:other_5400",
    blocked: null,
    windows: [false, true],
  },
  five_hour_spent_spend_reached: {
    line:
      `🟠 \`five-hour-spent-spend-reached@example.com\` — 5h ${b("0%")} | week ${b("60%")} | r5 ${b("2h")} | ` +
      `rw ${b("4d")} | blocked: spend limit reached`,
    details: "blocked: spend limit reached, back unknown",
    status: "limited",
    binding: "main:five_hour",
    blocked: "spend_limit",
    windows: [true, true],
  },
  pool_in_rate_limit: {
    line: `🟢 \`pool-in-rate-limit@example.com\` — month ${b("10%")} | rm ${b("12d")}`,
    details: "spend 45 of 50 used",
    status: "ok",
    binding: "main:spend",
    blocked: null,
    windows: [false, false],
  },
  window_of_unknown_length: {
    line:
      `🟠 \`window-of-unknown-length@example.com\` — week ${b("60%")} | limit ${b("0%")} | ` +
      `rw ${b("3d")} | rl ${b("1h")}`,
    details: "blocked: rate limit reached, back in 1h",
    status: "limited",
    binding: "main:other",
    blocked: "rate_limit",
    windows: [false, true],
  },
};

let text: string[];
let report: UsageReport;

beforeAll(async () => {
  const t = await run(["--format", "text", "--details"]);
  expect(t.code).toBe(0);
  text = t.out;
  const j = await run([]);
  expect(j.code).toBe(0);
  report = j.json[0] as UsageReport;
});

describe("codex_usage per account shape (loopback simulator, one profile per shape)", () => {
  it.each(SHAPES)("%s: its line, then its details line", (shape) => {
    const i = SHAPES.indexOf(shape);
    expect(text[2 * i]).toBe(EXPECTED[shape].line);
    expect(text[2 * i + 1]?.startsWith("  ↳ ")).toBe(true);
    expect(text[2 * i + 1]).toContain(EXPECTED[shape].details);
  });

  it.each(SHAPES)("%s: its JSON (status, binding limit, blocked reason, first-contract windows)", (shape) => {
    const p = report.profiles.find((x) => x.label === label(shape));
    const e = EXPECTED[shape];
    expect(p).toBeDefined();
    expect(report.formatted_profiles[SHAPES.indexOf(shape)]).toBe(e.line);
    expect(p!.status).toBe(e.status);
    expect(p!.binding?.key ?? null).toBe(e.binding);
    expect(p!.blocked_reason).toBe(e.blocked);
    expect([p!.windows.five_hour !== null, p!.windows.weekly !== null]).toEqual(e.windows);
    expect(p!.renewal_pending).toBe(false);
    // The binding limit is one of the profile's main limits, with the least left among them.
    const main = p!.limits.filter((l) => l.scope === "main");
    const bound = main.find((l) => l.key === p!.binding?.key);
    expect(bound?.left_percent).toBe(Math.min(...main.map((l) => l.left_percent)));
  });

  it("reports spend pools, per-model limits, credits and reset credits in JSON with their amounts", () => {
    const of = (s: Shape) => report.profiles.find((x) => x.label === label(s))!;
    expect(of("business_spend_spent").limits).toEqual([
      expect.objectContaining({
        key: "main:spend",
        kind: "spend_pool",
        limit_window_seconds: null,
        used_percent: 100,
        reached: true,
        amounts: { limit: 100, used: 100, remaining: 0 },
      }),
    ]);
    expect(
      of("spark_spent")
        .limits.filter((l) => l.scope === "model")
        .map((l) => [l.key, l.reached]),
    ).toEqual([
      ["model:gpt_5_3_codex_spark:five_hour", true],
      ["model:gpt_5_3_codex_spark:weekly", false],
    ]);
    expect(of("credits_continue")).toMatchObject({
      continues_on_credits: true,
      credits: { has_credits: true, unlimited: false, balance: 12.5, overage_limit_reached: false },
    });
    expect(of("reset_credits").reset_credits).toBe(2);
    expect(of("reset_credits").reset_credits_applicable).toBe(2);
    expect(of("weekly_only_exhausted").reset_credits_applicable).toBe(0);
    expect(of("weekly_only_exhausted").unavailable_models).toEqual([
      {
        model: "gpt-6-astra",
        available_at: new Date(Math.floor(NOW / 1000) * 1000 + 456_647_000).toISOString(),
        available_in_seconds: expect.any(Number),
        credits_would_enable: true,
      },
    ]);
    expect(of("ok").unavailable_models).toEqual([]);
    expect(of("code_review_spent").limits.find((l) => l.scope === "code_review")).toMatchObject({
      key: "code_review:weekly",
      reached: true,
    });
    expect(of("unknown_window").limits.map((l) => [l.key, l.kind, l.limit_window_seconds])).toEqual([
      ["main:weekly", "weekly", 604_800],
      ["main:other_129600", "other", 129_600],
    ]);
    expect(report.summary).toMatchObject({ total: 21, ok: 10, limited: 11, unusable: 0, renewal_pending: 0 });
  });

  it("the suggested message never offers a spent account, and says why and when for the others", () => {
    const m = report.suggested_user_message;
    expect(m.startsWith("Use `ok@example.com` now")).toBe(true);
    const available = m.slice(0, m.indexOf("Limited:"));
    for (const s of SHAPES.filter((x) => EXPECTED[x].status === "limited" && x !== "credits_continue"))
      expect(available).not.toContain(label(s));
    expect(m).toContain("`credits-continue@example.com` is out of its 5-hour limit and now spends credits, 12.50 left");
    expect(m).toContain("`reset-credits@example.com` (back in 3h; 2 reset credits available)");
    expect(m).toContain("`business-spend-spent@example.com` (spend limit reached, back in 12d 3h)");
    expect(m).toContain("`workspace-credits-depleted@example.com` (workspace out of credits, back unknown)");
  });
});
