import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";
import { ExitCode } from "../cli/runtime.ts";
import type { Logger } from "../log/logger.ts";
import type { CodexProviderId } from "../openclaw/provider.ts";
import { redactText } from "../secrets/redact.ts";
import { GatewayError } from "./gateway-error.ts";
import { InputError } from "./input-error.ts";
import { LoginError, type LoginErrorCode } from "./login-error.ts";
import { checkRedirectInput, cleanLine, TranscriptReader, type TranscriptEvent } from "./login-transcript.ts";
import { OpenclawCli } from "./openclaw-cli.ts";
import { agentArgs, isUsable, readSnapshot, type GatewaySnapshot, type HealthStatus } from "./snapshot.ts";
import { assertSafeArgv, validateAgentId, validateProfileName } from "./validate.ts";

export type LoginEvent = TranscriptEvent | { type: "started"; command: string[] } | { type: "verifying" };

export interface LoginOptions {
  /** The name after "<provider>:"; omitted = OpenClaw names the profile after the account. */
  profileName?: string | null;
  deviceCode?: boolean;
  agentId?: string;
  env?: NodeJS.ProcessEnv;
  cli?: OpenclawCli;
  logger?: Logger;
  /**
   * `openclaw models auth login` refuses to run without a terminal on stdin. "script" gives it a
   * pseudo-terminal through util-linux script(1); "none" uses plain pipes (fakes, or hosts without
   * script). Default: "script" when script is on PATH.
   */
  pty?: "script" | "none";
  /** The whole login, default 15 min (device codes expire after 15 min). */
  timeoutMs?: number;
  onEvent?: (event: LoginEvent) => void;
}

export interface LoginResult {
  ok: boolean;
  exitCode: ExitCode;
  provider: CodexProviderId | null;
  /** The profile that was created or refreshed, when it could be identified. */
  profileId: string | null;
  profileStatus: HealthStatus | null;
  /** Profiles that exist now and did not before. */
  newIds: string[];
  notes: string[];
  error: { code: string; message: string } | null;
}

export interface LoginSession {
  /**
   * Hands the redirect URL (or code) the user pasted to openclaw, as soon as its prompt is up; it is
   * not echoed, logged or kept. Allowed once the authorize URL was relayed.
   */
  submitRedirect(input: string): void;
  cancel(): void;
  readonly result: Promise<LoginResult>;
}

export const CODEX_CLI_WARNING =
  "Do not add accounts with the Codex CLI itself (`codex login`): it revokes the account that was stored before it. Add each account through this login.";

const DEFAULT_LOGIN_TIMEOUT_MS = 15 * 60_000;

/**
 * Starts `openclaw models auth login` as a managed child process and relays what the user must do.
 * Throws InputError/LoginError for bad input or an unsupported version (nothing spawned then);
 * every later outcome arrives in `result`.
 */
export async function startLogin(opts: LoginOptions): Promise<LoginSession> {
  const name = opts.profileName ? validateProfileName(opts.profileName) : null;
  const agentId = opts.agentId === undefined ? null : validateAgentId(opts.agentId);
  const env = opts.env ?? process.env;
  const cli = opts.cli ?? new OpenclawCli({ env, logger: opts.logger });
  const caps = await cli.capabilities();
  if (name && !caps.profileIdFlag) throw new LoginError("login_unsupported", "This OpenClaw cannot name the profile at login (--profile-id needs 2026.5+); omit --profile.");
  if (opts.deviceCode && !caps.deviceCode) throw new LoginError("login_unsupported", "This OpenClaw has no device-code login (2026.5+); use the browser flow.");
  const provider = caps.provider;
  const profileId = name ? `${provider}:${name}` : null;
  const argv = [
    "models", "auth", "login", "--provider", provider,
    ...(profileId ? ["--profile-id", profileId] : []),
    ...(opts.deviceCode ? ["--device-code"] : []),
    ...agentArgs(agentId),
  ];
  assertSafeArgv(argv);

  // Preflight first: a state OpenClaw would refuse (e.g. migration required) stops the login before it starts.
  const prior = await readSnapshot(cli, { provider, agentId, caps, withList: true });
  const usePty = (opts.pty ?? (onPath("script", env) ? "script" : "none")) === "script";
  const child = usePty
    ? spawn("script", ["-qefc", ptyCommand([cli.bin, ...argv]), "/dev/null"], { env: { ...env, SHELL: "/bin/sh" }, stdio: ["pipe", "pipe", "pipe"], detached: true })
    : spawn(cli.bin, argv, { env, shell: false, stdio: ["pipe", "pipe", "pipe"], detached: true });
  opts.onEvent?.({ type: "started", command: ["openclaw", ...argv] });

  const reader = new TranscriptReader();
  // What the user pasted, kept only while the child runs, so that an echo of it is dropped.
  let pasted: string[] = [];
  let browserFlow = false;
  let promptShown = false;
  let queued: string | null = null;
  let submitted = false;
  const writeQueued = (): void => {
    if (queued === null || !promptShown) return;
    const value = queued;
    queued = null;
    // Written only once openclaw's prompt is up: input typed ahead of it is lost on a terminal.
    if (usePty) child.stdin?.write(`${value}\r`);
    else child.stdin?.end(`${value}\n`);
  };
  const tail: string[] = [];
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
  splitLines(child, onLine);

  const exited = waitForExit(child, opts.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS);
  const result = exited.then(async (exit): Promise<LoginResult> => {
    pasted = [];
    queued = null;
    const base: LoginResult = { ok: false, exitCode: ExitCode.applyFailed, provider, profileId, profileStatus: null, newIds: [], notes: [CODEX_CLI_WARNING], error: null };
    if (exit.kind !== "exit" || exit.code !== 0) {
      const code: LoginErrorCode = exit.kind === "timeout" ? "login_timeout" : exit.kind === "cancelled" ? "login_cancelled" : tail.some((l) => /interactive TTY/.test(l)) ? "login_needs_tty" : "login_failed";
      const why = exit.kind === "exit" ? `openclaw models auth login exited ${exit.code}: ${lastMeaningful(tail)}` : `login ${exit.kind === "timeout" ? "timed out" : "was cancelled"}`;
      return { ...base, error: { code, message: why } };
    }
    opts.onEvent?.({ type: "verifying" });
    let after: GatewaySnapshot;
    try {
      after = await readSnapshot(cli, { provider, agentId, caps, withList: true });
    } catch (err) {
      const e = err instanceof GatewayError ? err : new GatewayError("openclaw_failed", redactText(String(err)));
      return { ...base, exitCode: ExitCode.verifyMismatch, error: { code: e.code, message: `login finished but could not be verified: ${e.message}` } };
    }
    const newIds = after.knownIds.filter((id) => !prior.knownIds.includes(id));
    const id = profileId ?? (newIds.length === 1 ? (newIds[0] as string) : null);
    const health = id ? after.profiles.find((p) => p.id === id) : undefined;
    const exists = id !== null && after.knownIds.includes(id);
    const notes = [...base.notes];
    if (exists && after.storedOrder !== null && !after.storedOrder.includes(id)) {
      notes.push(`${id} is saved but not in the stored order; \`codex_auth restore ${id}\` adds it.`);
    }
    if (!exists || (health && !isUsable(health))) {
      return {
        ...base, exitCode: ExitCode.verifyMismatch, profileId: id, newIds, notes,
        profileStatus: health?.status ?? null,
        error: { code: "login_unverified", message: id ? `${id} is ${exists ? health?.status : "not saved"} after the login.` : "The login finished but no new profile could be identified; run codex_auth status." },
      };
    }
    return { ...base, ok: true, exitCode: ExitCode.ok, profileId: id, newIds, notes, profileStatus: health?.status ?? null };
  });

  return {
    submitRedirect(input: string): void {
      if (!checkRedirectInput(input)) throw new InputError("missing_argument", "That is not a redirect URL with a code (paste the whole address the browser ended on).");
      if (!browserFlow || submitted || child.exitCode !== null) throw new LoginError("login_not_waiting", "The login is not waiting for a redirect URL.");
      const value = input.trim();
      submitted = true;
      pasted = secretParts(value);
      // OpenClaw first waits ~15 s for the browser to reach its localhost callback, then prompts.
      queued = value;
      writeQueued();
    },
    cancel(): void {
      cancelRequested.add(child);
      killGroup(child);
    },
    result,
  };
}

const cancelRequested = new WeakSet<ChildProcess>();

type Exit = { kind: "exit"; code: number } | { kind: "timeout" } | { kind: "cancelled" };

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      killGroup(child);
      resolve({ kind: "timeout" });
    }, timeoutMs);
    child.on("error", () => {
      clearTimeout(timer);
      resolve({ kind: "exit", code: 127 });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(cancelRequested.has(child) ? { kind: "cancelled" } : { kind: "exit", code: code ?? 128 });
    });
  });
}

function splitLines(child: ChildProcess, onLine: (line: string) => void): void {
  for (const stream of [child.stdout, child.stderr]) {
    let buf = "";
    stream?.on("data", (d: Buffer) => {
      buf += d.toString("utf8");
      const parts = buf.split(/\r\n|\r|\n/);
      buf = parts.pop() ?? "";
      for (const p of parts) onLine(p);
      // A prompt waits without a newline: look at the unfinished line too.
      if (/Paste the/.test(buf)) {
        onLine(buf);
        buf = "";
      }
    });
    stream?.on("end", () => {
      if (buf) onLine(buf);
    });
  }
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
  return next && /^[a-z]+ [A-Z_]{4,}|ENOTFOUND|ECONN|ETIMEDOUT/.test(next) ? `${lines[at]}: ${next}` : (lines[at] as string);
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    child.kill("SIGTERM");
  }
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? "").split(delimiter).some((dir) => dir && existsSync(join(dir, cmd)));
}

/**
 * script(1) runs its command through /bin/sh -c. Every word is already validated (no quotes or shell
 * characters) and is single-quoted anyway. The pseudo-terminal gets a size first: with 0 columns
 * openclaw's prompts wrap after every character and cannot be read.
 */
function ptyCommand(words: string[]): string {
  return `stty cols 500 rows 50 2>/dev/null; exec ${words.map(shellQuote).join(" ")}`;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
