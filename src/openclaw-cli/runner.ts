import { type ChildProcess, spawn } from "node:child_process";
import type { Static, TSchema } from "@sinclair/typebox";
import type { OpenclawCliError } from "../errors/index.ts";
import type { Logger } from "../lib/logger.ts";
import {
  capabilitiesFor,
  type OpenclawCapabilities,
  type OpenclawVersion,
  parseOpenclawVersion,
} from "../openclaw/version.ts";
import { redactText } from "../secrets/redact.ts";
import { checkArgv } from "./argv.ts";
import { extractJson } from "./cli-output.ts";
import { type CliRun, classifyFailure, cliError } from "./failures.ts";
import { matches } from "./schemas.ts";
import { scriptArgs, splitLines } from "./terminal-lines.ts";

/**
 * The ONLY place that spawns a process. Every call: the argv checked by its command's rules, no shell, its
 * own process group with one deadline that kills the whole group, bounded output, failures classified.
 * Modes: plain (`runPlain`: the exit code is the caller's to read), checked (`run`: non-zero exit throws),
 * JSON (`runJson`: validated by a TypeBox schema), stdin-fed (`input`), and terminal (`startTerminal`:
 * `openclaw models auth login`, which insists on a terminal, under util-linux script(1)).
 */

/**
 * openclaw's own switch that keeps a command from writing the auth store: `models auth list`, for one,
 * otherwise syncs Codex-CLI-managed credentials into the store while it reads.
 */
const READ_ONLY_ENV: NodeJS.ProcessEnv = { OPENCLAW_AUTH_STORE_READONLY: "1" };

const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/** How long the pipes may stay open after openclaw itself exited (a helper it left behind holds them). */
const PIPE_GRACE_MS = 300;
/** How long a terminal child gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface OpenclawCliOptions {
  /** The executable; default OPENCLAW_BIN from env, else `openclaw` looked up on env.PATH. */
  bin?: string;
  /** Environment for the child (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Per-call deadline (default 60 s). */
  timeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

export interface RunOptions {
  timeoutMs?: number;
  /** A read: run with OpenClaw's read-only auth store switch. */
  readOnly?: boolean;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
}

export type TerminalExit = { kind: "exit"; code: number } | { kind: "timeout" } | { kind: "cancelled" };

export interface TerminalOptions {
  /** "script": a pseudo-terminal through util-linux script(1); "none": plain pipes. */
  pty: "script" | "none";
  timeoutMs: number;
  /** Every output line (stdout and stderr), raw; an unfinished line is passed on when it holds a prompt. */
  onLine: (line: string) => void;
  /** An unfinished line matching this is passed on as it is (a prompt waits without a newline). */
  promptPattern?: RegExp;
}

export interface TerminalProcess {
  /** Sends one line of input: with a carriage return on a terminal; on pipes stdin is closed after it. */
  sendLine(text: string): void;
  /** Stops the whole process group; `exited` then reports "cancelled". */
  cancel(): void;
  readonly running: boolean;
  readonly exited: Promise<TerminalExit>;
}

export class OpenclawCli {
  readonly bin: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly #logger: Logger | undefined;
  #version: Promise<OpenclawVersion> | undefined;

  constructor(options: OpenclawCliOptions = {}) {
    this.env = options.env ?? process.env;
    this.bin = options.bin ?? (this.env.OPENCLAW_BIN || "openclaw");
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#logger = options.logger;
  }

  /** Runs `openclaw <argv>`; resolves only on exit code 0, otherwise throws the classified failure. */
  async run(argv: string[], options: RunOptions = {}): Promise<CliRun> {
    const res = await this.runPlain(argv, options);
    if (res.exitCode !== 0) throw classifyFailure(res);
    return res;
  }

  /** Runs a --json command (always a read here) and validates its document against a schema. */
  async runJson<T extends TSchema>(argv: string[], schema: T): Promise<Static<T>> {
    const res = await this.run(argv, { readOnly: true });
    const doc = extractJson(res.stdout);
    if (!matches(schema, doc)) {
      throw cliError(
        "unexpected_output",
        `openclaw ${argv.slice(0, 4).join(" ")} printed output that does not match the expected JSON shape.`,
      );
    }
    return doc;
  }

  /** `openclaw --version`, once per OpenclawCli instance; a failed call is not kept, the next one asks again. */
  version(): Promise<OpenclawVersion> {
    this.#version ??= this.run(["--version"])
      .then((res) => {
        const v = parseOpenclawVersion(res.stdout);
        if (!v) throw cliError("unexpected_output", "openclaw --version printed no version number.");
        return v;
      })
      .catch((error: unknown) => {
        this.#version = undefined;
        throw error;
      });
    return this.#version;
  }

  async capabilities(): Promise<OpenclawCapabilities> {
    return capabilitiesFor(await this.version());
  }

  /**
   * Runs once and reports whatever exit code it had; only a refused argv, a missing binary, the deadline or runaway
   * output throw.
   */
  runPlain(argv: string[], options: RunOptions = {}): Promise<CliRun> {
    checkArgv(argv);
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const started = Date.now();
    const env = { ...this.env, ...(options.readOnly ? READ_ONLY_ENV : {}) };
    return new Promise((resolve, reject) => {
      const child = startGroup(this.bin, argv, env, options.input === undefined ? "ignore" : "pipe");
      if (options.input !== undefined) child.stdin?.end(options.input);
      const out = { stdout: "", stderr: "" };
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const collect = (stream: "stdout" | "stderr") => (d: string) => {
        out[stream] += d;
        if (out[stream].length <= MAX_OUTPUT_BYTES) return;
        killGroup(child, "SIGKILL");
        finish(() =>
          reject(
            cliError(
              "unexpected_output",
              `openclaw ${argv.slice(0, 4).join(" ")} printed more than ${MAX_OUTPUT_BYTES} bytes.`,
            ),
          ),
        );
      };
      // Decoded as a stream: a character split between two reads stays whole.
      child.stdout?.setEncoding("utf8").on("data", collect("stdout"));
      child.stderr?.setEncoding("utf8").on("data", collect("stderr"));
      const ended = (...[code, signal]: ExitStatus): void => {
        const ms = Date.now() - started;
        this.#logger?.debug({ argv, exitCode: code, signal, ms }, "openclaw call");
        finish(() => resolve({ argv, exitCode: code ?? 128, stdout: out.stdout, stderr: out.stderr, ms }));
      };
      const exit = whenFinished(child, ended);
      const timer = setTimeout(() => {
        killGroup(child, "SIGKILL");
        // openclaw itself exited in time: only a helper it left behind was still running.
        if (exit.status) return ended(...exit.status);
        finish(() =>
          reject(
            cliError(
              "openclaw_timeout",
              `openclaw ${argv.slice(0, 4).join(" ")} did not finish within ${timeoutMs} ms.`,
            ),
          ),
        );
      }, timeoutMs);
      child.on("error", (err: NodeJS.ErrnoException) => {
        finish(() => reject(spawnFailure(this.bin, err)));
      });
    });
  }

  /**
   * Starts an interactive openclaw command (login). Under script(1) the command line is run by /bin/sh -c:
   * every word is already checked (no quotes or shell characters) and single-quoted anyway.
   */
  startTerminal(argv: string[], options: TerminalOptions): TerminalProcess {
    checkArgv(argv);
    const child =
      options.pty === "script"
        ? startGroup("script", scriptArgs([this.bin, ...argv]), { ...this.env, SHELL: "/bin/sh" }, "pipe")
        : startGroup(this.bin, argv, this.env, "pipe");
    let stopped: "timeout" | "cancelled" | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: "timeout" | "cancelled"): void => {
      if (stopped) return;
      stopped = why;
      killGroup(child, "SIGTERM");
      // A child that ignores SIGTERM (or script(1) waiting for one) is not left running.
      killTimer = setTimeout(() => killGroup(child, "SIGKILL"), KILL_GRACE_MS);
    };
    splitLines([child.stdout, child.stderr], options.onLine, options.promptPattern);
    const exited = new Promise<TerminalExit>((resolve) => {
      const timer = setTimeout(() => stop("timeout"), options.timeoutMs);
      const settle = (exit: TerminalExit): void => {
        clearTimeout(timer);
        clearTimeout(killTimer);
        resolve(exit);
      };
      child.on("error", () => settle({ kind: "exit", code: 127 }));
      whenFinished(child, (code) => settle(stopped ? { kind: stopped } : { kind: "exit", code: code ?? 128 }));
    });
    return {
      sendLine(text) {
        const stdin = child.stdin;
        if (!stdin?.writable) return;
        if (options.pty === "script") stdin.write(`${text}\r`);
        else stdin.end(`${text}\n`);
      },
      cancel() {
        stop("cancelled");
      },
      get running() {
        return child.exitCode === null && child.signalCode === null;
      },
      exited,
    };
  }
}

/**
 * Children still running. Their deadlines are timers of this process, and their groups are not ours: when this
 * process exits (a Gateway stopping, a CLI stopped by a second Ctrl-C) they are stopped with it, not left to go on
 * unwatched (a change landing after its verify was given up, a login running until OpenClaw's own deadline).
 */
const running = new Set<ChildProcess>();
const stopRunning = (): void => {
  for (const child of running) killGroup(child, "SIGKILL");
};

/** Every child gets its own process group, so a deadline or a cancel stops openclaw's helpers too. */
function startGroup(bin: string, args: string[], env: NodeJS.ProcessEnv, stdin: "ignore" | "pipe"): ChildProcess {
  const child = spawn(bin, args, { env, shell: false, stdio: [stdin, "pipe", "pipe"], detached: true });
  // A child that closed its stdin before we wrote (EPIPE) is reported by its exit, not as an uncaught error.
  child.stdin?.on("error", () => {});
  if (running.size === 0) process.once("exit", stopRunning);
  running.add(child);
  const forget = (): void => {
    if (running.delete(child) && running.size === 0) process.off("exit", stopRunning);
  };
  child.once("close", forget);
  child.once("error", forget);
  return child;
}

type ExitStatus = [code: number | null, signal: NodeJS.Signals | null];

/**
 * Calls `done` with the leader's exit status once the output is complete: when the pipes close or, when a
 * helper left behind holds them open, a grace after the leader exited: the group is then killed and the
 * pipes get one more grace to drain. `status` is set once the leader exited.
 */
function whenFinished(child: ChildProcess, done: (...exit: ExitStatus) => void): { status?: ExitStatus } {
  const exit: { status?: ExitStatus } = {};
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    clearTimeout(timer);
    child.stdout?.destroy();
    child.stderr?.destroy();
    if (exit.status) done(...exit.status);
  };
  child.on("exit", (code, signal) => {
    exit.status = [code, signal];
    timer = setTimeout(() => {
      killGroup(child, "SIGKILL");
      timer = setTimeout(finish, PIPE_GRACE_MS);
    }, PIPE_GRACE_MS);
  });
  child.on("close", (code, signal) => {
    exit.status ??= [code, signal];
    finish();
  });
  return exit;
}

/** Signals the whole group, which outlives its leader while a helper of openclaw's still runs. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function spawnFailure(bin: string, err: NodeJS.ErrnoException): OpenclawCliError {
  if (err.code === "ENOENT" || err.code === "EACCES")
    return cliError("openclaw_not_found", `Cannot run ${JSON.stringify(bin)} (${err.code}).`);
  return cliError("openclaw_failed", `Cannot run openclaw: ${redactText(err.message)}`);
}
