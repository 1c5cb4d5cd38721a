/**
 * What a command may do to the outside world. Commands take a RuntimeEnv instead of touching
 * process.stdout or process.exit, so tests capture their output without spawning, and every
 * --json path is one writeJson call.
 */
export interface RuntimeEnv {
  /** One line of human output on stdout. */
  log(line: string): void;
  /** One line of diagnostics on stderr. */
  error(line: string): void;
  /** The whole JSON result, once, on stdout. */
  writeJson(value: unknown): void;
  exit(code: ExitCode): void;
}

export const ExitCode = {
  ok: 0,
  failure: 1,
  badInput: 2,
  noProfiles: 3,
  refused: 4,
  applyFailed: 5,
  verifyMismatch: 6,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const processRuntime: RuntimeEnv = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
  writeJson: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
};
