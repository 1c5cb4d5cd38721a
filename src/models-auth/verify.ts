import { inlineName, nameList } from "../lib/display-text.ts";
import { sameOrder } from "../lib/same-order.ts";
import type { AuthOperation, ExpectedState, Plan, VerifyResult } from "./operations.ts";
import { compareState } from "./plan.ts";
import type { AuthSnapshot } from "./state.ts";

/** The verify step: what OpenClaw's state read back after a change says, against the plan. Pure. */
export function verify(plan: Plan, observed: AuthSnapshot): VerifyResult {
  const obs = {
    storedOrder: observed.storedOrder,
    effectiveOrder: observed.effectiveOrder,
    knownIds: observed.knownIds,
  };
  const differences = compareState(plan.expected, obs);
  return { matches: differences.length === 0, expected: plan.expected, observed: obs, differences };
}

/** After an order change: OpenClaw pins a profile per chat session until /new or /reset. */
export function pinNote(before: string[], after: string[]): string {
  const left = before.filter((id) => !after.includes(id));
  const base = "Running chats keep the profile they are pinned to until /new or /reset";
  return left.length === 0
    ? `${base}; new chats start with ${after[0] === undefined ? "the first usable profile" : inlineName(after[0])}.`
    : `${base}, except chats pinned to ${nameList(left)}: that profile left the order, so they move on at their ` +
        `next turn.`;
}

/**
 * What to tell the user when the state read back is not the plan's (nothing is patched). The notes on the order
 * speak only when the order is what differs (a delete of a profile out of the order is to leave it as it is).
 */
export function driftNotes(
  op: AuthOperation,
  before: AuthSnapshot,
  after: AuthSnapshot,
  expected: ExpectedState,
): string[] {
  const notes = [
    "codex-profiler does not edit OpenClaw's state or re-apply by itself; the change is reported as it stands.",
  ];
  if (op.kind === "order-clear" && after.storedOrder !== null) {
    notes.push(
      "The remaining order most likely came from a legacy auth file imported by `openclaw doctor --fix`: `order " +
        "clear` removes only the per-agent override, not an imported order. " +
        `Set the order you want explicitly with \`openclaw models auth order set --provider ${after.provider} ` +
        `<ids…>\` (codex_auth order set …).`,
    );
  }
  const orderDiffers = expected.storedOrder !== undefined && !sameOrder(expected.storedOrder, after.storedOrder);
  if (!orderDiffers || op.kind === "order-clear") return notes;
  if (after.storedOrder !== null && sameOrder(before.storedOrder, after.storedOrder)) {
    // 2026.5.28's `order set --agent <id>` for an agent without its own profiles: exit 0, nothing stored.
    notes.push(
      `OpenClaw's command exited 0, yet the order it reads back for agent ${inlineName(after.agentId)} is the one ` +
        "from before the change, so most likely the command had no effect there (not another writer). An agent " +
        "whose profiles come from the main agent may read its order from there too: check with `openclaw models " +
        `auth order get --provider ${after.provider} --agent ${after.agentId}\`.`,
    );
  } else if (before.storedOrder !== null && after.storedOrder !== null) {
    notes.push(
      "Another writer (a running Gateway or a second tool) may have changed the order at the same time; run " +
        "`codex_auth order show` and retry if needed.",
    );
  }
  return notes;
}
