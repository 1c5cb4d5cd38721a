import { spawnSync } from "node:child_process";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import {
  containsSecret,
  errorMessage,
  looksLikeSecret,
  quoteInput,
  redactText,
  Secret,
} from "../../src/secrets/redact.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { expectNoSecrets } from "../support/secrets.ts";

/** A fixed base64url run that reads as random (no JWT boilerplate shared with the tokens above). */
const opaque = (seed: number): string =>
  Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 7919 + seed * 104729) % 251)).toString("base64url");

const token = fakeAccessToken({ accountId: "acc-1", userId: "user-1", email: "a@example.com", exp: 2_000_000_000 });

describe("Secret", () => {
  it("never prints its value through JSON, String, templates or inspect", () => {
    const s = new Secret(token);
    const printed = [JSON.stringify({ s }), String(s), `${s}`, inspect(s), inspect({ nested: { s } })];
    expectNoSecrets(printed, [token]);
    expect(s.reveal()).toBe(token);
  });
});

describe("errorMessage", () => {
  it("says what anything thrown says, redacted, and never throws itself", () => {
    expect(errorMessage(new Error(`rejected ${token}`))).toBe("rejected [redacted]");
    expect(errorMessage(`plain ${token}`)).toBe("plain [redacted]");
    const hostile = {
      toString() {
        throw new Error("no");
      },
    };
    const getter = Object.defineProperty(new Error(), "message", {
      get() {
        throw new Error("no");
      },
    });
    for (const thrown of [hostile, getter, undefined, new Error(""), "  "]) {
      expect(errorMessage(thrown)).toBe("no reason given");
      expect(errorMessage(thrown, "The command failed.")).toBe("The command failed.");
    }
    expect(errorMessage(42)).toBe("42");
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
      "https://x.example/next?u=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback" +
        "%3Fcode%3Dac_SECRETCODE123%26state%3Dst_SECRETSTATE456",
      '{"refresh":"rt_SECRETREFRESH789","access_token":"SECRETACCESS000"}',
      "{ refresh: 'rt_SECRETREFRESH789' }",
    ];
    for (const text of samples) expect(redactText(text), text).not.toMatch(/SECRET/);
  });

  it("knows every form openclaw or an endpoint prints: refresh tokens, codes, keys, JWT pieces, any encoding", () => {
    const samples = [
      "Error: refresh failed for rt_SECRETrefresh0123456789abcdef (invalid_grant)",
      "token exchange failed: code ac_SECRETauthcode0123456789 was already used",
      "OPENAI_API_KEY=sk-SECRETkey0123456789abcdefghij",
      `partial token ${token.slice(0, 190)}`,
      `payload ${token.split(".")[1]}`,
      "next=https%253A%252F%252Fx%253Fcode%253DSECRETdoubleencoded123%2526state%253Dabc",
      '{"url":"http://localhost:1455/auth/callback?code\\u003dSECRETjsonescaped123\\u0026state\\u003dz"}',
      "<a href='/cb?x=1&amp;code=SECRETentity1234567'>",
      "opaque 4fQ9kZp2LmN8xR7vT1bW6yH3jD5sC0aE9uGkPqXw seen",
    ];
    for (const text of samples) expect(redactText(text), text).not.toMatch(/SECRET|4fQ9kZp2LmN8/);
    expectNoSecrets(redactText(samples.join("\n")), [token]);
  });

  it("removes a JWT glued to a name, its header too: `work_eyJ…`, `acct1eyJ…`, `seat-eyJ…`", () => {
    // An unsigned header (or RS256 without a kid) is under the 40 characters of an opaque run: only its eyJ tells.
    const [header, payload] = token.split(".") as [string, string];
    expect(header.length).toBeLessThan(40);
    const pieces = [header.slice(0, 12), header.slice(-12), payload.slice(0, 12), payload.slice(-12)];
    for (const glue of ["x_", "9", "work_", "acct1", "seat-"]) {
      for (const text of [`${glue}${token}`, `openai-codex:${glue}${token} tail`, `${glue}${payload}`]) {
        const out = redactText(text);
        for (const piece of pieces) expect(out, text).not.toContain(piece);
      }
      // A header alone after "_" or "-" (a letter or a digit before it reads as a camelCase word, below); the
      // glue goes with it where the whole run is as long as an opaque token.
      if (!/[A-Za-z0-9]$/.test(glue)) {
        const glued = `${glue}${header}`;
        expect(redactText(glued)).toBe(glued.length >= 40 ? "[redacted]" : `${glue}[redacted]`);
      }
    }
    // A camelCase word holding "eyJ" is a word.
    for (const word of ["surveyJobsAccount", "monkeyJar2024", "keyJson.parse"]) expect(redactText(word)).toBe(word);
  });

  it("remembers the newest 1,000 credentials: a Gateway that runs for months does not scrub ever more of them", () => {
    new Secret("oldword-0001");
    expect(redactText("x oldword-0001 y")).toBe("x [redacted] y");
    for (let i = 0; i < 1_000; i++) new Secret(`renewed-${String(i).padStart(4, "0")}`);
    expect(redactText("x oldword-0001 y")).toBe("x oldword-0001 y");
    expect(redactText("x renewed-0999 y")).toBe("x [redacted] y");
  });

  it("scrubs a long run of eyJ in linear time: a hostile profile id of 200 KB does not freeze the gateway", () => {
    // Found by review: a regex that rescanned the run from every "eyJ" took 11 s on 144 KB, 4 times that on twice.
    for (const unit of ["eyJ", "eyJ-", "eyJ_", "a"]) {
      const run = unit.repeat(Math.ceil(200_000 / unit.length));
      expect(redactText(`openai:${run} tail`)).toBe(unit === "a" ? `openai:${run} tail` : "openai:[redacted] tail");
    }
  }, 5_000);

  it("removes an opaque token whole when it holds '-eyJ': the piece after it is not all there is", () => {
    // Found by secrets-fuzz: the JWT piece went first and left 30 characters of the token.
    const opaque = `aZ9${"A".repeat(27)}-eyJ${"A".repeat(9)}`;
    expect(redactText(`see ${opaque} here`)).toBe("see [redacted] here");
  });

  it("describes a pasted secret instead of quoting it, and quotes ordinary input", () => {
    for (const pasted of [
      token,
      token.slice(0, 190),
      "rt_abcdefghijklmnop1234",
      "openai:ac_abcdefghij12345",
      "http://localhost:1455/auth/callback?code=abcdefghij12&state=x",
      "x".repeat(200),
    ]) {
      expect(looksLikeSecret(pasted), pasted.slice(0, 12)).toBe(true);
      expect(quoteInput(pasted, "profile")).toBe(
        "(the profile you gave looks like a token or OAuth code; it was not shown)",
      );
    }
    expect(quoteInput("openai:work@example.com")).toBe('"openai:work@example.com"');
    // Found by the property test: a short name with a token's prefix is a name (the redactor's rule too).
    expect(quoteInput("sk-a")).toBe('"sk-a"');
  });

  it("describes a piece of a token too short for the redactor, and quotes names as people type them", () => {
    // An opaque token this process never held as a Secret (pieces of one it holds are refused by value, below).
    const payload = opaque(1);
    // 39 characters from the middle: no eyJ, no prefix, under the 40 of an opaque run.
    expect(looksLikeSecret(payload.slice(20, 59))).toBe(false);
    for (let start = 0; start + 39 <= payload.length; start++) {
      const piece = payload.slice(start, start + 39);
      expect(quoteInput(piece, "profile"), piece).toBe(
        "(the profile you gave looks like a token or OAuth code; it was not shown)",
      );
    }
    expect(quoteInput("Qm9vbXNoYWthbGFrYTEyMzQ1Njc4OTBhYmNkZW")).not.toContain("Qm9v");
    for (const typed of ["work", "MyWork", "iPhone15Pro", "alice2@example.com", "openai-codex:acct1-seat2", "10m"]) {
      expect(quoteInput(typed)).toBe(JSON.stringify(typed));
    }
  });

  it("containsSecret sees any piece of 8 characters or more of a credential held as a Secret", () => {
    const held = opaque(2);
    expect(containsSecret(held.slice(20, 59))).toBe(false);
    new Secret(held);
    for (const piece of [held.slice(20, 59), held.slice(30, 38), `Model ${held.slice(40, 52)}`]) {
      expect(containsSecret(piece), piece).toBe(true);
    }
    expect(containsSecret(held.slice(30, 37))).toBe(false);
    for (const field of ["plus", "self_serve_business_usage_based", "GPT-5.3-Codex-Spark", "gpt_5_3_codex_spark"]) {
      expect(containsSecret(field), field).toBe(false);
    }
  });

  it("takes a long run of URLs in one pass: 1 MB of 'http://' in a process given 20 s (it needed minutes)", () => {
    const redact = new URL("../../src/secrets/redact.ts", import.meta.url).href;
    const script =
      `const { redactText } = await import(${JSON.stringify(redact)});` +
      `const run = "http://".repeat(150_000);` +
      `console.log(JSON.stringify([redactText(run) === run, redactText(run + "x?code=abc123 tail"),` +
      `redactText("see " + "https://a.example/".repeat(50_000) + "cb?state=s1 and http://b.example/ok")]));`;
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(child.signal).toBeNull();
    expect(JSON.parse(child.stdout)).toEqual([
      true,
      "[redacted-url] tail",
      "see [redacted-url] and http://b.example/ok",
    ]);
  });

  it("leaves ordinary text alone", () => {
    const text = "🟢 `work` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**";
    expect(redactText(text)).toBe(text);
  });
});
