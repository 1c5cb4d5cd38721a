import { loadProfileSet } from "../profiles/index.ts";
import { runUsageCheck } from "../usage/check.ts";
import { historyPath } from "../usage/history-store.ts";
import { authOrderPort } from "./auth-order-port.ts";
import type { OrderPort } from "./order-port.ts";
import type { RotationDeps } from "./rotate.ts";
import { rotationStatePath } from "./rotation-state.ts";

/**
 * Production wiring: usage from runUsageCheck (with its 60 s cache); the current order read-only from
 * OpenClaw's store by src/profiles (no CLI call): the stored override as written (API-key ids included),
 * else the effective order; changes through the models-auth pipeline, whose own preflight re-reads the
 * order with the CLI before it writes.
 */
export function defaultRotationDeps(env: NodeJS.ProcessEnv): RotationDeps {
  const auth = authOrderPort(env);
  const order: OrderPort = {
    readOrder: async (agentId) => {
      const set = await loadProfileSet({ env, agentId });
      return set.storedOrder ?? set.effectiveOrder;
    },
    setOrder: (request) => auth.setOrder(request),
  };
  return {
    readUsage: (agentId) => runUsageCheck({ selection: "all", agentId, env, useCache: true }),
    order,
    historyPath: historyPath(env),
    statePath: rotationStatePath(env),
    now: Date.now,
  };
}
