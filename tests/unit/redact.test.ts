import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { redactText } from "../../src/secrets/redact.ts";
import { Secret } from "../../src/secrets/secret.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { expectNoSecrets } from "../support/secrets.ts";

const token = fakeAccessToken({ accountId: "acc-1", userId: "user-1", email: "a@example.com", exp: 2_000_000_000 });

describe("Secret", () => {
  it("never prints its value through JSON, String, templates or inspect", () => {
    const s = new Secret(token);
    const printed = [JSON.stringify({ s }), String(s), `${s}`, inspect(s), inspect({ nested: { s } })];
    expectNoSecrets(printed, [token]);
    expect(s.reveal()).toBe(token);
  });
});

describe("redactText", () => {
  it("removes JWTs, bearer values and known secret values", () => {
    new Secret("opaque-refresh-value-123456");
    const text = `Authorization: Bearer ${token}; refresh=opaque-refresh-value-123456 raw ${token}`;
    const out = redactText(text);
    expectNoSecrets(out, [token, "opaque-refresh-value-123456"]);
    expect(out).toContain("Bearer [redacted]");
  });

  it("drops OAuth redirect URLs whole and scrubs code/state parameters", () => {
    const url = "http://localhost:1455/auth/callback?code=ac_SECRETCODE123&state=st_SECRETSTATE456";
    const out = redactText(`paste this: ${url} please`);
    expect(out).not.toContain("SECRETCODE");
    expect(out).not.toContain("SECRETSTATE");
    expect(out).toContain("[redacted-url]");
  });

  it("catches OAuth material pasted bare, percent-encoded, or as a JSON or inspect field", () => {
    const samples = [
      "code=ac_SECRETCODE123&state=st_SECRETSTATE456",
      "pasted: code=ac_SECRETCODE123",
      "https://x.example/next?u=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback%3Fcode%3Dac_SECRETCODE123%26state%3Dst_SECRETSTATE456",
      '{"refresh":"rt_SECRETREFRESH789","access_token":"SECRETACCESS000"}',
      "{ refresh: 'rt_SECRETREFRESH789' }",
    ];
    for (const text of samples) expect(redactText(text), text).not.toMatch(/SECRET/);
  });

  it("leaves ordinary text alone", () => {
    const text = "🟢 `work` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**";
    expect(redactText(text)).toBe(text);
  });
});
