import { ExitCode, type RuntimeEnv } from "./runtime.ts";
import { parseUsageArgs, USAGE_HELP, UsageArgsError } from "./usage-args.ts";
import { redactText } from "../secrets/redact.ts";

export interface UsageCommandDeps {
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/** Error codes that mean the input was wrong (exit 2) vs the store could not serve (exit 3). */
const BAD_INPUT = new Set(["bad_flags", "usage_url_refused", "unknown_profile", "bad_selection", "unknown_agent"]);

/**
 * `codex_usage`: flags → usage service → JSON (one write) or the strict chat lines.
 * Heavy modules load only after the flags are known good, so --help and bad flags answer fast.
 */
export async function usageCommand(argv: string[], runtime: RuntimeEnv, deps: UsageCommandDeps): Promise<void> {
  let args;
  try {
    args = parseUsageArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageArgsError)) throw err;
    runtime.error(`codex_usage: ${err.message}\nRun codex_usage --help for the options.`);
    runtime.exit(ExitCode.badInput);
    return;
  }
  if (args.help) {
    runtime.log(USAGE_HELP);
    runtime.exit(ExitCode.ok);
    return;
  }
  const [{ runUsageCheck }, { createLogger }] = await Promise.all([import("../usage/usage-service.ts"), import("../log/logger.ts")]);
  const logger = createLogger({ debug: args.debug });
  try {
    const report = await runUsageCheck({
      selection: args.profile,
      agentId: args.agent,
      authPath: args.authPath,
      timeoutSec: args.timeoutSec,
      retries: args.retries,
      concurrency: args.concurrency,
      useCache: args.cache,
      env: deps.env,
      now: deps.now,
      logger,
    });
    if (args.format === "json") runtime.writeJson(report);
    else
      report.formatted_profiles.forEach((line, i) => {
        runtime.log(line);
        const forecast = report.forecast_lines?.[i];
        if (args.forecast && forecast !== undefined) runtime.log(forecast);
      });
    runtime.exit(ExitCode.ok);
  } catch (err) {
    const code = typeof (err as { code?: unknown }).code === "string" ? (err as { code: string }).code : "internal_error";
    const message = redactText(err instanceof Error ? err.message : String(err));
    if (args.format === "json") runtime.writeJson({ error: { code, message } });
    else runtime.error(`codex_usage: ${code}: ${message}`);
    runtime.exit(BAD_INPUT.has(code) ? ExitCode.badInput : code === "internal_error" ? ExitCode.failure : ExitCode.noProfiles);
  }
}
