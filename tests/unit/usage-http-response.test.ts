import { describe, expect, it } from "vitest";
import { classifyHttpFailure, endpointErrorCode, parseRetryAfter } from "../../src/usage/http-response.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { expectNoSecrets } from "../support/secrets.ts";
import { CLOUDFLARE_HTML } from "../support/usage-simulator.ts";

const NOW = Date.UTC(2026, 9, 1, 12, 0, 0);
const classify = (
  status: number,
  body = "",
  contentType: string | null = "application/json",
  retryAfter: string | null = null,
) => classifyHttpFailure(status, contentType, body, retryAfter, NOW);

describe("classifyHttpFailure", () => {
  it.each([
    [301, "redirect_refused", false],
    [302, "redirect_refused", false],
    [307, "redirect_refused", false],
    [401, "auth_not_accepted_by_usage_endpoint", false],
    [403, "forbidden_by_usage_endpoint", false],
    [402, "account_deactivated", false],
    [404, "account_deactivated", false],
    [429, "rate_limited", true],
    [500, "server_error", true],
    [502, "server_error", true],
    [503, "server_error", true],
    [400, "invalid_response", false],
    [409, "invalid_response", false],
  ])("%i → %s (retryable: %s)", (status, code, retryable) => {
    const f = classify(status);
    expect(f.error.code).toBe(code);
    expect(f.error.status).toBe(status);
    expect(f.retryable).toBe(retryable);
    expect(f.error.hint.length).toBeGreaterThan(10);
  });

  it("carries the 401 body's code as detail, even when labelled text/plain", () => {
    const body = JSON.stringify({
      error: { message: "Provided authentication token is expired.", code: "token_expired" },
    });
    const f = classify(401, body, "text/plain");
    expect(f.error).toMatchObject({ detail: "token_expired" });
    expect(f.error.hint).toContain("/codex_auth");
    expect(classify(401, '{"error":{"code":"token_invalidated"}}').error.detail).toBe("token_invalidated");
    expect(classify(401, '{"error":{"code":"token_revoked"}}').error.hint).toContain("revoked");
  });

  it("reads 402 detail.code and ignores prose details", () => {
    expect(classify(402, '{"detail":{"code":"deactivated_workspace"}}').error.detail).toBe("deactivated_workspace");
    expect(classify(404, '{"detail":"Not Found"}').error.detail).toBeUndefined();
  });

  it("reads an HTML 404 (a proxy's or edge's page) as an answer it cannot read, not a deactivated account", () => {
    const page = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>";
    expect(classify(404, page, "text/html; charset=utf-8").error).toMatchObject({ code: "invalid_response" });
    expect(classify(404, page, null).error.code).toBe("invalid_response");
    expect(classify(404, '{"detail":"Not Found"}').error.code).toBe("account_deactivated");
  });

  it("marks an HTML 403 as a Cloudflare challenge and keeps nothing of the page", () => {
    const f = classify(403, CLOUDFLARE_HTML, "text/html; charset=UTF-8");
    expect(f.error.detail).toBe("cloudflare_challenge");
    expect(JSON.stringify(f)).not.toContain("Just a moment");
    expect(JSON.stringify(f)).not.toContain("<");
    expect(classify(403, "<!DOCTYPE html><html></html>", null).error.detail).toBe("cloudflare_challenge");
    expect(classify(403, '{"detail":{"code":"invalid_workspace_selected"}}').error.detail).toBe(
      "invalid_workspace_selected",
    );
  });

  it("a 403 for the wrong workspace says that a login choosing the workspace mends it, not to wait", () => {
    const f = classify(403, '{"detail":{"code":"invalid_workspace_selected"}}');
    expect(f.error.hint).toMatch(/workspace; log in again with \/codex_auth/);
    expect(f.error.hint).not.toMatch(/try again|Cloudflare/);
  });

  it("takes Retry-After on a 429", () => {
    expect(classify(429, "", null, "2").retryAfterMs).toBe(2000);
    expect(classify(429, "", null, null).retryAfterMs).toBeUndefined();
  });
});

describe("endpointErrorCode", () => {
  it("never takes a token, a long value or prose as a code", () => {
    const token = fakeAccessToken({ accountId: "a", userId: "u", email: "e@x", exp: 2_000_000_000 });
    expect(endpointErrorCode(JSON.stringify({ error: { code: token } }))).toBeUndefined();
    expect(endpointErrorCode(JSON.stringify({ error: { code: "x".repeat(80) } }))).toBeUndefined();
    expect(endpointErrorCode(JSON.stringify({ error: { code: "has spaces in it" } }))).toBeUndefined();
    expect(endpointErrorCode("not json")).toBeUndefined();
    const f = classifyHttpFailure(
      401,
      "application/json",
      JSON.stringify({ error: { code: token, message: `Bearer ${token}` } }),
      null,
      NOW,
    );
    expectNoSecrets(JSON.stringify(f), [token]);
  });
});

describe("parseRetryAfter", () => {
  it.each([
    ["0", 0],
    ["3", 3000],
    ["1.5", 1500],
    [new Date(NOW + 10_000).toUTCString(), 10_000],
    [new Date(NOW - 10_000).toUTCString(), 0],
  ])("%s → %i ms", (value, ms) => expect(parseRetryAfter(value, NOW)).toBe(ms));

  it.each([null, "", "soon", "-3"])("%s → undefined", (value) => expect(parseRetryAfter(value, NOW)).toBeUndefined());
});
