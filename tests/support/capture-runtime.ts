import type { ExitCode } from "../../src/cli/exit-codes.ts";
import type { RuntimeEnv } from "../../src/cli/runtime.ts";

export interface CapturedRuntime extends RuntimeEnv {
  out: string[];
  err: string[];
  json: unknown[];
  code: ExitCode | null;
  /** Everything written, for leak assertions. */
  all(): string;
}

/** A RuntimeEnv that records instead of writing: commands run in-process, output asserted directly. */
export function captureRuntime(): CapturedRuntime {
  const rt: CapturedRuntime = {
    out: [],
    err: [],
    json: [],
    code: null,
    log: (line) => void rt.out.push(line),
    error: (line) => void rt.err.push(line),
    writeJson: (value) => void rt.json.push(JSON.parse(JSON.stringify(value))),
    signInUrl: (url, stream) => void (stream === "stdout" ? rt.out : rt.err).push(url),
    exit: (code) => {
      rt.code = code;
    },
    all: () => [...rt.out, ...rt.err, ...rt.json.map((j) => JSON.stringify(j))].join("\n"),
  };
  return rt;
}
