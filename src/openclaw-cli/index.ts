/**
 * The only place that spawns a process: one runner (plain, checked, JSON, stdin-fed, terminal), argv checks
 * per command, openclaw's output read and validated, the cron commands of the auto-switch and alert jobs, and the
 * process side of `openclaw models auth login`.
 *
 *   const cli = new OpenclawCli({ env });              // share one per run: `openclaw --version` runs once
 *   const status = await cli.runJson(["models", "status", "--json"], StatusJson);
 *   await cli.run(["models", "auth", "order", "set", "--provider", "openai", "openai:a"]);
 */
export { checkArgv } from "./argv.ts";
export { type CronRunner, cronRunner, findJob, installJob, type JobKind, removeJob } from "./cron.ts";
export { classifyFailure } from "./failures.ts";
export { onPath, startLoginProcess } from "./login-session.ts";
export type { TranscriptEvent } from "./login-transcript.ts";
export { OpenclawCli } from "./runner.ts";
export { AuthListJson, OrderGetJson, type ProfileHealthJson, StatusJson, type UnusableJson } from "./schemas.ts";
