import { type CodexProfilerError, errorFromCode, RotationError } from "../errors/index.ts";
import { type AuthResult, runAuthOperation } from "../models-auth/index.ts";
import type { OrderChangeResult, OrderPort } from "./order-port.ts";

function failure(result: AuthResult, fallback: string): CodexProfilerError {
  const message = result.error?.message ?? fallback;
  return (result.error && errorFromCode(result.error.code, message)) ?? new RotationError("order_read_failed", message);
}

/**
 * The order port over the models-auth pipeline: reads with `order-show` (preflight only) and writes with
 * `order-set` confirmed, which runs preflight → `openclaw models auth order set` → verify.
 */
export function authOrderPort(env: NodeJS.ProcessEnv): OrderPort {
  return {
    async readOrder(agentId) {
      const result = await runAuthOperation({ kind: "order-show" }, { agentId, confirm: false, env });
      if (!result.ok || !result.preflight) throw failure(result, "could not read the order");
      return result.preflight.storedOrder ?? result.preflight.effectiveOrder;
    },
    async setOrder(request): Promise<OrderChangeResult> {
      const result = await runAuthOperation(
        { kind: "order-set", ids: request.ids },
        { agentId: request.agentId, confirm: true, env },
      );
      const observed = result.verify
        ? (result.verify.observed.storedOrder ?? result.verify.observed.effectiveOrder)
        : [];
      return {
        ok: result.ok,
        applied: result.confirmed && result.applied.length > 0 && result.applied.every((a) => a.ok),
        verify: result.verify
          ? { matches: result.verify.matches, expected: result.verify.expected.storedOrder ?? request.ids, observed }
          : null,
        notes: result.notes,
        error: result.error ? { code: result.error.code, message: result.error.message } : null,
      };
    },
  };
}
