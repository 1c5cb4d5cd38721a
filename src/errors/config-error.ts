import { CodexProfilerError } from "./base.ts";

/** openclaw.json cannot be used: not JSON5, a part of the wrong shape, or not readable. */
export type ConfigProblem =
  | { kind: "syntax"; detail: string }
  | { kind: "shape"; detail: string }
  /** `file`: refused before reading, as a FIFO, device or folder (not_a_file) or over the size bound. */
  | { kind: "unreadable"; detail: string; file?: "not_a_file" | "file_too_large" };

export type ConfigErrorCode = "config_syntax" | "config_shape" | "config_unreadable";

export class ConfigFileError extends CodexProfilerError<ConfigErrorCode> {
  readonly domain = "config";
  readonly problem: ConfigProblem;

  constructor(path: string, problem: ConfigProblem) {
    super(`config_${problem.kind}`, `OpenClaw config ${path} is not usable (${problem.kind}: ${problem.detail})`, {
      path,
    });
    this.problem = problem;
  }
}
