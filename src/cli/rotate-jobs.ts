import { RotationError } from "../errors/index.ts";
import type { CronRunner, JobKind } from "../openclaw-cli/index.ts";
import { looksLikeSecret } from "../secrets/redact.ts";
import { ExitCode } from "./exit-codes.ts";
import type { RotateArgs } from "./rotate-args.ts";
import type { RuntimeEnv } from "./runtime.ts";

export interface JobAdminDeps {
  env: NodeJS.ProcessEnv;
  cron?: CronRunner;
  launcher?: string;
}

const TITLE: Record<JobKind, { name: string; heading: string }> = {
  rotate: { name: "auto-switch job", heading: "Auto-switch job" },
  alerts: { name: "alert job", heading: "Alert job" },
};
const OTHER: Record<JobKind, JobKind> = { rotate: "alerts", alerts: "rotate" };

/**
 * `job|alerts install|remove|status`: the two scheduled jobs in OpenClaw's scheduler, only ever through
 * `openclaw cron`. Both announce to the alert channel of the plugin settings when one is set; only one of them
 * runs per agent, because the auto-switch job sends the alerts itself.
 */
export async function jobAdmin(
  kind: JobKind,
  args: RotateArgs & { agent: string },
  runtime: RuntimeEnv,
  deps: JobAdminDeps,
): Promise<void> {
  const cron = await import("../openclaw-cli/index.ts");
  const runner = deps.cron ?? (await supportedRunner(cron, deps.env));
  const verb = args.action.replace(/^(job|alerts)-/, "");
  const { name: title, heading } = TITLE[kind];
  if (verb === "status") {
    const { agentState, readRotationState, rotationStatePath } = await import("../rotation/rotation-state.ts");
    const job = await cron.findJob(runner, args.agent, kind);
    const state = agentState(readRotationState(rotationStatePath(deps.env)), args.agent);
    const last = kind === "rotate" ? state.job : null;
    const holding = Object.keys(state.alerts ?? {});
    if (args.format === "json")
      runtime.writeJson(
        kind === "rotate" ? { installed: job !== null, job, last } : { installed: !!job, job, holding },
      );
    else {
      runtime.log(
        job
          ? `${heading} installed (${job.enabled ? "enabled" : "disabled"}, id ${job.id}).`
          : `${heading} not installed.`,
      );
      if (last) runtime.log(`Last run ${last.at}: ${last.outcome}; order ${last.order.join(", ") || "(unknown)"}.`);
      if (kind === "alerts") runtime.log(`Conditions holding: ${holding.join(", ") || "none"}.`);
    }
    runtime.exit(ExitCode.ok);
    return;
  }
  // The job's argv and key name the agent, and OpenClaw keeps and shows both: a pasted token must not go there.
  if (verb === "install" && looksLikeSecret(args.agent))
    throw new RotationError(
      "agent_id_secret",
      "The agent id looks like a token or OAuth code; no job is installed for it. Give the agent another id.",
    );
  const what =
    verb === "install"
      ? `install the ${title} (every ${args.every}, agent ${args.agent})`
      : `remove the ${title} of agent ${args.agent}`;
  if (!args.yes) {
    if (args.format === "json") runtime.writeJson({ needs_confirmation: true, would: what });
    else runtime.log(`Would ${what} through openclaw cron. Re-run with --yes.`);
    runtime.exit(ExitCode.refused);
    return;
  }
  if (verb === "remove") {
    const removed = await cron.removeJob(runner, args.agent, kind);
    if (args.format === "json") runtime.writeJson({ removed });
    else runtime.log(removed ? `Removed the ${title}.` : `No ${title} was installed.`);
    runtime.exit(ExitCode.ok);
    return;
  }
  const { readAlertSettings } = await import("../rotation/alert-settings.ts");
  const alerts = readAlertSettings(deps.env);
  if (kind === "alerts" && !alerts.enabled)
    throw new RotationError(
      "alerts_off",
      "Alerts are off: set plugins.entries.codex-profiler.config.alerts.enabled to true first.",
    );
  const other = await cron.findJob(runner, args.agent, OTHER[kind]);
  if (other)
    throw new RotationError(
      "job_conflict",
      kind === "alerts"
        ? "The auto-switch job is installed and sends the alerts itself; no alert job is needed."
        : "Remove the alert job first (codex_rotate alerts remove --yes): the auto-switch job sends the alerts too.",
    );
  const launcher = deps.launcher ?? (await import("./launcher.ts")).launcherPath();
  const argv = jobArgv(kind, launcher, args);
  const job = await cron.installJob(runner, {
    kind,
    agentId: args.agent,
    argv,
    every: args.every,
    announce: args.announce,
    ...(alerts.enabled ? { channel: alerts.channel, to: alerts.to } : {}),
  });
  if (args.format === "json") runtime.writeJson({ installed: true, job });
  else runtime.log(`Installed the ${title} ${job.id}: every ${args.every}, runs ${argv.join(" ")}.`);
  runtime.exit(ExitCode.ok);
}

/**
 * The cron runner over the installed `openclaw`, once it is known to hold our jobs: the job is found and updated
 * by its declaration key, which `openclaw cron add` has from 2026.7.1 (2026.6.11 refuses the flag).
 */
async function supportedRunner(cron: typeof import("../openclaw-cli/index.ts"), env: NodeJS.ProcessEnv) {
  const cli = new cron.OpenclawCli({ env });
  if (!(await cli.capabilities()).cronDeclarationKey) {
    const version = (await cli.version()).raw;
    throw new RotationError(
      "job_unsupported",
      `The scheduled jobs need OpenClaw 2026.7.1 or later (\`openclaw cron add --declaration-key\`); this is ` +
        `${version}. Run \`codex_rotate job run --agent <id>\` from the host's scheduler instead ` +
        "(references/config-templates.md).",
    );
  }
  return cron.cronRunner(cli);
}

/** The command the installed job runs: the launcher with the agent, and for rotation its policy and margin. */
export function jobArgv(
  kind: JobKind,
  launcher: string,
  args: Pick<RotateArgs, "policy" | "marginPoints"> & { agent: string },
): string[] {
  return kind === "rotate"
    ? [launcher, "job", "run", "--agent", args.agent, "--policy", args.policy, "--margin", String(args.marginPoints)]
    : [launcher, "alerts", "run", "--agent", args.agent];
}
