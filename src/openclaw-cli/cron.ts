import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { errorMessage, redactText } from "../secrets/redact.ts";
import { extractJson, meaningfulLines } from "./cli-output.ts";
import { cliError } from "./failures.ts";
import type { OpenclawCli } from "./runner.ts";

/**
 * The auto-switch and alert jobs live in OpenClaw's own scheduler and are only ever touched through
 * `openclaw cron …` (2026.9: `automations` is the same command), which talks to the running Gateway.
 * No file of OpenClaw's is read or written here.
 */
export type JobKind = "rotate" | "alerts";

const JOBS: Record<JobKind, { name: string; displayName: string; description: string }> = {
  rotate: {
    name: "codex-profiler-rotate",
    displayName: "Codex profile rotation",
    description:
      "codex-profiler: keeps the Codex auth order on the best profile by its rotation policy (rotate apply " +
      "--if-better --yes)",
  },
  alerts: {
    name: "codex-profiler-alerts",
    displayName: "Codex pool alerts",
    description: "codex-profiler: tells the chat before the Codex pool runs dry or an account needs a new login",
  },
};
const jobDeclarationKey = (kind: JobKind, agentId: string): string => `${JOBS[kind].name}:${agentId}`;

/** Runs `openclaw <args>` (args start with "cron") and reports its exit code and output; tests may record instead. */
export type CronRunner = (args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string }>;

/** The cron runner over the one process runner (argv checked, deadline, bounded output). */
export function cronRunner(cli: OpenclawCli): CronRunner {
  return async (args) => {
    const res = await cli.runPlain(args);
    return { code: res.exitCode, stdout: res.stdout, stderr: res.stderr };
  };
}

const JobJson = Type.Object({
  id: Type.String(),
  name: Type.String(),
  declarationKey: Type.Optional(Type.String()),
  enabled: Type.Boolean(),
  agentId: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  schedule: Type.Object({ kind: Type.String(), everyMs: Type.Optional(Type.Number()) }),
  payload: Type.Object({ kind: Type.String(), argv: Type.Optional(Type.Array(Type.String())) }),
});
export type CronJob = Static<typeof JobJson>;
const AddJson = Type.Object({ job: JobJson });
const ListJson = Type.Object({ jobs: Type.Array(Type.Unknown()) });

const GATEWAY_UNREACHABLE = /ECONNREFUSED|gateway (closed|unreachable|not (connected|reachable))|connect failed/i;

/** A failed `list` is a read of OpenClaw that failed (openclaw_failed); only `add` and `rm` can fail to apply. */
async function run(runner: CronRunner, args: string[], what: "add" | "list" | "rm"): Promise<unknown> {
  const res = await runner(["cron", ...args]);
  if (res.code !== 0) {
    // The service-state warning every command may print names the Gateway: not a sign that it is unreachable.
    const lines = meaningfulLines(redactText(`${res.stderr}\n${res.stdout}`));
    const text = lines.slice(-3).join(" ");
    const unreachable = GATEWAY_UNREACHABLE.test(text);
    throw cliError(
      unreachable ? "gateway_unreachable" : what === "list" ? "openclaw_failed" : "cron_failed",
      `openclaw cron ${what} failed (exit ${res.code ?? "signal"}): ${text.slice(0, 400)}`,
    );
  }
  const doc = extractJson(res.stdout);
  if (doc === undefined) throw cliError("unexpected_output", `openclaw cron ${what} printed no JSON.`);
  return doc;
}

export interface InstallOptions {
  kind: JobKind;
  agentId: string;
  /** The exact argv the job runs, e.g. [".../scripts/codex_rotate", "job", "run", "--agent", "main"]. */
  argv: string[];
  every: string;
  /** Deliver the job's lines to a chat (announce); NO_REPLY output is suppressed by OpenClaw. */
  announce: boolean;
  /** Where to announce (e.g. telegram and a chat id); OpenClaw's last channel when null. */
  channel?: string | null;
  to?: string | null;
}

/** Adds (or, by its declaration key, updates in place) the job; idempotent. */
export async function installJob(runner: CronRunner, o: InstallOptions): Promise<CronJob> {
  const job = JOBS[o.kind];
  const delivery = o.announce
    ? ["--announce", ...(o.channel ? ["--channel", o.channel] : []), ...(o.to ? ["--to", o.to] : [])]
    : ["--no-deliver"];
  const out = await run(
    runner,
    [
      "add",
      "--name",
      job.name,
      "--display-name",
      job.displayName,
      "--description",
      job.description,
      "--declaration-key",
      jobDeclarationKey(o.kind, o.agentId),
      "--agent",
      o.agentId,
      "--every",
      o.every,
      "--session",
      "isolated",
      "--command-argv",
      JSON.stringify(o.argv),
      "--timeout-seconds",
      "180",
      ...delivery,
      "--json",
    ],
    "add",
  );
  if (!Value.Check(AddJson, out))
    throw cliError("unexpected_output", "openclaw cron add answered in an unexpected shape.");
  // Verify: the scheduler itself must now list the job under our declaration key.
  const listed = await readBack(runner, o.agentId, o.kind, "add");
  if (listed?.id !== out.job.id) {
    throw cliError(
      "verify_mismatch",
      `openclaw cron add answered, but \`openclaw cron list\` ` +
        `${listed ? `shows job ${listed.id} instead of ${out.job.id}` : "does not show the job"}.`,
    );
  }
  return out.job;
}

export async function findJob(runner: CronRunner, agentId: string, kind: JobKind): Promise<CronJob | null> {
  const out = await run(runner, ["list", "--all", "--json"], "list");
  if (!Value.Check(ListJson, out))
    throw cliError("unexpected_output", "openclaw cron list answered in an unexpected shape.");
  const jobs = out.jobs.filter((j): j is CronJob => Value.Check(JobJson, j));
  return jobs.find((j) => j.declarationKey === jobDeclarationKey(kind, agentId)) ?? null;
}

/** Removes the job when it exists; returns whether one was removed. */
export async function removeJob(runner: CronRunner, agentId: string, kind: JobKind): Promise<boolean> {
  const job = await findJob(runner, agentId, kind);
  if (!job) return false;
  await run(runner, ["rm", job.id, "--json"], "rm");
  if (await readBack(runner, agentId, kind, "rm"))
    throw cliError(
      "verify_mismatch",
      `openclaw cron rm answered, but \`openclaw cron list\` still shows job ${job.id}.`,
    );
  return true;
}

/** The list read after a change: when it cannot be read, the change is applied and its state unknown (verify). */
function readBack(runner: CronRunner, agentId: string, kind: JobKind, what: "add" | "rm"): Promise<CronJob | null> {
  return findJob(runner, agentId, kind).catch((err: unknown) => {
    const why = errorMessage(err);
    throw cliError(
      "verify_mismatch",
      `openclaw cron ${what} answered, but the job list could not be read back: ${why}`,
    );
  });
}
