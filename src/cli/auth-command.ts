import { InputError } from "../gateway/input-error.ts";
import type { Logger } from "../log/logger.ts";
import { redactText } from "../secrets/redact.ts";
import { AUTH_HELP, parseAuthArgs, type AuthArgs } from "./auth-args.ts";
import type { ReadSecretLine } from "./auth-login.ts";
import { ExitCode, type RuntimeEnv } from "./runtime.ts";

export interface AuthCommandDeps {
  /** Environment for openclaw (OPENCLAW_BIN, PATH, HOME, OPENCLAW_STATE_DIR); default process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Reads the redirect URL the user pastes during a browser login. */
  readSecretLine?: ReadSecretLine;
}

/** codex_auth: parses argv, runs one operation through the gateway pipeline, prints one result. */
export async function authCommand(argv: string[], rt: RuntimeEnv, deps: AuthCommandDeps = {}): Promise<ExitCode> {
  let args: AuthArgs;
  try {
    args = parseAuthArgs(argv);
  } catch (err) {
    return done(rt, inputFailure(err, argv.includes("text") ? "text" : "json"), ExitCode.badInput);
  }
  if (args.command.kind === "help") {
    rt.log(AUTH_HELP);
    return done(rt, null, ExitCode.ok);
  }
  // The engine loads only once the flags are known good, so --help and bad input answer fast.
  const [{ describePlan, formatAuthResult }, { OpenclawCli }, { runAuthOperation }, { createLogger }, { runLoginCommand }] = await Promise.all([
    import("../gateway/describe.ts"),
    import("../gateway/openclaw-cli.ts"),
    import("../gateway/pipeline.ts"),
    import("../log/logger.ts"),
    import("./auth-login.ts"),
  ]);
  const env = deps.env ?? process.env;
  const logger = deps.logger ?? createLogger({ debug: args.debug });
  const cli = new OpenclawCli({ env, logger, timeoutMs: args.timeoutSec * 1000 });

  if (args.command.kind === "login") {
    const code = await runLoginCommand(args, args.command, rt, { env, cli, ...(deps.readSecretLine ? { readSecretLine: deps.readSecretLine } : {}) });
    return done(rt, null, code);
  }

  const result = await runAuthOperation(args.command.op, {
    ...(args.agent ? { agentId: args.agent } : {}),
    confirm: args.yes,
    force: args.force,
    env,
    logger,
    cli,
  });
  if (args.format === "json") {
    rt.writeJson({ ...result, wouldRun: result.confirmed ? [] : describePlan(result).filter((l) => l.startsWith("would run:")) });
  } else {
    for (const line of formatAuthResult(result)) rt.log(line);
  }
  return done(rt, null, result.exitCode);
}

function inputFailure(err: unknown, format: "json" | "text"): { format: "json" | "text"; code: string; message: string } {
  if (err instanceof InputError) return { format, code: err.code, message: err.message };
  return { format, code: "bad_input", message: redactText(err instanceof Error ? err.message : String(err)) };
}

function done(rt: RuntimeEnv, failure: { format: "json" | "text"; code: string; message: string } | null, code: ExitCode): ExitCode {
  if (failure) {
    if (failure.format === "json") rt.writeJson({ ok: false, exitCode: code, error: { code: failure.code, message: failure.message } });
    else rt.error(`error (${failure.code}): ${failure.message}`);
  }
  rt.exit(code);
  return code;
}
