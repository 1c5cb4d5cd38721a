import type { UsageCheck } from "../usage/types.ts";

/**
 * What the chat handlers need from the rest of codex-profiler. Handlers only see this port, so their
 * tests inject fakes; src/plugin/real-services.ts wires the real usage engine, profile source,
 * auth wrapper and rotation. Every method may throw a CodexProfilerError (its code is shown to the user).
 */
export interface ChatServices {
  /** The numbered selector entries (1 = default, 2 = all, 3.. = profiles) and the profiles themselves. */
  listProfiles(query: AgentQuery): Promise<ProfileList>;
  /** selection: "default" | "all" | a full profile id. The readings as data; chat presents them (src/format). */
  checkUsage(query: AgentQuery & { selection: string }): Promise<UsageCheck>;
  /** Read-only: models status + auth order, as short lines. */
  authStatus(query: AgentQuery): Promise<string[]>;
  /** What a mutation would run, without running it. */
  planAuth(request: AuthRequest): Promise<AuthPlanView>;
  /** Preflight → apply through `openclaw models auth …` → verify. A mismatch is reported in the result. */
  applyAuth(request: AuthRequest): Promise<AuthResultView>;
  /** Starts a device-code login (adds a profile, or re-logs an existing one). */
  startLogin(request: AgentQuery & { profileId?: string }): Promise<LoginStartView>;
  pollLogin(request: { sessionId: string }): Promise<LoginPollView>;
  /** The order rotation would choose, or null when rotation is not available. */
  proposeOrder(query: AgentQuery): Promise<OrderProposal | null>;
}

interface AgentQuery {
  agentId?: string;
}

export interface SelectorEntry {
  /** 1-based number users type: /codex_usage 3. */
  number: number;
  /** "default" | "all" | a full profile id. */
  selection: string;
  label: string;
}

export interface ProfileChoice {
  id: string;
  label: string;
  /** Position in the effective order, null when not in it (retired). */
  orderIndex: number | null;
}

export interface ProfileList {
  entries: SelectorEntry[];
  profiles: ProfileChoice[];
}

/** "login" is planned like the others but, once confirmed, runs through startLogin. */
type MutationAction = "first" | "retire" | "restore" | "delete" | "order" | "login";

export interface AuthRequest extends AgentQuery {
  action: MutationAction;
  /** Full profile id; for every action but "order" and a login that adds a new profile. */
  profileId?: string;
  /** The complete new order, for "order". */
  order?: string[];
}

export interface AuthPlanView {
  /** One sentence: what changes. */
  summary: string;
  /** The exact request to apply once confirmed, when planning made it concrete (e.g. "first" → the full order). */
  resolved?: AuthRequest;
  /** Each `openclaw …` invocation as its argv after `openclaw` (shown, never run through a shell). */
  commands: string[][];
  /** Set when the preflight refused the change: nothing is offered for confirmation. */
  refusal?: { code: string; message: string };
}

export interface AuthResultView {
  applied: boolean;
  verified: boolean;
  /** Short lines for the user: the outcome, and on a mismatch what differs. */
  lines: string[];
}

export interface LoginStartView {
  sessionId: string;
  /** Where the user enters the code; never a redirect URL with code/state. */
  verificationUrl: string;
  userCode: string;
  expiresInSec: number;
}

export interface LoginPollView {
  state: "pending" | "done" | "failed" | "expired";
  profileId?: string;
  message: string;
}

interface OrderProposal {
  order: string[];
  /** Why this order, one short line. */
  reason: string;
}
