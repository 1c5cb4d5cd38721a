import type { Outcome } from "../../src/errors/index.ts";
import type { OrderChangeRequest, OrderChangeResult, OrderPort } from "../../src/rotation/order-port.ts";

/** An order port that keeps the order in memory and records every call (for loops the real CLI is too slow for). */
export interface RecordingOrderPort extends OrderPort {
  order: string[];
  sets: OrderChangeRequest[];
  reads: number;
  /** Makes the next setOrder fail with this code, and this outcome (apply_failed unless set). */
  failNext: string | null;
  failOutcome?: Outcome;
  /** What backupsEndedByOrder answers until an order is set. */
  backups: string[];
}

export function recordingOrderPort(initial: string[]): RecordingOrderPort {
  const port: RecordingOrderPort = {
    order: [...initial],
    sets: [],
    reads: 0,
    failNext: null,
    backups: [],
    async backupsEndedByOrder() {
      return port.sets.length > 0 ? [] : [...port.backups];
    },
    async readOrder() {
      port.reads++;
      return [...port.order];
    },
    async setOrder(request): Promise<OrderChangeResult> {
      port.sets.push({ ...request, ids: [...request.ids] });
      if (port.failNext) {
        const code = port.failNext;
        port.failNext = null;
        const error = { code, message: `simulated ${code}` };
        return {
          ok: false,
          outcome: port.failOutcome ?? "apply_failed",
          applied: false,
          verify: null,
          notes: [],
          error,
        };
      }
      port.order = [...request.ids];
      return {
        ok: true,
        outcome: "ok",
        applied: true,
        verify: { matches: true, expected: request.ids, observed: [...port.order] },
        notes: [],
        error: null,
      };
    },
  };
  return port;
}

export { captureRuntime } from "./capture-runtime.ts";
