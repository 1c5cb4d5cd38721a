import { spawn } from "node:child_process";
import type { Static, TSchema } from "@sinclair/typebox";
import type { Logger } from "../log/logger.ts";
import { capabilitiesFor, parseOpenclawVersion, type OpenclawCapabilities, type OpenclawVersion } from "../openclaw/version.ts";
import { redactText } from "../secrets/redact.ts";
import { extractJson, firstErrorLine } from "./cli-output.ts";
import { GatewayError, type GatewayErrorCode } from "./gateway-error.ts";
import { matches } from "./schemas.ts";
import { assertSafeArgv } from "./validate.ts";

/**
 * openclaw's own switch that keeps a command from writing the auth store: `models auth list`, for one,
 * otherwise syncs Codex-CLI-managed credentials into the store while it reads.
 */
const READ_ONLY_ENV: NodeJS.ProcessEnv = { OPENCLAW_AUTH_STORE_READONLY: "1" };

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export interface OpenclawCliOptions {
  /** The executable; default OPENCLAW_BIN from env, else `openclaw` looked up on env.PATH. */
  bin?: string;
  /** Environment for the child (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Per-call timeout (default 60 s). */
  timeoutMs?: number;
  logger?: Logger;
}

export interface CliRun {
  /** The arguments after the executable. */
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * The one place that spawns `openclaw`: no shell, argument arrays only, one timeout per call, every
 * argument checked before spawning, failures mapped to GatewayError codes.
 */
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

  /** Runs `openclaw <argv>`; resolves only on exit code 0, otherwise throws a GatewayError. */
  async run(argv: string[], options: { timeoutMs?: number; readOnly?: boolean } = {}): Promise<CliRun> {
    const res = await this.spawnOnce(argv, options.timeoutMs ?? this.timeoutMs, options.readOnly ? READ_ONLY_ENV : {});
    if (res.exitCode !== 0) throw classifyFailure(res);
    return res;
  }

  /** Runs a --json command (always a read here) and validates its document against a schema. */
  async runJson<T extends TSchema>(argv: string[], schema: T): Promise<Static<T>> {
    const res = await this.run(argv, { readOnly: true });
    const doc = extractJson(res.stdout);
    if (!matches(schema, doc)) {
      throw new GatewayError("unexpected_output", `openclaw ${argv.slice(0, 4).join(" ")} printed output that does not match the expected JSON shape.`);
    }
    return doc;
  }

  /** `openclaw --version`, once per OpenclawCli instance. */
  version(): Promise<OpenclawVersion> {
    this.#version ??= this.run(["--version"]).then((res) => {
      const v = parseOpenclawVersion(res.stdout);
      if (!v) throw new GatewayError("unexpected_output", "openclaw --version printed no version number.");
      return v;
    });
    return this.#version;
  }

  async capabilities(): Promise<OpenclawCapabilities> {
    return capabilitiesFor(await this.version());
  }

  /** Spawns once and reports whatever happened; only a missing binary or a timeout throw. */
  spawnOnce(argv: string[], timeoutMs: number, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    assertSafeArgv(argv);
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(this.bin, argv, {
        env: { ...this.env, ...extraEnv },
        shell: false,
        stdio: ["ignore", "pipe", "pipe"],
        // Own process group, so a timeout can stop openclaw's helper processes too.
        detached: true,
      });
      let stdout = "";
      let stderr = "";
      let settled = false;
      const finish = (fn: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      child.stdout.on("data", (d: Buffer) => {
        if (stdout.length < MAX_OUTPUT_BYTES) stdout += d.toString("utf8");
      });
      child.stderr.on("data", (d: Buffer) => {
        if (stderr.length < MAX_OUTPUT_BYTES) stderr += d.toString("utf8");
      });
      const timer = setTimeout(() => {
        killGroup(child.pid);
        finish(() => reject(new GatewayError("openclaw_timeout", `openclaw ${argv.slice(0, 4).join(" ")} did not finish within ${timeoutMs} ms.`)));
      }, timeoutMs);
      child.on("error", (err: NodeJS.ErrnoException) => {
        finish(() => {
          if (err.code === "ENOENT" || err.code === "EACCES") {
            reject(new GatewayError("openclaw_not_found", `Cannot run ${JSON.stringify(this.bin)} (${err.code}).`));
          } else {
            reject(new GatewayError("openclaw_failed", `Cannot run openclaw: ${redactText(err.message)}`));
          }
        });
      });
      child.on("close", (code, signal) => {
        const ms = Date.now() - started;
        this.#logger?.debug({ argv, exitCode: code, signal, ms }, "openclaw call");
        finish(() => resolve({ argv, exitCode: code ?? 128, stdout, stderr, ms }));
      });
    });
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

const KNOWN_FAILURES: Array<[RegExp, GatewayErrorCode]> = [
  [/AUTH_PROFILE_MIGRATION_REQUIRED|requires legacy credential migration/, "migration_required"],
  [/Multiple agents are configured/, "agent_required"],
  [/Unknown agent id/, "unknown_agent"],
  [/Auth profile "[^"]*" (?:not found|is for)|[Pp]rofile "[^"]*" (?:is )?not (?:found|in the store)/, "unknown_profile"],
];

export function classifyFailure(res: CliRun): GatewayError {
  const all = `${res.stderr}\n${res.stdout}`;
  const line = firstErrorLine(res.stderr, res.stdout);
  for (const [re, code] of KNOWN_FAILURES) {
    if (re.test(all)) return new GatewayError(code, line, res.exitCode);
  }
  return new GatewayError("openclaw_failed", `openclaw ${res.argv.slice(0, 4).join(" ")} exited ${res.exitCode}: ${line}`, res.exitCode);
}
