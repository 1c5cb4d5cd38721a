import { terminalSafeJson } from "../lib/display-text.ts";
import { redactText } from "../secrets/redact.ts";
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
  /**
   * The sign-in URL OpenClaw's browser login prints, for the user to open, on stdout or stderr. Never scrubbed:
   * its `state` and PKCE challenge are public, and the scrubber would hide the one URL the user needs.
   */
  signInUrl(url: string, stream: "stdout" | "stderr"): void;
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

/** Every key and string of a JSON value through redactText (after toJSON, as it will be printed). */
function redactJson(value: unknown): unknown {
  if (typeof value === "string") return redactText(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [redactText(k), redactJson(v)]));
}

// OpenClaw takes profile ids with any character: an ESC or CSI in one would drive the user's terminal.
const TERMINAL_CONTROL = /(?![\n\t])\p{Cc}/gu;
const printable = (line: string): string => `${redactText(line).replace(TERMINAL_CONTROL, "\uFFFD")}\n`;

/**
 * What leaves the process is scrubbed like a chat reply (src/chat/reply.ts): the data may hold a stored id shaped
 * like a token (the user's own profile or API-key id), which is never printed as is.
 */
export const processRuntime: RuntimeEnv = {
  log: (line) => write(process.stdout, printable(line)),
  error: (line) => write(process.stderr, printable(line)),
  signInUrl: (url, stream) => write(stream === "stdout" ? process.stdout : process.stderr, `${url}\n`),
  writeJson: (value) => {
    const plain: unknown = JSON.parse(JSON.stringify(value) ?? "null");
    write(process.stdout, `${terminalSafeJson(JSON.stringify(redactJson(plain), null, 2))}\n`);
  },
  exit: (code) => {
    process.exitCode = code;
  },
};
