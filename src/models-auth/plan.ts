import { nameList } from "../lib/display-text.ts";
import { sameOrder } from "../lib/same-order.ts";
import type { OpenclawCapabilities } from "../openclaw/version.ts";
import { canQuoteInput } from "../secrets/redact.ts";
import type { AuthOperation, ExpectedState, ObservedState, Plan, Refusal } from "./operations.ts";
import { type AuthSnapshot, agentArgs, isUsable } from "./state.ts";

export interface PlanContext {
  caps: OpenclawCapabilities;
  /** --agent as given; null = let openclaw pick. */
  agentId: string | null;
  force: boolean;
  /** Refuse a change that ends OpenClaw's use of an API-key backup (the rotation job's: no one is asked). */
  keepBackups?: boolean;
}

/** An id the user typed that OpenClaw does not have: described, never repeated, when it reads as a token. */
const typedId = (id: string): string => (canQuoteInput(id) ? id : "(an id that looks like a token; not shown)");

/** A plan that runs nothing and says why. */
export const refusedPlan = (refusal: Refusal): Plan => ({
  commands: [],
  expected: {},
  summary: refusal.message,
  refusal,
  targetOrder: null,
});

/**
 * Pure: from an operation and the preflight snapshot to the exact commands and the state expected
 * after them, or a refusal. Ids are already mapped onto ctx.caps.provider.
 */
export function planOperation(op: AuthOperation, snap: AuthSnapshot, ctx: PlanContext): Plan {
  const provider = ctx.caps.provider;
  const agent = agentArgs(ctx.agentId);
  const orderSet = (ids: string[]): string[] => [
    "models",
    "auth",
    "order",
    "set",
    "--provider",
    provider,
    ...agent,
    ...ids,
  ];
  if (op.kind === "order-show" || op.kind === "status" || op.kind === "doctor") {
    return { commands: [], expected: {}, summary: "read only", refusal: null, targetOrder: null };
  }
  const agentProblem = needsAgent(snap, ctx);
  if (agentProblem) return refusedPlan(agentProblem);

  // A stored order can name a profile no longer saved (removed by hand before 2026.8 had logout): OpenClaw skips
  // it, and its `order set` refuses it ("Auth profile … not found"), so every order change leaves it out.
  const gone = (snap.storedOrder ?? []).filter((id) => id.startsWith(`${provider}:`) && !snap.knownIds.includes(id));
  const named = op.kind === "order-set" ? op.ids : op.kind === "order-clear" ? [] : [op.id];
  const unknown = named.filter((id) => !snap.knownIds.includes(id) && !(op.kind === "retire" && gone.includes(id)));
  if (unknown.length > 0) {
    return refusedPlan({
      code: "unknown_profile",
      message:
        `Unknown profile${unknown.length > 1 ? "s" : ""}: ${nameList(unknown.map(typedId))}. ` +
        `Saved ${provider} profiles: ${nameList(snap.knownIds) || "none"}.`,
    });
  }
  const base = (snap.storedOrder ?? snap.effectiveOrder).filter((id) => !gone.includes(id));
  const nothing = (summary: string): Plan => ({
    commands: [],
    expected: { storedOrder: snap.storedOrder },
    summary,
    refusal: null,
    targetOrder: null,
  });
  const goneNote =
    gone.length > 1 ? "are no longer saved and leave the order" : "is no longer saved and leaves the order";
  // Said before the change: a stored order ends OpenClaw's use of the backups it cannot hold (2026.5.28).
  const told = (summary: string): string =>
    [
      summary,
      ...(gone.length === 0 ? [] : [`${nameList(gone)} ${goneNote}`]),
      ...(snap.unstorableIds.length === 0
        ? []
        : [backupsLeftOut(snap.unstorableIds, provider, "OpenClaw then stops trying")]),
    ].join("; ");
  const endsBackup =
    ctx.keepBackups && snap.unstorableIds.length > 0
      ? refusedPlan({
          code: "backup_would_end",
          message: `${backupsLeftOut(snap.unstorableIds, provider, "Storing an order would end OpenClaw's use of")}.`,
        })
      : null;
  /** An order change, unless it would leave no usable profile (and --force was not given). */
  const setTo = (ids: string[], summary: string): Plan => {
    const usable = checkUsable(ids, snap, ctx.force);
    if (usable) return refusedPlan(usable);
    if (endsBackup) return endsBackup;
    return {
      commands: [orderSet(ids)],
      expected: { storedOrder: ids },
      summary: told(summary),
      refusal: null,
      targetOrder: ids,
    };
  };

  switch (op.kind) {
    case "order-set": {
      const ids = dedupe(op.ids);
      return setTo(ids, `set the order to ${nameList(ids)}`);
    }
    case "put-first": {
      // Non-Codex ids of a stored order (an API-key backup) keep their places behind it.
      const ids = [op.id, ...base.filter((id) => id !== op.id)];
      return setTo(ids, `set the order to ${nameList(ids)}`);
    }
    case "order-clear":
      return {
        commands: [["models", "auth", "order", "clear", "--provider", provider, ...agent]],
        expected: { storedOrder: null },
        summary: "clear the stored order; OpenClaw selects automatically",
        refusal: null,
        targetOrder: null,
      };
    case "retire": {
      // With no stored order the effective order is the starting point: the change stores it without the id.
      if (!base.includes(op.id) && !gone.includes(op.id))
        return nothing(`${op.id} is already out of the ${orderName(snap)}`);
      const next = base.filter((id) => id !== op.id);
      return setTo(next, `retire ${op.id}: set the order to ${nameList(next)}`);
    }
    case "restore": {
      if (base.includes(op.id)) return nothing(`${op.id} is already in the ${orderName(snap)}`);
      // Restoring never leaves the order without a usable profile it did not have before: no usability check.
      if (endsBackup) return endsBackup;
      const next = [...base, op.id];
      return {
        commands: [orderSet(next)],
        expected: { storedOrder: next },
        summary: told(`restore ${op.id}: set the order to ${nameList(next)}`),
        refusal: null,
        targetOrder: next,
      };
    }
    case "delete": {
      if (!ctx.caps.logout) {
        return refusedPlan({
          code: "unsupported_by_version",
          message:
            "OpenClaw before 2026.8 has no `openclaw models auth logout`. Retire the profile instead (credentials " +
            "stay, it leaves the order); to remove it for good, stop the gateway in a maintenance window, upgrade " +
            "OpenClaw to 2026.8 or later, and run `openclaw models auth logout <id>`.",
        });
      }
      const remaining = snap.knownIds.filter((id) => id !== op.id);
      const usable = checkUsable(remaining, snap, ctx.force);
      if (usable) return refusedPlan(usable);
      // logout also drops the id from the stored order (seen on 2026.8.2 and 2026.9.6).
      const keptOrder = snap.storedOrder ? snap.storedOrder.filter((id) => id !== op.id) : null;
      // Whether an order emptied that way is kept as [] or dropped was not seen: left unchecked then.
      const expected: ExpectedState =
        keptOrder?.length === 0 ? { absent: [op.id] } : { absent: [op.id], storedOrder: keptOrder };
      return {
        commands: [["models", "auth", "logout", op.id, ...agent, "--yes"]],
        expected,
        summary: `delete ${op.id} for good (its saved credentials are removed)`,
        refusal: null,
        targetOrder: keptOrder,
      };
    }
  }
}

function backupsLeftOut(ids: string[], provider: string, lead: string): string {
  const [what, it] = ids.length > 1 ? ["API keys", "them"] : ["API key", "it"];
  return (
    `${lead} ${nameList(ids)} (another provider's ${what}, which it tries only while no ` +
    `${provider} order is stored and which its order set refuses); \`codex_auth order clear\` brings ${it} back`
  );
}

/** After an order change: the API-key backups OpenClaw tried before and no longer tries (2026.5.28). */
export function backupNotes(before: AuthSnapshot, after: AuthSnapshot): string[] {
  const gone = before.unstorableIds.filter((id) => !after.unstorableIds.includes(id));
  return gone.length === 0 ? [] : [`${backupsLeftOut(gone, after.provider, "OpenClaw no longer tries")}.`];
}

function orderName(snap: AuthSnapshot): string {
  return snap.storedOrder === null ? "effective order (none is stored)" : "stored order";
}

function needsAgent(snap: AuthSnapshot, ctx: PlanContext): Refusal | null {
  if (ctx.agentId !== null || snap.configuredAgents === null || snap.configuredAgents.length <= 1) return null;
  return {
    code: "agent_required",
    message:
      `Several agents are configured (${snap.configuredAgents.join(", ")}): pass --agent <id> to say whose ` +
      `order to change.`,
  };
}

function checkUsable(ids: string[], snap: AuthSnapshot, force: boolean): Refusal | null {
  if (force) return null;
  const health = new Map(snap.profiles.map((p) => [p.id, p]));
  const anyUsable = ids.some((id) => {
    const h = health.get(id);
    return h === undefined || isUsable(h);
  });
  if (ids.length > 0 && anyUsable) return null;
  return {
    code: "no_usable_profile",
    message:
      ids.length === 0
        ? `That would leave no profile in the order. ${FORCE_NOTE}`
        : `None of ${nameList(ids)} is usable right now: wait until one is (a cooldown ends, a login is renewed). ` +
          FORCE_NOTE,
  };
}

// Said wherever the refusal is shown: chat has no --force, so it names where the flag is taken.
const FORCE_NOTE = "To do it anyway, run codex_auth from a shell with --force.";

function dedupe(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Pure: does what was read after applying match what the plan promised? */
export function compareState(expected: ExpectedState, observed: ObservedState): string[] {
  const diffs: string[] = [];
  if (expected.storedOrder !== undefined && !sameOrder(expected.storedOrder, observed.storedOrder)) {
    diffs.push(`stored order is ${fmt(observed.storedOrder)}, expected ${fmt(expected.storedOrder)}`);
  }
  for (const id of expected.present ?? []) if (!observed.knownIds.includes(id)) diffs.push(`${id} is missing`);
  for (const id of expected.absent ?? []) if (observed.knownIds.includes(id)) diffs.push(`${id} is still saved`);
  return diffs;
}

function fmt(order: string[] | null): string {
  return order === null ? "none (automatic)" : `[${nameList(order)}]`;
}

/** A refusal when OpenClaw's order is no longer the one the confirmed plan was made from. */
export function orderDrift(expected: string[], preflight: AuthSnapshot): Plan | null {
  const now = preflight.storedOrder ?? preflight.effectiveOrder;
  if (sameOrder(now, expected)) return null;
  const message =
    `OpenClaw's order changed since the plan was made (it was ${nameList(expected) || "empty"}, it is ` +
    `${nameList(now) || "empty"} now); nothing was applied. Ask again for a fresh plan.`;
  return refusedPlan({ code: "order_changed", message });
}
