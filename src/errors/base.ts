/**
 * The one base of every error codex-profiler throws on purpose. Each domain is one subclass with a closed
 * union of codes; a code belongs to exactly one domain. `.code` is read through isCodexProfilerError,
 * never by duck typing.
 */
export interface ErrorDetails {
  /** One short sentence telling the user what to do. */
  hint?: string | undefined;
  /** The file or folder the error is about. */
  path?: string | undefined;
}

export abstract class CodexProfilerError<C extends string = string> extends Error {
  abstract readonly domain: string;
  readonly code: C;
  readonly hint: string | null;
  readonly path: string | null;

  constructor(code: C, message: string, details: ErrorDetails = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.hint = details.hint ?? null;
    this.path = details.path ?? null;
  }
}

export function isCodexProfilerError(error: unknown): error is CodexProfilerError {
  return error instanceof CodexProfilerError;
}
