import { loadProfileSet } from "../profiles/index.ts";
import { runUsageCheck } from "../usage/usage-service.ts";
import { gatewayOrderPort } from "./gateway-order-port.ts";
import { historyPath } from "./history-store.ts";
import type { OrderPort } from "./order-port.ts";
import type { RotationDeps } from "./rotate.ts";
import { rotationStatePath } from "./rotation-state.ts";

/**
 * Production wiring: usage from runUsageCheck (with its 60 s cache); the current order read-only from
 * OpenClaw's store by src/profiles (no CLI call): the stored override as written (API-key ids included),
 * else the effective order; changes through the gateway
 * pipeline, whose own preflight re-reads the order with the CLI before it writes.
 */
export function defaultRotationDeps(env: NodeJS.ProcessEnv): RotationDeps {
  const gateway = gatewayOrderPort(env);
  const order: OrderPort = {
    readOrder: async (agentId) => {
      const set = await loadProfileSet({ env, agentId });
      return set.storedOrder ?? set.effectiveOrder;
    },
    setOrder: (request) => gateway.setOrder(request),
  };
  return {
    readUsage: (agentId) => runUsageCheck({ selection: "all", agentId, env, useCache: true }),
    order,
    historyPath: historyPath(env),
    statePath: rotationStatePath(env),
    now: Date.now,
  };
}
