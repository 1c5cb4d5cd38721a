import { InputError, type Outcome } from "../errors/index.ts";
import { toCodexProfileId, validateProfileId } from "../openclaw/ids.ts";
import { type CodexProviderId, isCodexProvider, splitProfileId } from "../openclaw/provider.ts";
import { quoteInput } from "../secrets/redact.ts";
import type { AuthSnapshot } from "./state.ts";

/** Everything codex_auth, the chat plugin and rotation can ask models-auth to do (login has its own session API). */
export type AuthOperation =
  | { kind: "order-show" }
  /**
   * `planned`: the ids are a plan's order of OpenClaw's own profiles (chat's put-first and optimize, rotation),
   * not typed: a name OpenClaw took that happens to look like a token is not refused as a pasted one (the CLI's
   * put-first, which plans from the preflight, passes it the same way).
   */
  | { kind: "order-set"; ids: string[]; planned?: true }
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
  | "order_changed"
  /** Another change of ours (the job's, another chat's) held the change lock for all of the wait. */
  | "change_in_progress"
  /** An unattended change (the rotation job) would end OpenClaw's use of an API-key backup (2026.5.28). */
  | "backup_would_end"
  /** A command would carry an id OpenClaw took that no `openclaw` argv may hold (a space in it, a shell character). */
  | "id_not_passable";

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

/** Validates every id in the operation before anything is spawned. */
export function validateOperation(op: AuthOperation): AuthOperation {
  switch (op.kind) {
    case "order-set":
      if (op.ids.length === 0)
        throw new InputError(
          "missing_argument",
          "order set needs at least one profile id (use order clear to drop the override).",
        );
      return { ...op, ids: op.ids.map((id) => validateProfileId(id, { typed: !op.planned })) };
    case "retire":
    case "restore":
    case "put-first":
      return { kind: op.kind, id: validateProfileId(op.id) };
    case "delete":
      if (!op.hard)
        throw new InputError(
          "hard_required",
          "delete removes saved credentials for good and needs --hard; to take a profile out of the order and keep " +
            "it, use retire.",
        );
      return { kind: "delete", id: validateProfileId(op.id), hard: true };
    default:
      return op;
  }
}

export function mapIds(op: AuthOperation, provider: Parameters<typeof toCodexProfileId>[1]): AuthOperation {
  switch (op.kind) {
    case "order-set":
      return { ...op, ids: op.ids.map((id) => toCodexProfileId(id, provider)) };
    case "retire":
    case "restore":
    case "put-first":
      return { kind: op.kind, id: toCodexProfileId(op.id, provider) };
    case "delete":
      return { ...op, id: exactForDelete(op.id, provider) };
    default:
      return op;
  }
}

/**
 * A delete is not mapped across the 2026.6 rename: where both ids are saved, the release's own logout removes
 * the one named (2026.9.6 logs out `openai-codex:x` and keeps `openai:x`), and a mapped id would remove the other.
 * A leftover of the other name cannot be deleted here (the preflight lists the release's provider only): the
 * refusal names OpenClaw's own ways.
 */
export function exactForDelete(id: string, provider: CodexProviderId): string {
  const parts = splitProfileId(id);
  // The chat's selection reads a prefix in any case ("OpenAI-Codex:x" selects openai:x): so is it read here.
  const prefix = parts?.provider.toLowerCase() ?? provider;
  if (!parts || !isCodexProvider(prefix) || prefix === provider) return toCodexProfileId(id, provider);
  const mapped = `${provider}:${parts.name}`;
  throw new InputError(
    "other_provider_id",
    `${quoteInput(id)} is not named the way this OpenClaw saves Codex profiles (${provider}:…). delete removes ` +
      `saved credentials for good, so it takes the id exactly as OpenClaw lists it: ${mapped}, if that one is meant. ` +
      "A leftover of the old name is OpenClaw's to rename (`openclaw doctor --fix`) or to remove with its own " +
      "`openclaw models auth logout`.",
  );
}
