import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { looksLikeSecret, quoteInput, redactText } from "../../src/secrets/redact.ts";
import { leaks, plantedSecret, prose } from "../support/secret-arbitraries.ts";

// Property tests: 5,000 generated cases in this file.
describe("redactText over generated credentials in every form", () => {
  it("leaves no 12 characters of a planted secret, wherever it sits in the text", () => {
    fc.assert(
      fc.property(prose, plantedSecret, prose, (before, secret, after) => {
        const out = redactText(`${before} ${secret.text} ${after}`);
        expect(leaks(out, secret.core), out).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it("never throws and is stable on any text", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const once = redactText(text);
        expect(redactText(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("quoteInput: what the user typed is quoted back only when it cannot be a secret", () => {
  it("describes every generated credential without a character of it", () => {
    fc.assert(
      fc.property(plantedSecret, (secret) => {
        expect(looksLikeSecret(secret.text)).toBe(true);
        const out = quoteInput(secret.text, "profile");
        expect(out).toBe("(the profile you gave looks like a token or OAuth code; it was not shown)");
      }),
      { numRuns: 1000 },
    );
  });

  it("quotes ordinary profile names and ids as typed", () => {
    // Words as people type them (work, Alice, acct2, TEAM), joined by the characters a name or an email allows;
    // under 40 characters, as a longer mixed-case run with digits is an opaque token to the redactor.
    const word = fc.stringMatching(/^(?:[A-Z]?[a-z]{1,6}|[A-Z]{1,4})\d{0,2}$/);
    const name = fc
      .tuple(word, fc.array(fc.tuple(fc.constantFrom(...".@+-".split("")), word), { maxLength: 3 }))
      .map(([first, rest]) => first + rest.map(([sep, w]) => sep + w).join(""))
      // "sk-" and 8 more characters is an API key's shape to the redactor: such a name is described, not quoted.
      .filter((n) => !/\bsk-.{8}/.test(n));
    fc.assert(
      fc.property(fc.constantFrom("", "openai:", "openai-codex:"), name, (provider, n) => {
        const value = `${provider}${n}`;
        expect(quoteInput(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 1000 },
    );
  });
});
