import { describe, expect, it } from "vitest";
import { suggestedUserMessage } from "../../src/format/suggested-message.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import { sampleReport, win } from "../support/usage-report-builders.ts";

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
      "Use `work` now: 82% of the 5-hour and 64% of the weekly limit left. Limited: `soon` (back in 45m), `late` (back in 3h).",
    );
  });

  it("when nothing has room, says which comes back first", () => {
    const message = suggestedUserMessage([limited("x", 7200), limited("y", 600)]);
    expect(message).toBe(
      "No profile has room right now; `y` is back first, in 10m. Limited: `y` (back in 10m), `x` (back in 2h).",
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
