import type { ProfileSet, Selection } from "../profiles/index.ts";
import type { UsageCheck } from "../usage/types.ts";

/**
 * What the chat handlers need from the rest of codex-profiler. Handlers only see this port, so their
 * tests inject fakes; src/chat/real-services.ts wires the real usage engine, profile source,
 * auth wrapper and rotation. Every method may throw a CodexProfilerError (its code is shown to the user).
 * One command step reads the profile set once (loadProfiles) and hands that same set to what follows.
 */
export interface ChatServices {
  /** The agent's Codex profiles, read once per step: through the host's own reader in a gateway, else in place. */
  loadProfiles(query: AgentQuery): Promise<ProfileSet>;
  /** Usage of the profiles `selection` resolved to in that same set: the readings as data; chat presents them. */
  checkUsage(request: { set: ProfileSet; selection: Selection }): Promise<UsageCheck>;
  /** Read-only: models status + auth order, as short lines. */
  authStatus(query: AgentQuery): Promise<string[]>;
  /** What a change would run, planned from the set as read: no `openclaw` call. */
  planAuth(request: AuthRequest, set: ProfileSet): Promise<AuthPlanView>;
  /**
   * The CLI preflight (refused when OpenClaw's order is no longer the plan's `planOrder`) → apply through
   * `openclaw models auth …` → verify. A mismatch is reported in the result.
   */
  applyAuth(request: AuthRequest): Promise<AuthResultView>;
  /**
   * Starts a device-code login (adds a profile, or re-logs an existing one). `replaces`: the sender's previous
   * login, cancelled first (one login per sender runs at a time).
   */
  startLogin(
    request: AgentQuery & { profileId?: string; provider?: string; replaces?: string },
  ): Promise<LoginStartView>;
  pollLogin(request: { sessionId: string }): Promise<LoginPollView>;
  /** The order rotation would choose for that set, or null when rotation is not available. */
  proposeOrder(query: AgentQuery, set: ProfileSet): Promise<OrderProposal | null>;
}

interface AgentQuery {
  agentId?: string;
}

/** "login" is planned like the others but, once confirmed, runs through startLogin. */
type MutationAction = "first" | "retire" | "restore" | "delete" | "order" | "login";

export interface AuthRequest extends AgentQuery {
  action: MutationAction;
  /** Full profile id; for every action but "order" and a login that adds a new profile. */
  profileId?: string;
  /** The complete new order, for "order". */
  order?: string[];
  /** The order (stored, else effective) the plan was made from; the confirm refuses when it changed since. */
  planOrder?: string[];
  /** For a login: the provider of the command shown; the login is refused when OpenClaw now uses another. */
  provider?: string;
  /** For an optimized order: the ids it leaves out for being unusable (OrderProposal.park). */
  park?: string[];
}

export interface AuthPlanView {
  /** One sentence: what changes. */
  summary: string;
  /** The exact request to apply once confirmed, when planning made it concrete (e.g. "first" → the full order). */
  resolved?: AuthRequest;
  /** Each `openclaw …` invocation as its argv after `openclaw` (shown, never run through a shell). */
  commands: string[][];
  /** Set when planning refused the change (from the profiles as read): nothing is offered for confirmation. */
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
  /** The unusable ids the order leaves out, remembered as rotation's parked ones once it is applied. */
  park?: string[];
}
