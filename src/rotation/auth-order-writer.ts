import { runAuthOperation } from "../models-auth/index.ts";
import type { OrderChangeResult, OrderPort } from "./order-port.ts";

/**
 * The order port's writes over the models-auth pipeline: `order-set` confirmed, which runs preflight →
 * `openclaw models auth order set` → verify. (Reads come from the profile set the tick already read.)
 */
export function authOrderWriter(env: NodeJS.ProcessEnv): Pick<OrderPort, "setOrder"> {
  return {
    async setOrder(request): Promise<OrderChangeResult> {
      const result = await runAuthOperation(
        { kind: "order-set", ids: request.ids, planned: true },
        {
          agentId: request.agentId,
          confirm: true,
          env,
          ...(request.expectOrder ? { expectOrder: request.expectOrder } : {}),
          ...(request.keepBackups ? { keepBackups: true } : {}),
        },
      );
      const observed = result.verify
        ? (result.verify.observed.storedOrder ?? result.verify.observed.effectiveOrder)
        : [];
      return {
        ok: result.ok,
        outcome: result.outcome,
        // Done once OpenClaw has the order: each command succeeded, or the read-back after a failure shows it.
        applied: result.confirmed && result.applied.length > 0 && (result.ok || result.applied.every((a) => a.ok)),
        verify: result.verify
          ? { matches: result.verify.matches, expected: result.verify.expected.storedOrder ?? request.ids, observed }
          : null,
        notes: result.notes,
        error: result.error ? { code: result.error.code, message: result.error.message } : null,
      };
    },
  };
}
