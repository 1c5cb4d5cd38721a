import { orderBasis } from "../models-auth/index.ts";
import { backupsInOrder, loadProfileSet, type ProfileSet } from "../profiles/index.ts";
import { runUsageCheck } from "../usage/check.ts";
import { historyPath } from "../usage/history-store.ts";
import { authOrderWriter } from "./auth-order-writer.ts";
import type { OrderPort } from "./order-port.ts";
import type { RotationDeps } from "./rotate.ts";
import { rotationStatePath } from "./rotation-state.ts";

/**
 * Production wiring, made once per tick (one `codex_rotate` run, one chat step): the profile set is read once
 * (or given: the chat step already read it), and both the usage (runUsageCheck, with its 60 s cache) and the
 * current order come from that one read: the stored override as written, else the order OpenClaw would
 * try (API-key ids included either way, so that an order rotation writes keeps them; 2026.5.28's openai
 * backup aside, which no openai-codex order can hold). Changes go through the
 * models-auth pipeline, whose own preflight re-reads the order with the CLI before it writes.
 */
export function defaultRotationDeps(env: NodeJS.ProcessEnv, options: { set?: ProfileSet } = {}): RotationDeps {
  const auth = authOrderWriter(env);
  const sets = new Map<string, Promise<ProfileSet>>();
  if (options.set) sets.set(options.set.location.agentId, Promise.resolve(options.set));
  const profileSet = (agentId: string): Promise<ProfileSet> => {
    let set = sets.get(agentId);
    if (!set) {
      set = loadProfileSet({ env, agentId });
      sets.set(agentId, set);
    }
    return set;
  };
  const order: OrderPort = {
    readOrder: async (agentId, provider) => {
      const set = await profileSet(agentId);
      const other = new Set(set.otherProviderIds);
      // A stored id no longer saved: OpenClaw skips it and its `order set` refuses it, so no order of ours holds it.
      const gone = (id: string) => id.startsWith(`${provider}:`) && !set.providerProfileIds.includes(id);
      return (set.storedOrder ?? set.providerOrder).filter((id) => !other.has(id) && !gone(id));
    },
    backupsEndedByOrder: async (agentId) => {
      const set = await profileSet(agentId);
      return set.storedOrder ? [] : backupsInOrder(set);
    },
    // The order the plan was made from goes along, stored or not: a change since (say the user put a profile
    // first mid-tick) refuses the write instead of being overwritten.
    setOrder: async (request) =>
      auth.setOrder({ ...request, expectOrder: orderBasis(await profileSet(request.agentId)) }),
  };
  return {
    readUsage: async (agentId) =>
      runUsageCheck({ selection: "all", set: await profileSet(agentId), env, useCache: true }),
    order,
    historyPath: historyPath(env),
    statePath: rotationStatePath(env),
    now: Date.now,
  };
}
