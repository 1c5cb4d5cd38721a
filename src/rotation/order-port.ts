import type { Outcome } from "../errors/index.ts";

/**
 * What rotation needs from OpenClaw's auth order. The real implementation goes through the models-auth
 * pipeline (preflight → `openclaw models auth order set` → verify); tests may record calls instead.
 */
export interface OrderChangeRequest {
  agentId: string;
  provider: string;
  ids: string[];
  /** The stored order the change was planned from: one changed since (by the user, mid-tick) refuses the write. */
  expectOrder?: string[];
  /** Unattended (the job): a change that would end OpenClaw's use of an API-key backup is refused, not made. */
  keepBackups?: boolean;
}

export interface OrderChangeResult {
  ok: boolean;
  /** The pipeline's outcome (refused at preflight, apply failed, verify mismatch…): what an exit code says. */
  outcome: Outcome;
  applied: boolean;
  verify: { matches: boolean; expected: string[]; observed: string[] } | null;
  notes: string[];
  /** Set when ok is false: a stable code and a message already free of secrets. */
  error: { code: string; message: string } | null;
}

export interface OrderPort {
  /** The provider's effective order (every id an order of the provider can hold, Codex or not), read-only. */
  readOrder(agentId: string, provider: string): Promise<string[]>;
  /**
   * Another provider's ids OpenClaw tries now that any order stored for this one ends (2026.5.28's openai API-key
   * backup, tried only while no openai-codex order is stored; its `order set` refuses it). Empty elsewhere.
   */
  backupsEndedByOrder(agentId: string): Promise<string[]>;
  setOrder(request: OrderChangeRequest): Promise<OrderChangeResult>;
}
