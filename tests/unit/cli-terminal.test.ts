import { afterEach, describe, expect, it, vi } from "vitest";
import { processRuntime } from "../../src/cli/runtime.ts";
import { createLogger } from "../../src/lib/logger.ts";

afterEach(() => vi.restoreAllMocks());

describe("the CLIs' text lines", () => {
  it("carry no terminal control from a stored id (ESC, CSI, BEL, CR), only their own line breaks and tabs", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    processRuntime.log("1. openai:a\u001b]52;c;cHduZWQ=\u0007b\u009b2J\r\tok\nnext");
    expect(out).toEqual(["1. openai:a\uFFFD]52;c;cHduZWQ=\uFFFDb\uFFFD2J\uFFFD\tok\nnext\n"]);
  });

  it("JSON carries C1 controls, bidi overrides and separators escaped, the value unchanged", () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const value = { label: "c1\u009b31mX\u202eY\u2028z\u007f", plain: "🟢 ok" };
    processRuntime.writeJson(value);
    expect(out.join("")).not.toMatch(/[\u007f-\u009f\u202e\u2028]/u);
    expect(JSON.parse(out.join(""))).toEqual(value);
  });

  it("a log line carries none of them either", () => {
    const lines: string[] = [];
    const destination = { write: (line: string) => lines.push(line) } as unknown as NodeJS.WritableStream;
    const logger = createLogger({ debug: true, destination, redact: (t) => t });
    logger.debug({ profile: "a\u009b2J\u202eb" }, "read \u001b[31mred");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what must not reach the terminal
    expect(lines.join("")).not.toMatch(/[\u001b\u007f-\u009f\u202e]/u);
    expect(lines.join("")).toContain("a\uFFFD2J\uFFFDb");
  });
});
