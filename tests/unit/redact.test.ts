import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Secret } from "../../src/secrets/secret.ts";
import { redactText } from "../../src/secrets/redact.ts";
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

  it("leaves ordinary text alone", () => {
    const text = "🟢 `work` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**";
    expect(redactText(text)).toBe(text);
  });
});
