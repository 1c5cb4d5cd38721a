import { isIP } from "node:net";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import {
  assertAllowedEndpoint,
  DEFAULT_USAGE_URL,
  isLoopbackHost,
  resolveUsageEndpoint,
} from "../../src/usage/endpoint.ts";

const resolve = (value: string | undefined) =>
  resolveUsageEndpoint(value === undefined ? {} : { CODEX_PROFILER_USAGE_URL: value });

describe("resolveUsageEndpoint", () => {
  it("defaults to chatgpt.com over https", () => {
    expect(resolve(undefined).href).toBe(DEFAULT_USAGE_URL);
    expect(resolve("  ").href).toBe(DEFAULT_USAGE_URL);
  });

  it.each([
    "http://127.0.0.1:4321/backend-api/wham/usage",
    "https://127.0.0.1/backend-api/wham/usage",
    "http://127.8.9.10:80/x",
    "http://localhost:9/backend-api/wham/usage",
    "http://LOCALHOST/y",
    "http://[::1]:8080/backend-api/wham/usage",
    "http://[::ffff:127.0.0.1]:8080/z",
  ])("accepts the loopback override %s", (value) => {
    expect(resolve(value).protocol).toMatch(/^https?:$/);
  });

  it.each([
    ["another host", "https://example.com/backend-api/wham/usage"],
    ["chatgpt.com itself through the override", "https://chatgpt.com.evil.example/backend-api/wham/usage"],
    ["a private but not loopback address", "http://10.0.0.1/backend-api/wham/usage"],
    ["0.0.0.0", "http://0.0.0.0:8080/"],
    ["an IPv6 address that is not ::1", "http://[::2]/"],
    ["a mapped non-loopback IPv4", "http://[::ffff:10.0.0.1]/"],
    ["another scheme", "ftp://127.0.0.1/usage"],
    ["a file URL", "file:///etc/passwd"],
    ["credentials in the URL", "http://user:pw@127.0.0.1/usage"],
    ["a username alone", "http://tok@localhost/usage"],
    ["an unparsable value", "not a url"],
    ["a host-looking prefix", "http://127.0.0.1.nip.io/usage"],
  ])("refuses %s with usage_url_refused", (_what, value) => {
    let error: unknown;
    try {
      resolve(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe("usage_url_refused");
    expect((error as Error).message).toContain("loopback");
    // Credentials are never echoed back.
    expect((error as Error).message).not.toContain("pw@");
    expect((error as Error).message).not.toContain("tok@");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.255.255.254", true],
    ["[::1]", true],
    ["localhost", true],
    ["128.0.0.1", false],
    ["localhost.example.com", false],
    ["localhost.", false],
    ["chatgpt.com", false],
    ["127.evil.example", false],
    ["127.0.0.256", false],
    ["127.0.0.01", false],
    ["[::ffff:127.0.0.1]", true],
    ["[::ffff:7f00:1]", true],
    ["[::ffff:8000:1]", false],
    ["[::ffff:127.0.0.1.5]", false],
  ])("%s → %s", (host, expected) => expect(isLoopbackHost(host)).toBe(expected));

  it("reads an IPv4 address, plain or mapped, as node:net does", () => {
    const part = fc.oneof(fc.nat(300).map(String), fc.constantFrom("127", "00", "01", "0127", "1e2", "", "x"));
    const address = fc.array(part, { minLength: 3, maxLength: 5 }).map((ps) => ps.join("."));
    fc.assert(
      fc.property(address, fc.boolean(), (v4, mapped) => {
        const expected = isIP(v4) === 4 && v4.startsWith("127.");
        expect(isLoopbackHost(mapped ? `[::ffff:${v4}]` : v4)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("assertAllowedEndpoint", () => {
  it("allows the official URL and loopback, refuses the rest", () => {
    expect(() => assertAllowedEndpoint(new URL(DEFAULT_USAGE_URL))).not.toThrow();
    expect(() => assertAllowedEndpoint(new URL("http://127.0.0.1:1/x"))).not.toThrow();
    expect(() => assertAllowedEndpoint(new URL("http://chatgpt.com/backend-api/wham/usage"))).toThrow(InputError);
    expect(() => assertAllowedEndpoint(new URL("https://api.openai.com/x"))).toThrow(InputError);
  });
});
