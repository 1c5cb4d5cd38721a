import { isCodexProfilerError, type Outcome } from "../errors/index.ts";
import { nameList } from "../lib/display-text.ts";
import { checkArgv, classifyFailure, type OpenclawCli } from "../openclaw-cli/index.ts";
import { errorMessage } from "../secrets/redact.ts";
import type { AppliedCommand, AuthResult, Plan } from "./operations.ts";
import { refusedPlan } from "./plan.ts";
import type { AuthSnapshot } from "./state.ts";
import { verify } from "./verify.ts";

/**
 * The plan, or its refusal when a command would carry a word the runner refuses (an id OpenClaw took with a space
 * or a shell character in it): refused now, never shown as "would run" and then failed at apply.
 */
export function passable(plan: Plan): Plan {
  for (const argv of plan.commands) {
    try {
      checkArgv(argv);
    } catch (err) {
      const why = errorMessage(err);
      const message =
        `${why} codex-profiler passes no such id to \`openclaw\`; change this order with ` +
        "`openclaw models auth order set` yourself.";
      return refusedPlan({ code: "id_not_passable", message });
    }
  }
  return plan;
}

/** Runs one planned command; a failure is data (its code and message), never a throw. */
export async function applyOne(cli: OpenclawCli, command: string[]): Promise<AppliedCommand> {
  try {
    const res = await cli.runPlain(command);
    if (res.exitCode === 0) {
      return {
        command,
        ok: true,
        exitCode: 0,
        error: null,
        gatewayNotRefreshed: /could not refresh them/.test(res.stderr + res.stdout),
      };
    }
    const e = classifyFailure(res);
    return {
      command,
      ok: false,
      exitCode: res.exitCode,
      error: { code: e.code, message: e.message },
      gatewayNotRefreshed: false,
    };
  } catch (err) {
    const code = isCodexProfilerError(err) ? err.code : "openclaw_failed";
    return {
      command,
      ok: false,
      exitCode: null,
      error: { code, message: errorMessage(err) },
      gatewayNotRefreshed: false,
    };
  }
}

/**
 * A command failed or timed out, possibly after OpenClaw saved the change (it saves, then tells a running
 * Gateway): what OpenClaw has now is read back. The plan in place counts as done; anything else stays a failure,
 * with what was read (nothing is patched). Fills in the result; returns its outcome.
 */
export async function readBackAfterFailure(
  result: AuthResult,
  applied: AppliedCommand,
  plan: Plan,
  read: () => Promise<AuthSnapshot>,
): Promise<Outcome> {
  const code = applied.error?.code ?? "openclaw_failed";
  const failure = { code, message: applied.error?.message ?? "apply failed", hint: null };
  const observed = await read().catch(() => null);
  const check = observed ? verify(plan, observed) : null;
  if (check?.matches) {
    result.verify = check;
    result.notes.push(
      `\`openclaw ${applied.command.join(" ")}\` reported a failure (${code}), yet OpenClaw's state read back ` +
        "afterwards is the plan's.",
    );
    return "ok";
  }
  result.error = failure;
  result.notes.push(
    observed
      ? `Read back after the failure: OpenClaw's order is ${nameList(observed.effectiveOrder) || "empty"}, not ` +
          "the plan's (nothing was patched)."
      : "OpenClaw's state could not be read back after the failure: check it with /codex_auth status before " +
          "trying again.",
  );
  return "apply_failed";
}
