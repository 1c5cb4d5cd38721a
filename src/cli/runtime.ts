import type { ExitCode } from "./exit-codes.ts";

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

let pipeGuarded = false;

/** `codex_usage | head` closes our stdout early: that ends the command quietly, not with a stack trace. */
function write(stream: NodeJS.WriteStream, text: string): void {
  if (!pipeGuarded) {
    pipeGuarded = true;
    for (const s of [process.stdout, process.stderr]) {
      s.on("error", (err: NodeJS.ErrnoException) => {
        if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
        throw err;
      });
    }
  }
  stream.write(text);
}

export const processRuntime: RuntimeEnv = {
  log: (line) => write(process.stdout, `${line}\n`),
  error: (line) => write(process.stderr, `${line}\n`),
  writeJson: (value) => write(process.stdout, `${JSON.stringify(value, null, 2)}\n`),
  exit: (code) => {
    process.exitCode = code;
  },
};
