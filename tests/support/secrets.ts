import { expect } from "vitest";
import { jwtPayloadSegment } from "./fake-jwt.ts";

/**
 * Asserts that none of the given secrets, nor the JWT payload segment of any of them, nor a decoded
 * payload, appears in the given texts.
 */
export function expectNoSecrets(texts: string | string[], secrets: string[]): void {
  const haystack = Array.isArray(texts) ? texts.join("\n") : texts;
  for (const s of secrets) {
    expect(haystack.includes(s), `a secret leaked: ${s.slice(0, 6)}…`).toBe(false);
    const payload = s.includes(".") ? jwtPayloadSegment(s) : "";
    if (payload.length > 8) {
      expect(haystack.includes(payload), "a JWT payload segment leaked").toBe(false);
      const decoded = Buffer.from(payload, "base64url").toString("utf8");
      expect(haystack.includes(decoded), "a decoded JWT payload leaked").toBe(false);
    }
  }
  expect(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\./.test(haystack), "something JWT-shaped leaked").toBe(false);
}
