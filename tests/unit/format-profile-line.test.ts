import { describe, expect, it } from "vitest";
import { formatDetailsLine } from "../../src/format/details-line.ts";
import { formatProfileLine } from "../../src/format/profile-line.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import type { ProfileUsage } from "../../src/usage/types.ts";
import { NOW, renewalPendingReport, sampleReport, usageFromBody, win } from "../support/usage-report-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

const line = (p: ProfileUsage) => formatProfileLine(p, { checkedAtMs: NOW, agent: "main" });

describe("formatProfileLine", () => {
  it("renders an ok profile exactly as the issue shows it", () => {
    const r = sampleReport("work", { h5: win(18, 2 * 3600 + 10 * 60), wk: win(36, 3 * 86400 + 4 * 3600, 604800) });
    expect(line(r)).toBe("🟢 `work` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**");
  });

  it("renders a limited profile in orange", () => {
    const r = sampleReport("plus", { status: "limited", h5: win(100, 14334), wk: win(77, 18596, 604800) });
    expect(line(r)).toBe("🟠 `plus` — 5h **0%** | week **23%** | r5 **3h 58m** | rw **5h 9m**");
  });

  it("never invents a field the account lacks: a weekly-only account shows its week alone", () => {
    const r = sampleReport("pro", { status: "limited", h5: null, wk: win(100, 456647, 604800) });
    expect(line(r)).toBe("🟠 `pro` — week **0%** | rw **5d 6h**");
    const none = usageFromBody("credits", { plan_type: "business", rate_limit: null });
    expect(line(none)).toBe("🟢 `credits` — no limit reported");
  });

  it("keeps 5h + weekly in that order whatever slot they came in", () => {
    const r = sampleReport("swapped", { h5: win(55, 277200, 604800), wk: win(30, 7800) });
    expect(line(r)).toBe("🟢 `swapped` — 5h **70%** | week **45%** | r5 **2h 10m** | rw **3d 5h**");
  });

  it("shows a window that has just reset as fully left and <1m", () => {
    const r = sampleReport("fresh", { h5: win(0, 0), wk: win(50, 59, 604800) });
    expect(line(r)).toBe("🟢 `fresh` — 5h **100%** | week **50%** | r5 **<1m** | rw **<1m**");
  });

  it.each([
    ["weekly_reached_under_100", "week **20%** | rw **3d** | blocked: rate limit reached"],
    ["spend_reached_under_100", "month **10%** | rm **12d 3h** | blocked: spend limit reached"],
    [
      "five_hour_spent_spend_reached",
      "5h **0%** | week **60%** | r5 **2h** | rw **4d** | blocked: spend limit reached",
    ],
  ] as const)("%s: a block no limit at zero shows says why the line is orange", (shape, fields) => {
    const r = usageFromBody("x", SHAPE_BODIES[shape](NOW));
    expect(line(r)).toBe(`🟠 \`x\` — ${fields}`);
  });

  it.each([
    [5400, "90-minute **70%** | r90m **1h**"],
    [7200, "2-hour **70%** | r2h **1h**"],
    [36 * 3600, "36-hour **70%** | r36h **1h**"],
    [60 * 3600, "60-hour **70%** | r60h **1h**"],
    [100 * 3600, "100-hour **70%** | r100h **1h**"],
    [3 * 86400 + 420, "3-day **70%** | r3d **1h**"],
    [14 * 86400, "14-day **70%** | r14d **1h**"],
  ])("a %i s window is named by its length in whole units, never a rounded one", (seconds, fields) => {
    const r = usageFromBody("odd", {
      plan_type: "pro",
      rate_limit: { allowed: true, limit_reached: false, primary_window: win(30, 3600, seconds) },
    });
    expect(line(r)).toBe(`🟢 \`odd\` — ${fields}`);
  });

  it("two windows of unusual lengths are named by their lengths, neither as a repeat of the other", () => {
    const r = usageFromBody("odd", {
      plan_type: "pro",
      rate_limit: {
        allowed: true,
        limit_reached: false,
        primary_window: win(20, 3600, 36 * 3600),
        secondary_window: win(40, 7200, 12 * 3600),
      },
    });
    expect(line(r)).toBe("🟢 `odd` — 12-hour **60%** | 36-hour **80%** | r12h **2h** | r36h **1h**");
  });

  it("renders an unusable profile with its error code and short hint", () => {
    const error = makeUsageError("auth_not_accepted_by_usage_endpoint", { status: 401, detail: "token_expired" });
    const r = sampleReport("bob@example.com", { status: "unusable", h5: null, wk: null, error });
    expect(line(r)).toBe(
      "🔴 `bob@example.com` — auth_not_accepted_by_usage_endpoint: " +
        "The token has expired; log in again with /codex_auth.",
    );
    const t = sampleReport("x", { status: "unusable", h5: null, wk: null, error: makeUsageError("timeout") });
    expect(line(t)).toBe(
      "🔴 `x` — timeout: The usage endpoint did not answer in time; try again or raise --timeout-sec.",
    );
  });

  it("renders an idle profile whose token lapsed as renewal pending, green, with the way to renew it", () => {
    expect(line(renewalPendingReport("idle"))).toBe(
      "🟢 `idle` — renewal pending: OpenClaw renews its token the next time it uses this profile; to renew it now, " +
        "stop the gateway and run `openclaw models status --probe --probe-profile openai:idle --agent main` " +
        "(one small model request).",
    );
  });

  it("keeps a label with backticks or newlines inside its code span", () => {
    const r = sampleReport("we`ird\nname", {});
    expect(line(r).startsWith("🟢 `we'ird\uFFFDname` — ")).toBe(true);
  });

  it("never hands the shell an id OpenClaw took with shell syntax in it: quoted, or not printed", () => {
    const command = (name: string) => /`(openclaw models status [^`]*)`/.exec(line(renewalPendingReport(name)))?.[1];
    expect(command("$(touch pwned)")).toBe(
      "openclaw models status --probe --probe-profile 'openai:$(touch pwned)' --agent main",
    );
    // An apostrophe goes in double quotes, where ";" and "~" are plain characters and nothing it holds expands.
    expect(command("it's; rm -rf ~")).toBe(
      `openclaw models status --probe --probe-profile "openai:it's; rm -rf ~" --agent main`,
    );
    for (const name of ["it's $(id)", 'it\'s "x"', "a\nb", "x`id`", "L".repeat(200)])
      expect(command(name)).toBe("openclaw models status --probe --probe-profile <its id, quoted> --agent main");
  });
});

describe("formatDetailsLine: a per-model limit the endpoint says is reached", () => {
  it("is marked reached where its percent would read as room", () => {
    const body = {
      ...SHAPE_BODIES.reset_credits(NOW),
      additional_rate_limits: [
        {
          limit_name: "GPT-5.3-Codex-Spark",
          metered_feature: "gpt_5_3_codex_spark",
          rate_limit: {
            allowed: false,
            limit_reached: true,
            primary_window: { used_percent: 70, limit_window_seconds: 604800, reset_after_seconds: 172800 },
          },
        },
      ],
    };
    const text = formatDetailsLine(usageFromBody("p", body), { checkedAtMs: NOW, agent: "main" });
    expect(text).toContain("GPT-5.3-Codex-Spark week **30%** rw **2d** (reached)");
  });
});

describe("formatDetailsLine: reset credits", () => {
  const details = (available: number, applicable?: number) =>
    formatDetailsLine(
      usageFromBody("p", {
        ...SHAPE_BODIES.reset_credits(NOW),
        rate_limit_reset_credits: { available_count: available, applicable_available_count: applicable },
      }),
      { checkedAtMs: NOW, agent: "main" },
    );

  it("says how many apply now where not all do, and only the count where all do or the answer does not say", () => {
    expect(details(2, 0)).toMatch(/ · reset credits \*\*2\*\* \(none applies now\)$/);
    expect(details(3, 1)).toMatch(/ · reset credits \*\*3\*\* \(1 applies now\)$/);
    expect(details(2, 2)).toMatch(/ · reset credits \*\*2\*\*$/);
    expect(details(2)).toMatch(/ · reset credits \*\*2\*\*$/);
  });
});
