import type { Outcome } from "../errors/index.ts";
import type { CodexProviderId } from "../openclaw/provider.ts";
import type { AuthSnapshot } from "./state.ts";

/** Everything codex_auth, the chat plugin and rotation can ask models-auth to do (login has its own session API). */
export type AuthOperation =
  | { kind: "order-show" }
  | { kind: "order-set"; ids: string[] }
  /** The profile first, then the preflight's order (stored ?? effective) as it is, non-Codex ids included. */
  | { kind: "put-first"; id: string }
  | { kind: "order-clear" }
  | { kind: "retire"; id: string }
  | { kind: "restore"; id: string }
  | { kind: "delete"; id: string; hard: boolean }
  | { kind: "status" }
  | { kind: "doctor" };

type AuthAction = AuthOperation["kind"];

/** The state the plan promises; undefined fields are not checked by verify. */
export interface ExpectedState {
  storedOrder?: string[] | null;
  present?: string[];
  absent?: string[];
}

export interface ObservedState {
  storedOrder: string[] | null;
  effectiveOrder: string[];
  knownIds: string[];
}

type RefusalCode =
  | "unknown_profile"
  | "no_usable_profile"
  | "unsupported_by_version"
  | "agent_required"
  /** The order changed between a plan shown in chat and its confirmation. */
  | "order_changed";

export interface Refusal {
  code: RefusalCode;
  message: string;
}

/** A plan as data: chat and the CLI format it themselves. */
export interface Plan {
  /** Arguments after `openclaw`, one array per command, run in sequence. */
  commands: string[][];
  expected: ExpectedState;
  /** One line saying what the plan does. */
  summary: string;
  refusal: Refusal | null;
  /** The new effective order the plan aims for, when it changes the order. */
  targetOrder: string[] | null;
}

export interface AppliedCommand {
  command: string[];
  ok: boolean;
  exitCode: number | null;
  error: { code: string; message: string } | null;
  /** openclaw saved the change but could not tell a running Gateway. */
  gatewayNotRefreshed: boolean;
}

export interface VerifyResult {
  matches: boolean;
  expected: ExpectedState;
  observed: ObservedState;
  differences: string[];
}

/** One result shape for every operation. */
export interface AuthResult {
  ok: boolean;
  action: AuthAction;
  /** How it ended; src/cli/exit-codes.ts turns it into the exit code. */
  outcome: Outcome;
  agentId: string | null;
  provider: CodexProviderId | null;
  openclawVersion: string | null;
  preflight: AuthSnapshot | null;
  plan: Plan | null;
  /** True when the plan was run (confirmation given); false for dry runs and read-only operations. */
  confirmed: boolean;
  applied: AppliedCommand[];
  verify: VerifyResult | null;
  notes: string[];
  /** Extra read-only output: status rows or doctor findings. */
  details: unknown;
  error: { code: string; message: string; hint: string | null } | null;
}
