import { describe, expect, it } from "vitest";
import { suggestedUserMessage as message } from "../../src/format/suggested-message.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import type { ProfileUsage } from "../../src/usage/types.ts";
import {
  checkOf,
  NOW,
  renewalPendingReport,
  sampleReport,
  usageFromBody,
  win,
} from "../support/usage-report-builders.ts";
import { SHAPE_BODIES } from "../support/usage-shapes.ts";

const suggestedUserMessage = (profiles: ProfileUsage[]) => message(checkOf(profiles));
const shape = (label: string, name: keyof typeof SHAPE_BODIES) => usageFromBody(label, SHAPE_BODIES[name](NOW));

const ok = (label: string, h5Used: number, wkUsed: number) =>
  sampleReport(label, { h5: win(h5Used, 3600), wk: win(wkUsed, 86400, 604800) });
const limited = (label: string, resetIn: number) =>
  sampleReport(label, { status: "limited", h5: win(100, resetIn), wk: win(60, 86400 * 3, 604800) });
const broken = (label: string, code: Parameters<typeof makeUsageError>[0], detail?: string) =>
  sampleReport(label, {
    status: "unusable",
    h5: null,
    wk: null,
    error: makeUsageError(code, detail ? { detail } : {}),
  });

describe("suggestedUserMessage", () => {
  it("names the profile with the most headroom (the smaller of its two windows), then the others", () => {
    const message = suggestedUserMessage([ok("a", 10, 90), ok("b", 30, 40), ok("c", 50, 50)]);
    expect(message).toBe("Use `b` now: 70% of the 5-hour and 60% of the weekly limit left. Also available: `c`, `a`.");
  });

  it("keeps the given order on ties", () => {
    expect(suggestedUserMessage([ok("first", 20, 20), ok("second", 20, 20)])).toMatch(/^Use `first` now/);
  });

  it("says which are limited and when they return, soonest first", () => {
    const message = suggestedUserMessage([limited("late", 3 * 3600), ok("work", 18, 36), limited("soon", 45 * 60)]);
    expect(message).toBe(
      "Use `work` now: 82% of the 5-hour and 64% of the weekly limit left. " +
        "Limited: `soon` (back in 45m), `late` (back in 3h).",
    );
  });

  it("when nothing has room, says which comes back first", () => {
    const message = suggestedUserMessage([limited("x", 7200), limited("y", 600)]);
    expect(message).toBe(
      "No profile has room right now; `y` is back first, in 10m. Limited: `y` (back in 10m), `x` (back in 2h).",
    );
  });

  it("when nothing has room and none says when it is back, names no profile as back first", () => {
    const seats = [shape("seat1", "workspace_credits_depleted"), shape("seat2", "workspace_credits_depleted")];
    expect(suggestedUserMessage(seats)).toBe(
      "No profile has room right now, and none says when it is back. " +
        "Limited: `seat1` (workspace out of credits, back unknown), `seat2` (workspace out of credits, back unknown).",
    );
    // One that is back at a known time still comes first, ahead of one that may never be.
    expect(suggestedUserMessage([seats[0]!, limited("x", 7200)])).toMatch(
      /^No profile has room right now; `x` is back first, in 2h\./,
    );
  });

  it("says which need a new login, which look deactivated, which could not be checked", () => {
    const message = suggestedUserMessage([
      ok("w", 0, 0),
      broken("bob", "auth_not_accepted_by_usage_endpoint", "token_expired"),
      broken("eve", "token_expired_locally"),
      broken("old", "account_deactivated"),
      broken("net", "server_error"),
    ]);
    expect(message).toBe(
      "Use `w` now: 100% of the 5-hour and 100% of the weekly limit left. " +
        "Needs a new login with /codex_auth: `bob` (token_expired), `eve` (token_expired_locally). " +
        "Looks deactivated: `old`. Could not check `net` (server_error); try again shortly.",
    );
  });

  it("names a second window of one kind as its line does (week2): the weekly and the weekly 2 limit", () => {
    const body = SHAPE_BODIES.plus_weekly_only(NOW);
    const second = { used_percent: 70, limit_window_seconds: 604_800, reset_after_seconds: 86_400, reset_at: null };
    const two = usageFromBody("two", { ...body, rate_limit: { ...body.rate_limit, secondary_window: second } });
    expect(suggestedUserMessage([two])).toBe("Use `two` now: 60% of the weekly and 30% of the weekly 2 limit left.");
  });

  it("handles weekly-only accounts, no usable profile and no profiles", () => {
    expect(suggestedUserMessage([sampleReport("pro", { h5: null, wk: win(25, 9000, 604800) })])).toBe(
      "Use `pro` now: 75% of the weekly limit left.",
    );
    expect(suggestedUserMessage([broken("n", "network_error")])).toBe(
      "No profile can be used right now. Could not check `n` (network_error); try again shortly.",
    );
    expect(suggestedUserMessage([])).toBe("No Codex profiles were found.");
  });
});

describe("suggestedUserMessage: every account shape", () => {
  it("never names an account as usable when its binding limit is spent", () => {
    expect(suggestedUserMessage([shape("pool", "business_spend_spent"), shape("month", "team_monthly")])).toBe(
      "Use `month` now: 3% of the monthly limit left. Limited: `pool` (spend limit reached, back in 12d 3h).",
    );
    expect(suggestedUserMessage([shape("pool", "business_spend_ok"), shape("week", "plus_weekly_only")])).toBe(
      "Use `pool` now: 75% of the monthly spend limit left. Also available: `week`.",
    );
  });

  it("says when an account goes on on credits, and how much is left", () => {
    expect(suggestedUserMessage([shape("work", "credits_continue")])).toBe(
      "No profile has room on its included limits. " +
        "`work` is out of its 5-hour limit and now spends credits, 12.50 left.",
    );
  });

  it("says why a workspace block holds and that its return is unknown", () => {
    expect(suggestedUserMessage([shape("seat", "workspace_credits_depleted"), shape("spark", "spark_spent")])).toBe(
      "Use `spark` now: 80% of the 5-hour and 70% of the weekly limit left. " +
        "Limited: `seat` (workspace out of credits, back unknown).",
    );
  });

  it("mentions the reset credits of a limited account", () => {
    expect(suggestedUserMessage([shape("p", "reset_credits")])).toBe(
      "No profile has room right now; `p` is back first, in 3h. Limited: `p` (back in 3h; 2 reset credits available).",
    );
  });

  it("counts only the reset credits that apply now, where the answer says how many do", () => {
    const applying = (n: number | undefined) =>
      usageFromBody("p", {
        ...SHAPE_BODIES.reset_credits(NOW),
        rate_limit_reset_credits: { available_count: 2, applicable_available_count: n },
      });
    expect(suggestedUserMessage([applying(0)])).toBe(
      "No profile has room right now; `p` is back first, in 3h. Limited: `p` (back in 3h).",
    );
    expect(suggestedUserMessage([applying(1)])).toMatch(/Limited: `p` \(back in 3h; 1 reset credit available\)\.$/);
    expect(suggestedUserMessage([applying(undefined)])).toMatch(/\(back in 3h; 2 reset credits available\)\.$/);
  });

  it("lists the other window kinds by name, and a renewal pending after known headroom", () => {
    expect(
      suggestedUserMessage([renewalPendingReport("idle"), shape("d", "daily_window"), shape("u", "unknown_window")]),
    ).toBe(
      "Use `d` now: 55% of the daily and 80% of the weekly limit left. Also available: `u`, `idle`. " +
        "Renewal pending (OpenClaw renews the token on its next use): `idle`.",
    );
  });
});
