import { describe, expect, it } from "vitest";
import { makeUsageError, NEEDS_LOGIN, TRANSIENT, usageErrorHint } from "../../src/usage/error-hints.ts";
import type { UsageErrorCode } from "../../src/usage/types.ts";

const ALL: UsageErrorCode[] = [
  "auth_not_accepted_by_usage_endpoint",
  "forbidden_by_usage_endpoint",
  "account_deactivated",
  "rate_limited",
  "server_error",
  "timeout",
  "network_error",
  "invalid_response",
  "redirect_refused",
  "missing_access_token",
  "token_expired_locally",
];

describe("usage error hints", () => {
  it("every code has its own short sentence", () => {
    const hints = ALL.map((code) => usageErrorHint(code));
    for (const hint of hints) {
      expect(hint).toMatch(/^[A-Z].{15,110}\.$/);
    }
    expect(new Set(hints).size).toBe(ALL.length);
  });

  it("every code is either a re-login, a passing trouble or a deactivated account", () => {
    for (const code of ALL) {
      const kinds = [NEEDS_LOGIN.has(code), TRANSIENT.has(code), code === "account_deactivated"].filter(Boolean);
      expect(kinds, code).toHaveLength(1);
    }
  });

  it("re-login hints name /codex_auth; a 401 hint follows the endpoint's code", () => {
    for (const code of NEEDS_LOGIN) expect(usageErrorHint(code)).toContain("/codex_auth");
    expect(usageErrorHint("auth_not_accepted_by_usage_endpoint", "token_invalidated")).toContain("invalidated");
    expect(usageErrorHint("auth_not_accepted_by_usage_endpoint", "something_new")).toBe(
      usageErrorHint("auth_not_accepted_by_usage_endpoint"),
    );
  });

  it("makeUsageError sets status and detail only when given", () => {
    expect(makeUsageError("timeout")).toEqual({ code: "timeout", hint: usageErrorHint("timeout") });
    expect(makeUsageError("server_error", { status: 503 })).toMatchObject({ code: "server_error", status: 503 });
    expect("detail" in makeUsageError("server_error", { status: 503 })).toBe(false);
  });
});
