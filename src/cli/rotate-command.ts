import { isCodexProfilerError } from "../errors/index.ts";
import { defaultAgentId } from "../openclaw/default-agent.ts";
import type { CronRunner } from "../openclaw-cli/index.ts";
import { DEFAULT_HYSTERESIS } from "../rotation/hysteresis.ts";
import type { RotationDeps } from "../rotation/rotate.ts";
import { errorMessage } from "../secrets/redact.ts";
import { ExitCode, exitCodeFor } from "./exit-codes.ts";
import { flagsOrAnswer } from "./flags.ts";
import { withInstalledRelease } from "./installed-release.ts";
import { finishingChange } from "./interrupt.ts";
import { parseRotateArgs, ROTATE_HELP, type RotateArgs } from "./rotate-args.ts";
import type { RuntimeEnv } from "./runtime.ts";

export interface RotateCommandDeps {
  env: NodeJS.ProcessEnv;
  /** Built from env (runUsageCheck + the models-auth pipeline + the cache dir) when omitted. */
  rotation?: RotationDeps;
  /** Runs `openclaw …` for the job's install/remove/status; built from env when omitted. */
  cron?: CronRunner;
  /** Absolute path of the scripts/codex_rotate launcher the job runs. */
  launcher?: string;
}

/** `codex_rotate plan|apply|job …`: flags → rotation → one JSON write or text lines. */
export async function rotateCommand(argv: string[], runtime: RuntimeEnv, deps: RotateCommandDeps): Promise<void> {
  const args = flagsOrAnswer("codex_rotate", argv, parseRotateArgs, ROTATE_HELP, runtime, "text");
  if (!args) return;
  try {
    const agent = args.agent ?? (await withInstalledRelease(deps.env, async (v) => defaultAgentId(deps.env, v)));
    const run = () => dispatch({ ...args, agent }, runtime, deps);
    const check = { models: "openclaw models status", apply: "codex_rotate plan" }[args.action as string];
    await (args.yes
      ? finishingChange("codex_rotate", check ?? `codex_rotate ${args.action.split("-")[0]} status`, runtime, run)
      : run());
  } catch (err) {
    const code = isCodexProfilerError(err) ? err.code : "internal_error";
    const message = errorMessage(err);
    if (args.action === "job-run" || args.action === "alerts-run") {
      // The job's output reaches a chat: one line, never a stack.
      runtime.log(`Codex ${args.action === "alerts-run" ? "alerts" : "rotation"} failed (${code}): ${message}`);
    } else if (args.format === "json") runtime.writeJson({ error: { code, message } });
    else runtime.error(`codex_rotate: ${code}: ${message}`);
    runtime.exit(exitCodeFor(err));
  }
}

/** The parsed flags with the agent settled. */
type RotateRun = RotateArgs & { agent: string };

async function rotationDeps(deps: RotateCommandDeps): Promise<RotationDeps> {
  if (deps.rotation) return deps.rotation;
  const { defaultRotationDeps } = await import("../rotation/default-deps.ts");
  return defaultRotationDeps(deps.env);
}

async function dispatch(args: RotateRun, runtime: RuntimeEnv, deps: RotateCommandDeps): Promise<void> {
  const hysteresis = { ...DEFAULT_HYSTERESIS, marginPoints: args.marginPoints };
  const options = { agentId: args.agent, ifBetter: args.ifBetter, hysteresis, policy: args.policy };
  if (args.action === "plan" || (args.action === "apply" && !args.yes)) {
    const { planRotation } = await import("../rotation/rotate.ts");
    const { planLines } = await import("../rotation/plan-text.ts");
    const plan = await planRotation(options, await rotationDeps(deps));
    const refused = args.action === "apply" && plan.changed;
    if (args.format === "json")
      runtime.writeJson(refused ? { ...plan, applied: false, needs_confirmation: true } : plan);
    else {
      for (const line of planLines(plan)) runtime.log(line);
      if (refused) runtime.log("Not applied: re-run with --yes to set this order.");
    }
    runtime.exit(exitCodeFor(refused ? "refused" : "ok"));
    return;
  }
  if (args.action === "apply") {
    const { applyRotation } = await import("../rotation/rotate.ts");
    const { applyLines } = await import("../rotation/plan-text.ts");
    const result = await applyRotation(options, await rotationDeps(deps));
    if (args.format === "json") runtime.writeJson(result);
    else for (const line of applyLines(result)) runtime.log(line);
    runtime.exit(exitCodeFor(result.result?.outcome ?? "ok"));
    return;
  }
  if (args.action === "job-run") {
    const { runJobTick } = await import("../rotation/job.ts");
    const alerts = await alertSettingsOrOff(deps.env);
    const tick = await runJobTick(args.agent, await rotationDeps(deps), { hysteresis, policy: args.policy }, alerts);
    if (args.format === "json")
      runtime.writeJson({ outcome: tick.outcome, output: tick.output, alerts: tick.alerts, record: tick.record });
    else runtime.log(tick.output);
    // A failed tick still exits 0 once it has told the user: OpenClaw's retry backoff would only delay the next check.
    runtime.exit(ExitCode.ok);
    return;
  }
  if (args.action === "alerts-run") {
    const [{ readAlertSettings }, { runAlertTick }, { NO_REPLY }] = await Promise.all([
      import("../rotation/alert-settings.ts"),
      import("../rotation/alert-tick.ts"),
      import("../rotation/job.ts"),
    ]);
    const settings = readAlertSettings(deps.env);
    const tick = await runAlertTick({ agentId: args.agent, settings, record: true }, await rotationDeps(deps));
    if (args.format === "json") runtime.writeJson(tick);
    else runtime.log(tick.lines.length > 0 ? tick.lines.join("\n") : NO_REPLY);
    runtime.exit(ExitCode.ok);
    return;
  }
  if (args.action === "models") {
    await modelPriority(args, runtime, deps);
    return;
  }
  const { jobAdmin } = await import("./rotate-jobs.ts");
  await jobAdmin(args.action.startsWith("alerts-") ? "alerts" : "rotate", args, runtime, deps);
}

/**
 * The job keeps rotating when the alert settings cannot be read: OpenClaw refuses an invalid plugin config at
 * start, and `alerts install` reports it; a line about it every ten minutes would only be noise.
 */
async function alertSettingsOrOff(env: NodeJS.ProcessEnv) {
  const { ALERTS_OFF, readAlertSettings } = await import("../rotation/alert-settings.ts");
  try {
    return readAlertSettings(env);
  } catch {
    return ALERTS_OFF;
  }
}

async function modelPriority(args: RotateRun, runtime: RuntimeEnv, deps: RotateCommandDeps): Promise<void> {
  const { applyModelPriority } = await import("../models-auth/index.ts");
  const r = await applyModelPriority(
    { primary: args.primary, fallbacks: args.fallbacks },
    { confirm: args.yes, env: deps.env },
  );
  const needsYes = r.ok && !r.confirmed && r.commands.length > 0;
  const exitCode = exitCodeFor(needsYes ? "refused" : r.outcome);
  if (args.format === "json") {
    const { outcome, ok, ...rest } = r;
    runtime.writeJson({
      ok,
      exitCode,
      ...rest,
      ...(needsYes ? { needs_confirmation: true } : {}),
    });
  } else {
    if (r.preflight)
      runtime.log(`model priority now: ${r.preflight.primary ?? "(default)"}${thenFallbacks(r.preflight.fallbacks)}`);
    if (r.error) {
      runtime.error(`codex_rotate: ${r.error.code}: ${r.error.message}`);
      const now = r.verify?.observed;
      if (now) runtime.error(`read back after it: ${now.primary ?? "(default)"}${thenFallbacks(now.fallbacks)}`);
    } else if (r.commands.length === 0) runtime.log("Nothing to change.");
    else if (needsYes) for (const c of r.commands) runtime.log(`would run: openclaw ${c.join(" ")}`);
    else
      runtime.log(
        `Applied and verified: ${r.verify?.observed.primary}${thenFallbacks(r.verify?.observed.fallbacks ?? [])}.`,
      );
    if (needsYes) runtime.log("Not applied: re-run with --yes.");
  }
  runtime.exit(exitCode);
}

const thenFallbacks = (fallbacks: string[]): string => (fallbacks.length ? `, then ${fallbacks.join(", ")}` : "");
