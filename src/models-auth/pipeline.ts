import { join } from "node:path";
import { type Outcome, StoreError } from "../errors/index.ts";
import { dict } from "../lib/dict.ts";
import { withFileLock } from "../lib/file-lock.ts";
import { resolveCacheDir } from "../lib/files.ts";
import type { Logger } from "../lib/logger.ts";
import { validateAgentId } from "../openclaw/ids.ts";
import { OpenclawCli } from "../openclaw-cli/index.ts";
import { errorMessage, redactText } from "../secrets/redact.ts";
import { applyOne, passable, readBackAfterFailure } from "./apply.ts";
import { describePlan } from "./describe.ts";
import { type DoctorInput, runDoctor } from "./doctor.ts";
import { failureOf } from "./failure.ts";
import { type AuthOperation, type AuthResult, mapIds, validateOperation } from "./operations.ts";
import { backupNotes, orderDrift, planOperation } from "./plan.ts";
import { readSnapshot } from "./snapshot.ts";
import type { AuthSnapshot } from "./state.ts";
import { statusReport } from "./status-report.ts";
import { driftNotes, pinNote, verify } from "./verify.ts";

export interface AuthOperationOptions {
  /** --agent; omit to let openclaw pick (refused for mutations when several agents are configured). */
  agentId?: string;
  /** Apply the plan. Without it a mutation stops after preflight + plan ("would run: …"). */
  confirm: boolean;
  /** Allow a plan that leaves no usable profile. */
  force?: boolean;
  /** Environment for openclaw (OPENCLAW_BIN, PATH, HOME, OPENCLAW_STATE_DIR…); default process.env. */
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** A shared wrapper (one `openclaw --version` per run); built from env when omitted. */
  cli?: OpenclawCli;
  /** Per-call timeout for a wrapper built here. */
  timeoutMs?: number;
  /**
   * The order (stored, else effective) a plan the user confirmed was made from (set-plan.ts): when the
   * preflight reads another, the change is refused (order_changed) and nothing is applied.
   */
  expectOrder?: string[];
  /** Refuse (backup_would_end) a change that ends OpenClaw's use of an API-key backup: the rotation job's. */
  keepBackups?: boolean;
}

// A change waits 3 minutes for another of ours (a chat confirm, the job's tick) to end: one takes about a minute.
// Each openclaw call has its deadline, so a run holding the lock for 15 minutes has hung.
const CHANGE_LOCK = { waitMs: 180_000, staleMs: 15 * 60_000 };

/**
 * preflight (parallel reads) → plan (pure) → apply (only when confirmed) → verify (parallel re-read).
 * A confirmed run holds our change lock from its preflight through its verify, so that another of ours
 * plans from what this one left. Never throws for expected failures: every outcome is an AuthResult.
 */
export async function runAuthOperation(op: AuthOperation, opts: AuthOperationOptions): Promise<AuthResult> {
  if (!opts.confirm) return runPipeline(op, opts);
  const lock = join(resolveCacheDir(opts.cli?.env ?? opts.env ?? process.env), "auth-change.lock");
  return withFileLock(
    lock,
    CHANGE_LOCK,
    () => runPipeline(op, opts),
    () => {
      const message =
        "Another change to OpenClaw's auth profiles (the rotation job's or another chat's) was still running " +
        "after 3 minutes; nothing was applied. Try again when it is done.";
      return finish({ ...emptyResult(op), error: { code: "change_in_progress", message, hint: null } }, "refused");
    },
  );
}

async function runPipeline(op: AuthOperation, opts: AuthOperationOptions): Promise<AuthResult> {
  const result = emptyResult(op);
  try {
    const typed = validateOperation(op);
    const agentId = opts.agentId === undefined ? null : validateAgentId(opts.agentId);
    result.agentId = agentId;
    const cli = opts.cli ?? new OpenclawCli({ env: opts.env, logger: opts.logger, timeoutMs: opts.timeoutMs });
    const version = await cli.version();
    const caps = await cli.capabilities();
    result.openclawVersion = version.raw;
    result.provider = caps.provider;
    const mapped = mapIds(typed, caps.provider);
    const req = { provider: caps.provider, agentId, caps, withList: mapped.kind === "delete" };

    let preflight: AuthSnapshot;
    try {
      preflight = await readSnapshot(cli, req);
    } catch (err) {
      // doctor's job is to explain exactly this state, so it is a finding, not a failure.
      if (mapped.kind === "doctor" && err instanceof StoreError && err.code === "migration_required") {
        result.details = [
          { code: "legacy_files_present", severity: "warning", message: err.message, fix: "openclaw doctor --fix" },
        ];
        return finish(result, "ok");
      }
      throw err;
    }
    result.preflight = preflight;
    if (mapped.kind === "status") {
      result.details = statusReport(preflight);
      return finish(result, "ok");
    }
    if (mapped.kind === "order-show") return finish(result, "ok");
    if (mapped.kind === "doctor") {
      result.details = runDoctor({
        snapshot: preflight,
        version,
        caps,
        identities: await identitiesOf(opts.env, agentId, version.raw),
      });
      return finish(result, "ok");
    }

    const drift = opts.expectOrder ? orderDrift(opts.expectOrder, preflight) : null;
    const plan = passable(
      drift ??
        planOperation(mapped, preflight, {
          caps,
          agentId,
          force: opts.force ?? false,
          keepBackups: opts.keepBackups ?? false,
        }),
    );
    result.plan = plan;
    if (plan.refusal) {
      result.error = { code: plan.refusal.code, message: redactText(plan.refusal.message), hint: null };
      return finish(result, plan.refusal.code === "agent_required" ? "bad_input" : "refused");
    }
    if (plan.commands.length === 0) {
      result.notes.push(`Nothing to do: ${plan.summary}.`);
      return finish(result, "ok");
    }
    if (!opts.confirm) {
      result.notes.push(...describePlan(result));
      return finish(result, "ok");
    }

    result.confirmed = true;
    for (const command of plan.commands) {
      const applied = await applyOne(cli, command);
      result.applied.push(applied);
      if (!applied.ok) {
        return finish(result, await readBackAfterFailure(result, applied, plan, () => readSnapshot(cli, req)));
      }
    }
    if (result.applied.some((a) => a.gatewayNotRefreshed)) {
      result.notes.push(
        "OpenClaw saved the change but could not notify a running Gateway; if one runs, `openclaw gateway restart` " +
          "applies it now.",
      );
    }

    let observed: AuthSnapshot;
    try {
      observed = await readSnapshot(cli, req);
    } catch (err) {
      const why = errorMessage(err);
      const message =
        `The change was applied, but OpenClaw's state could not be read back (${why}): check it with ` +
        "/codex_auth status (or `openclaw models auth order get`) before trying again.";
      result.error = { code: "verify_unreadable", message, hint: null };
      return finish(result, "verify_mismatch");
    }
    result.verify = verify(plan, observed);
    result.notes.push(pinNote(preflight.effectiveOrder, observed.effectiveOrder), ...backupNotes(preflight, observed));
    if (!result.verify.matches) {
      result.notes.push(...driftNotes(mapped, preflight, observed, plan.expected));
      result.error = {
        code: "verify_mismatch",
        message: `OpenClaw's state after the change differs from the plan: ${result.verify.differences.join("; ")}.`,
        hint: null,
      };
      return finish(result, "verify_mismatch");
    }
    return finish(result, "ok");
  } catch (err) {
    return failed(result, err);
  }
}

function emptyResult(op: AuthOperation): AuthResult {
  return {
    ok: false,
    action: op.kind,
    outcome: "failure",
    agentId: null,
    provider: null,
    openclawVersion: null,
    preflight: null,
    plan: null,
    confirmed: false,
    applied: [],
    verify: null,
    notes: [],
    details: null,
    error: null,
  };
}

function finish(result: AuthResult, outcome: Outcome): AuthResult {
  result.outcome = outcome;
  result.ok = outcome === "ok";
  return result;
}

function failed(result: AuthResult, err: unknown): AuthResult {
  const { outcome, error } = failureOf(err);
  result.error = error;
  return finish(result, outcome);
}

async function identitiesOf(
  env: NodeJS.ProcessEnv | undefined,
  agentId: string | null,
  openclawVersion: string,
): Promise<DoctorInput["identities"]> {
  try {
    const { loadProfileSet } = await import("../profiles/index.ts");
    const set = await loadProfileSet({ env: env ?? process.env, openclawVersion, ...(agentId ? { agentId } : {}) });
    const out: NonNullable<DoctorInput["identities"]> = dict();
    for (const { id, identity } of set.profiles) out[id] = { accountId: identity.accountId, userId: identity.userId };
    return out;
  } catch {
    return undefined;
  }
}
