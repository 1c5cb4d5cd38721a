import { createInterface } from "node:readline";
import { type LoginEvent, type LoginResult, loginStartFailure, startLogin } from "../models-auth/index.ts";
import type { OpenclawCli } from "../openclaw-cli/index.ts";
import type { AuthArgs, AuthCommand } from "./auth-args.ts";
import { type ExitCode, exitCodeFor } from "./exit-codes.ts";
import type { RuntimeEnv } from "./runtime.ts";

/** Reads one line the user pastes (the redirect URL); null when input ended or the signal fired. Must not echo it. */
export type ReadSecretLine = (prompt: string, signal: AbortSignal) => Promise<string | null>;

export interface LoginCommandDeps {
  env: NodeJS.ProcessEnv;
  cli: OpenclawCli;
  readSecretLine?: ReadSecretLine;
  pty?: "script" | "none";
}

/**
 * codex_auth login: relays the device-code URL + user code or the authorize URL, passes the pasted
 * redirect URL to openclaw, then verifies the profile. Live instructions go to stderr in json mode
 * (stdout carries the one JSON result) and to stdout in text mode.
 */
export async function runLoginCommand(
  args: AuthArgs,
  cmd: Extract<AuthCommand, { kind: "login" }>,
  rt: RuntimeEnv,
  deps: LoginCommandDeps,
): Promise<ExitCode> {
  const stream = args.format === "json" ? "stderr" : "stdout";
  const say = stream === "stderr" ? rt.error : rt.log;
  const readLine = deps.readSecretLine ?? readStdinLine;
  let result: LoginResult;
  try {
    let pending: Promise<void> = Promise.resolve();
    const stopReading = new AbortController();
    let asked = false;
    let inputClosed = false;
    const session = await startLogin({
      profileName: cmd.profileName,
      deviceCode: cmd.deviceCode,
      ...(args.agent ? { agentId: args.agent } : {}),
      env: deps.env,
      cli: deps.cli,
      ...(deps.pty ? { pty: deps.pty } : {}),
      timeoutMs: Math.max(args.timeoutSec * 1000, 15 * 60_000),
      onEvent: (event: LoginEvent) => {
        for (const line of describeEvent(event)) say(line);
        if (event.type === "authorize-url") rt.signInUrl(event.url, stream);
        if ((event.type === "authorize-url" || event.type === "redirect-prompt") && !asked) {
          asked = true;
          pending = askForRedirect();
        }
      },
    });
    async function askForRedirect(): Promise<void> {
      const line = await readLine(
        "Paste the redirect URL from the browser (it is passed to openclaw and not shown or kept): ",
        stopReading.signal,
      );
      if (line === null) {
        // Input ended (not our own abort): nobody can paste any more, so waiting would hang.
        if (!stopReading.signal.aborted) {
          inputClosed = true;
          session.cancel();
        }
        return;
      }
      try {
        session.submitRedirect(line);
      } catch (err) {
        say(`error: ${(err as Error).message}`);
        session.cancel();
      }
    }
    // Ctrl-C or a kill stops openclaw's login too (it runs in its own process group).
    const stop = (): void => session.cancel();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    try {
      result = await session.result;
    } finally {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      // The browser may have reached openclaw's localhost callback by itself: stop waiting for a paste.
      stopReading.abort();
    }
    await pending;
    if (inputClosed && result.error?.code === "login_cancelled") result = inputClosedResult(result);
  } catch (err) {
    result = loginStartFailure(err);
  }
  const exitCode = exitCodeFor(result.outcome);
  if (args.format === "json") {
    const { outcome: _outcome, ok, ...rest } = result;
    rt.writeJson({ action: "login", ok, exitCode, ...rest });
  } else {
    rt.log(
      result.ok
        ? `logged in: ${result.profileId} (${result.profileStatus ?? "saved"})`
        : `login failed (${result.error?.code}): ${result.error?.message}`,
    );
    for (const n of result.notes) rt.log(`note: ${n}`);
  }
  return exitCode;
}

function inputClosedResult(result: LoginResult): LoginResult {
  return {
    ...result,
    error: {
      code: "login_input_closed",
      message:
        "the input closed before a redirect URL was pasted; run codex_auth login in a terminal, or add --device-code",
    },
  };
}

function describeEvent(event: LoginEvent): string[] {
  switch (event.type) {
    case "started":
      return [`running: ${event.command.join(" ")}`];
    case "device-code":
      return [
        `Open ${event.verificationUrl} and enter the one-time code ${event.userCode} (it expires in about 15 ` +
          `minutes; never share it).`,
      ];
    case "authorize-url":
      return ["Open this URL in your browser and sign in:"];
    case "redirect-prompt":
      return [];
    case "verifying":
      return ["verifying the new profile with openclaw…"];
  }
}

const readStdinLine: ReadSecretLine = (prompt, signal) =>
  process.stdin.isTTY ? readHidden(prompt, signal) : readLine(prompt, signal);

function readLine(prompt: string, signal: AbortSignal): Promise<string | null> {
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    const rl = createInterface({ input: process.stdin, terminal: false });
    let got = false;
    const onAbort = (): void => rl.close();
    signal.addEventListener("abort", onAbort, { once: true });
    rl.once("line", (line) => {
      got = true;
      resolve(line);
      rl.close();
    });
    rl.once("close", () => {
      signal.removeEventListener("abort", onAbort);
      process.stdin.pause();
      if (!got) resolve(null);
    });
  });
}

/**
 * On a terminal the pasted redirect URL (it holds the OAuth code) is read with echo off, as the prompt says; echo is
 * off before the prompt shows, so that nothing pasted at once is echoed.
 */
function readHidden(prompt: string, signal: AbortSignal): Promise<string | null> {
  const stdin = process.stdin;
  return new Promise((resolve) => {
    let line = "";
    const done = (value: string | null): void => {
      stdin.off("data", onData);
      signal.removeEventListener("abort", onAbort);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
      resolve(value);
    };
    const onAbort = (): void => done(null);
    const onData = (chunk: string): void => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          done(line);
          return;
        }
        // Ctrl-C, or Ctrl-D on an empty line: no URL comes (raw mode turns Ctrl-C into a character).
        if (ch === "\u0003" || (ch === "\u0004" && line === "")) {
          done(null);
          return;
        }
        if (ch === "\u007f" || ch === "\b") line = line.slice(0, -1);
        else if (ch >= " ") line += ch;
      }
    };
    signal.addEventListener("abort", onAbort, { once: true });
    stdin.setRawMode(true);
    stdin.setEncoding("utf8");
    stdin.on("data", onData);
    stdin.resume();
    process.stderr.write(prompt);
  });
}
