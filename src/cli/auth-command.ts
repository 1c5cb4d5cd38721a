import { InputError } from "../errors/index.ts";
import type { Logger } from "../lib/logger.ts";
import type { AuthResult } from "../models-auth/index.ts";
import { errorMessage, redactText } from "../secrets/redact.ts";
import { AUTH_HELP, type AuthArgs, parseAuthCliArgs } from "./auth-args.ts";
import type { ReadSecretLine } from "./auth-login.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";
import { formatAskedFor } from "./flags.ts";
import { finishingChange } from "./interrupt.ts";
import type { RuntimeEnv } from "./runtime.ts";

export interface AuthCommandDeps {
  /** Environment for openclaw (OPENCLAW_BIN, PATH, HOME, OPENCLAW_STATE_DIR); default process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Reads the redirect URL the user pastes during a browser login. */
  readSecretLine?: ReadSecretLine;
}

/** codex_auth: parses argv, runs one operation through the models-auth pipeline, prints one result. */
export async function authCommand(argv: string[], rt: RuntimeEnv, deps: AuthCommandDeps = {}): Promise<ExitCode> {
  let args: AuthArgs;
  try {
    args = parseAuthCliArgs(argv);
  } catch (err) {
    return done(rt, inputFailure(err, formatAskedFor(argv, "json")), ExitCode.badInput);
  }
  if (args.command.kind === "help") {
    rt.log(AUTH_HELP);
    return done(rt, null, ExitCode.ok);
  }
  // The engine loads only once the flags are known good, so --help and bad input answer fast.
  const [{ describePlan, formatAuthResult, runAuthOperation }, { OpenclawCli }, { createLogger }, { runLoginCommand }] =
    await Promise.all([
      import("../models-auth/index.ts"),
      import("../openclaw-cli/index.ts"),
      import("../lib/logger.ts"),
      import("./auth-login.ts"),
    ]);
  const env = deps.env ?? process.env;
  const logger = deps.logger ?? createLogger({ debug: args.debug, redact: redactText });
  const cli = new OpenclawCli({ env, logger, timeoutMs: args.timeoutSec * 1000 });

  if (args.command.kind === "login") {
    const code = await runLoginCommand(args, args.command, rt, {
      env,
      cli,
      ...(deps.readSecretLine ? { readSecretLine: deps.readSecretLine } : {}),
    });
    return done(rt, null, code);
  }

  const { op } = args.command;
  const operation = () =>
    runAuthOperation(op, {
      ...(args.agent ? { agentId: args.agent } : {}),
      confirm: args.yes,
      force: args.force,
      env,
      logger,
      cli,
    });
  const result = args.yes ? await finishingChange("codex_auth", "codex_auth status", rt, operation) : await operation();
  const exitCode = exitCodeFor(result.outcome);
  if (args.format === "json") {
    const wouldRun = result.confirmed ? [] : describePlan(result).filter((l) => l.startsWith("would run:"));
    rt.writeJson({ ...withExitCode(result, exitCode), wouldRun });
  } else {
    // The report on stdout; what failed, and its hint, on stderr, as every CLI of ours says a failure.
    let failure = false;
    for (const line of formatAuthResult(result)) {
      failure = /^(error|refused) \(/.test(line) || (failure && line.startsWith("hint: "));
      if (failure) rt.error(line);
      else rt.log(line);
    }
  }
  return done(rt, null, exitCode);
}

/** The JSON result as codex_auth has always printed it: the exit code in third place, not the outcome. */
function withExitCode(result: AuthResult, exitCode: ExitCode): Record<string, unknown> {
  const { outcome: _outcome, ok, action, ...rest } = result;
  return { ok, action, exitCode, ...rest };
}

function inputFailure(
  err: unknown,
  format: "json" | "text",
): { format: "json" | "text"; code: string; message: string } {
  if (err instanceof InputError) return { format, code: err.code, message: err.message };
  return { format, code: "bad_input", message: errorMessage(err) };
}

function done(
  rt: RuntimeEnv,
  failure: { format: "json" | "text"; code: string; message: string } | null,
  code: ExitCode,
): ExitCode {
  if (failure) {
    if (failure.format === "json")
      rt.writeJson({ ok: false, exitCode: code, error: { code: failure.code, message: failure.message } });
    else rt.error(`error (${failure.code}): ${failure.message}`);
  }
  rt.exit(code);
  return code;
}
