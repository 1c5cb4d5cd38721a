import { isCodexProfilerError } from "../errors/index.ts";
import { errorMessage, redactText } from "../secrets/redact.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";
import { flagsOrAnswer } from "./flags.ts";
import { withInstalledRelease } from "./installed-release.ts";
import type { RuntimeEnv } from "./runtime.ts";
import { parseUsageArgs, USAGE_HELP } from "./usage-args.ts";

export interface UsageCommandDeps {
  env: NodeJS.ProcessEnv;
  now?: () => number;
}

/**
 * `codex_usage`: flags → the profile set, read once, and the selection resolved in it → one usage check → the
 * readings recorded in the usage history → JSON (one write) or the strict chat lines (with `--details`, a second
 * indented line under each). Heavy modules load only after the flags are known good, so --help and bad flags
 * answer fast; the logger's pino only when something is logged.
 */
export async function usageCommand(argv: string[], runtime: RuntimeEnv, deps: UsageCommandDeps): Promise<void> {
  const args = flagsOrAnswer("codex_usage", argv, parseUsageArgs, USAGE_HELP, runtime, "json");
  if (!args) return;
  const [
    { loadProfileSet, resolveSelection },
    { runUsageCheck },
    { historyPath, recordUsageHistory },
    { usageReport },
    { formatDetailsLine },
    { createLogger },
  ] = await Promise.all([
    import("../profiles/index.ts"),
    import("../usage/check.ts"),
    import("../usage/history-store.ts"),
    import("../format/usage-report.ts"),
    import("../format/details-line.ts"),
    import("../lib/logger.ts"),
  ]);
  const logger = createLogger({ debug: args.debug, redact: redactText });
  const now = deps.now ?? Date.now;
  try {
    const check = await withInstalledRelease(deps.env, async (openclawVersion) => {
      const found = { env: deps.env, agentId: args.agent, authPath: args.authPath, openclawVersion, now };
      const set = await loadProfileSet(found);
      return runUsageCheck({
        set,
        selection: resolveSelection(set, args.profile),
        timeoutSec: args.timeoutSec,
        retries: args.retries,
        concurrency: args.concurrency,
        useCache: args.cache,
        env: deps.env,
        now,
        logger,
      });
    });
    recordUsageHistory(check, historyPath(deps.env), now());
    const report = usageReport(check);
    if (args.format === "json") runtime.writeJson(report);
    else {
      for (const w of report.warnings ?? []) runtime.error(`codex_usage: warning: ${w}`);
      report.formatted_profiles.forEach((line, i) => {
        runtime.log(line);
        const profile = check.profiles[i];
        if (args.details && profile) runtime.log(formatDetailsLine(profile, check));
        const forecast = report.forecast_lines?.[i];
        if (args.forecast && forecast !== undefined) runtime.log(forecast);
      });
    }
    runtime.exit(ExitCode.ok);
  } catch (err) {
    const code = isCodexProfilerError(err) ? err.code : "internal_error";
    const said = errorMessage(err);
    // Only this CLI reads a legacy file by name; the state's own message cannot offer it to codex_rotate or chat.
    const message = code === "state_not_found" ? `${said}, or pass --auth-path <auth-profiles.json>` : said;
    if (args.format === "json") runtime.writeJson({ error: { code, message } });
    else runtime.error(`codex_usage: ${code}: ${message}`);
    runtime.exit(exitCodeFor(err));
  }
}
