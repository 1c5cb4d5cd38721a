import { runUsageCheck } from "../usage/usage-service.ts";
import { gatewayOrderPort } from "./gateway-order-port.ts";
import { historyPath } from "./history-store.ts";
import type { RotationDeps } from "./rotate.ts";
import { rotationStatePath } from "./rotation-state.ts";

/** Production wiring: usage from runUsageCheck (with its 60 s cache), the order through the gateway pipeline. */
export function defaultRotationDeps(env: NodeJS.ProcessEnv): RotationDeps {
  return {
    readUsage: (agentId) => runUsageCheck({ selection: "all", agentId, env, useCache: true }),
    order: gatewayOrderPort(env),
    historyPath: historyPath(env),
    statePath: rotationStatePath(env),
    now: Date.now,
  };
}
