import { delimiter, join } from "node:path";
import { InputError, LoginError, type LoginErrorCode } from "../errors/index.ts";
import { redactText } from "../secrets/redact.ts";
import { checkRedirectInput, cleanLine, type TranscriptEvent, TranscriptReader } from "./login-transcript.ts";
import type { OpenclawCli, TerminalExit } from "./runner.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

/**
 * The process side of `openclaw models auth login`: started through the runner's terminal mode, its output
 * read as a transcript (device code, authorize URL, paste prompt), the redirect URL the user pastes written
 * once the prompt is up, and never echoed: any line holding what was pasted is dropped.
 */
export interface LoginProcessOptions {
  cli: OpenclawCli;
  /** The openclaw argv (models auth login …). */
  argv: string[];
  /** "script": a pseudo-terminal through script(1); "none": plain pipes (fakes, hosts without script). */
  pty: "script" | "none";
  timeoutMs: number;
  onEvent?: (event: TranscriptEvent) => void;
}

interface LoginProcessEnd {
  /** null when openclaw exited 0. */
  failure: { code: LoginErrorCode; message: string } | null;
}

export interface LoginProcess {
  submitRedirect(input: string): void;
  cancel(): void;
  readonly ended: Promise<LoginProcessEnd>;
}

// The prompt itself, not the note that mentions pasting; an unfinished line holding it is read at once.
const PROMPT_PENDING = /Paste the/;

export function startLoginProcess(opts: LoginProcessOptions): LoginProcess {
  const reader = new TranscriptReader();
  // What the user pasted, kept only while the child runs, so that an echo of it is dropped.
  let pasted: string[] = [];
  let browserFlow = false;
  let promptShown = false;
  let queued: string | null = null;
  let submitted = false;
  const tail: string[] = [];
  const writeQueued = (): void => {
    if (queued === null || !promptShown) return;
    const value = queued;
    queued = null;
    // Written only once openclaw's prompt is up: input typed ahead of it is lost on a terminal.
    terminal.sendLine(value);
  };
  const onLine = (raw: string): void => {
    const line = cleanLine(raw);
    if (line === "" || pasted.some((p) => line.includes(p))) return;
    for (const event of reader.feed(line)) {
      if (event.type === "authorize-url") browserFlow = true;
      if (event.type === "redirect-prompt") {
        browserFlow = true;
        promptShown = true;
      }
      opts.onEvent?.(event);
      writeQueued();
    }
    const safe = redactText(line);
    tail.push(safe.length > 300 ? `${safe.slice(0, 300)}…` : safe);
    if (tail.length > 12) tail.shift();
  };
  const terminal = opts.cli.startTerminal(opts.argv, {
    pty: opts.pty,
    timeoutMs: opts.timeoutMs,
    onLine,
    promptPattern: PROMPT_PENDING,
  });
  const ended = terminal.exited.then((exit): LoginProcessEnd => {
    pasted = [];
    queued = null;
    return { failure: failureOf(exit, tail) };
  });
  return {
    submitRedirect(input: string): void {
      if (!checkRedirectInput(input)) {
        throw new InputError(
          "missing_argument",
          "That is not a redirect URL with a code (paste the whole address the browser ended on).",
        );
      }
      if (!browserFlow || submitted || !terminal.running)
        throw new LoginError("login_not_waiting", "The login is not waiting for a redirect URL.");
      const value = input.trim();
      submitted = true;
      pasted = secretParts(value);
      // OpenClaw first waits ~15 s for the browser to reach its localhost callback, then prompts.
      queued = value;
      writeQueued();
    },
    cancel: () => terminal.cancel(),
    ended,
  };
}

function failureOf(exit: TerminalExit, tail: string[]): LoginProcessEnd["failure"] {
  if (exit.kind === "exit" && exit.code === 0) return null;
  if (exit.kind === "timeout") return { code: "login_timeout", message: "login timed out" };
  if (exit.kind === "cancelled") return { code: "login_cancelled", message: "login was cancelled" };
  const code: LoginErrorCode = tail.some((l) => /interactive TTY/.test(l)) ? "login_needs_tty" : "login_failed";
  return { code, message: `openclaw models auth login exited ${exit.code}: ${lastMeaningful(tail)}` };
}

/** The pasted value and its code parameter: any line holding either is dropped. */
function secretParts(value: string): string[] {
  const parts = [value];
  try {
    const u = new URL(value);
    for (const key of ["code", "state"]) {
      const v = u.searchParams.get(key);
      if (v && v.length >= 6) parts.push(v);
    }
  } catch {
    // a bare code: the value itself is enough
  }
  return parts;
}

function lastMeaningful(tail: string[]): string {
  const lines = tail.filter((l) => !/^Installed Gateway service/.test(l) && !/^OpenClaw \d{4}\./.test(l));
  const at = lines.findIndex((l) => /requires|failed|error|not /i.test(l));
  if (at === -1) return lines[lines.length - 1] ?? "(no output)";
  // "OpenAI device code failed" is followed by its cause ("getaddrinfo ENOTFOUND auth.openai.com").
  const next = lines[at + 1];
  return next && /^[a-z]+ [A-Z_]{4,}|ENOTFOUND|ECONN|ETIMEDOUT/.test(next)
    ? `${lines[at]}: ${next}`
    : (lines[at] as string);
}

/** Whether a command is on the PATH the child will see (script(1) for the pseudo-terminal). */
export function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}
