import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { extractJson } from "../../src/openclaw-cli/cli-output.ts";

/** The extractor as it was: a parse of the rest of the output at every line starting with { or [. */
function extractJsonByEveryLine(stdout: string): unknown {
  const trimmed = stdout.trim();
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    // noise before the document
  }
  const lines = stdout.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const head = lines[i]?.trimStart() ?? "";
    if (!head.startsWith("{") && !head.startsWith("[")) continue;
    try {
      return JSON.parse(lines.slice(i).join("\n"));
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** An `auth list --json`-like document of n profiles, pretty-printed: a line starting with { for each. */
const listing = (n: number): string =>
  JSON.stringify(
    { agentDir: "/x", profiles: Array.from({ length: n }, (_, i) => ({ profileId: `openai:p${i}`, status: "ok" })) },
    null,
    2,
  );

afterEach(() => {
  vi.restoreAllMocks();
});

describe("extractJson on cut-off output", () => {
  it("a cut-off document of 2,000 profiles reads as none, with no parse of the rest per line", () => {
    const text = `OpenClaw 2026.9.6\n${listing(2_000).slice(0, -10)}`;
    const parse = vi.spyOn(JSON, "parse");
    expect(extractJson(text)).toBeUndefined();
    // The whole output once; before, once more for each of the 2,001 lines starting with {.
    expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it("cut right after a closing brace: the last whole object, as before, from one parse of the rest", () => {
    const full = listing(2_000);
    const text = full.slice(0, full.lastIndexOf("}", full.length - 6) + 1);
    expect(text.endsWith('"status": "ok"\n    }')).toBe(true);
    const parse = vi.spyOn(JSON, "parse");
    expect(extractJson(text)).toEqual({ profileId: "openai:p1999", status: "ok" });
    expect(parse.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it("brackets and quotes in noise lines and in strings do not hide the document", () => {
    const doc = { order: ["openai:a"], note: 'a "} ]" {[ \\ b' };
    const text = `[openclaw] Reason: x ] "\n{ not json\n"\n${JSON.stringify(doc, null, 2)}\n\n`;
    expect(extractJson(text)).toEqual(doc);
  });
});

describe("extractJson reads what the parse at every line read", () => {
  const noise = fc.oneof(
    fc.string({ maxLength: 20 }),
    fc.constantFrom("[openclaw] Reason: x", "{", "[", "}", "]", '"', '{"a":', "[1,", "Installed Gateway service"),
  );
  const doc = fc.jsonValue({ maxDepth: 2 });
  const output = fc
    .record({
      before: fc.array(noise, { maxLength: 4 }),
      value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(doc), fc.dictionary(fc.string(), doc)),
      indent: fc.nat(2),
      cut: fc.option(fc.nat(), { nil: undefined, freq: 1 }),
      after: fc.array(fc.oneof(noise, fc.constantFrom("", "  ")), { maxLength: 2 }),
      eol: fc.constantFrom("\n", "\r\n"),
    })
    .map(({ before, value, indent, cut, after, eol }) => {
      const text = JSON.stringify(value, null, indent);
      const body = cut === undefined ? text : text.slice(0, cut % (text.length + 1));
      return [...before, body, ...after].join(eol);
    });

  it("on noise, documents, cut-off documents and whatever follows them", () => {
    fc.assert(
      fc.property(output, (stdout) => {
        expect(extractJson(stdout)).toEqual(extractJsonByEveryLine(stdout));
      }),
      { numRuns: 2_000 },
    );
  });
});
