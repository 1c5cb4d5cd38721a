import { afterEach, describe, expect, it, vi } from "vitest";
import { processRuntime } from "../../src/cli/runtime.ts";

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
});
