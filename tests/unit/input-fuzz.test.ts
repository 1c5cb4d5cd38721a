import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAuthIntent } from "../../src/chat/auth-args.ts";
import { parseAuthCliArgs } from "../../src/cli/auth-args.ts";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { parseUsageArgs } from "../../src/cli/usage-args.ts";
import { InputError } from "../../src/errors/index.ts";
import { INPUT_ERROR_CODES } from "../../src/errors/input-error.ts";
import { leaks, plantedSecret } from "../support/secret-arbitraries.ts";

// Property tests: 4,500 generated cases in this file.
const FLAGS = [
  "--profile",
  "--format",
  "--agent",
  "--timeout-sec",
  "--retries",
  "--concurrency",
  "--auth-path",
  "--every",
  "--yes",
  "--force",
  "--help",
  "--debug",
  "--no-cache",
  "--forecast",
  "--details",
  "--",
  "-p",
];
const WORDS = [
  "status",
  "first",
  "retire",
  "restore",
  "delete",
  "login",
  "order",
  "show",
  "set",
  "clear",
  "doctor",
  "plan",
  "apply",
  "job",
  "run",
  "install",
  "json",
  "text",
  "all",
  "default",
  "1",
  "0",
  "-1",
  "1e9",
  "constructor",
  "toString",
  "__proto__",
  "hasOwnProperty",
  "openai:work",
  "openai-codex:x",
  "",
  " ",
  "\n",
  "a\r\nb",
  "é",
  "🟢",
];
const token = fc.oneof(
  fc.constantFrom(...FLAGS, ...WORDS),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom(...FLAGS).map((f) => `${f}=`),
);
const argv = fc.array(token, { maxLength: 8 });
const PARSERS = { codex_usage: parseUsageArgs, codex_rotate: parseRotateArgs, codex_auth: parseAuthCliArgs };

/** A parse either gives flags or throws InputError with a code of the closed set: never anything else. */
function parsesOrRefuses(parse: (argv: string[]) => unknown, args: string[]): string {
  try {
    parse(args);
    return "";
  } catch (err) {
    expect(err, JSON.stringify(args)).toBeInstanceOf(InputError);
    expect(INPUT_ERROR_CODES).toContain((err as InputError).code);
    return (err as InputError).message;
  }
}

describe("argv of the three CLIs", () => {
  for (const [name, parse] of Object.entries(PARSERS)) {
    it(`${name}: any argv parses or ends in a documented input code`, () => {
      fc.assert(
        fc.property(argv, (args) => void parsesOrRefuses(parse, args)),
        { numRuns: 1000 },
      );
    });
  }

  it("a pasted secret anywhere in argv never appears in the refusal", () => {
    fc.assert(
      fc.property(argv, plantedSecret, fc.nat(8), fc.constantFrom(...Object.values(PARSERS)), (args, s, at, parse) => {
        const planted = [...args.slice(0, at), s.text, ...args.slice(at)];
        expect(leaks(parsesOrRefuses(parse, planted), s.core)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the chat's /codex_auth argument parser", () => {
  it("turns any text into one intent of the closed set, never an inherited verb", () => {
    const kinds = [
      "menu",
      "status",
      "profile-menu",
      "mutate",
      "login",
      "login-check",
      "optimize",
      "confirm",
      "cancel",
      "invalid",
    ];
    const text = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 5 });
    fc.assert(
      fc.property(text, (words) => {
        const intent = parseAuthIntent(words.join(" ").trim().replace(/\s+/g, " "));
        expect(kinds).toContain(intent.kind);
      }),
      { numRuns: 500 },
    );
    expect(parseAuthIntent("constructor")).toEqual({ kind: "profile-menu", selector: "constructor" });
    expect(parseAuthIntent("toString first")).toEqual({ kind: "mutate", action: "first", selector: "toString" });
  });
});
