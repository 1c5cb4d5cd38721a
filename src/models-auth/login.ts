import { InputError, LoginError, type Outcome } from "../errors/index.ts";
import type { Logger } from "../lib/logger.ts";
import { validateAgentId, validateProfileName } from "../openclaw/ids.ts";
import type { CodexProviderId } from "../openclaw/provider.ts";
import { OpenclawCli, onPath, startLoginProcess, type TranscriptEvent } from "../openclaw-cli/index.ts";
import { failureOf } from "./failure.ts";
import { readSnapshot } from "./snapshot.ts";
import { type AuthSnapshot, agentArgs, type HealthStatus, isUsable } from "./state.ts";

/**
 * A login is a change like any other: preflight (a state OpenClaw would refuse stops it before it starts) →
 * `openclaw models auth login` (the process side lives in openclaw-cli) → verify (read again: is the profile
 * saved and usable?).
 */
export type LoginEvent = TranscriptEvent | { type: "started"; command: string[] } | { type: "verifying" };

export interface LoginOptions {
  /** The name after "<provider>:"; omitted = OpenClaw names the profile after the account. */
  profileName?: string | null;
  deviceCode?: boolean;
  agentId?: string;
  env?: NodeJS.ProcessEnv;
  cli?: OpenclawCli;
  logger?: Logger;
  /**
   * `openclaw models auth login` refuses to run without a terminal on stdin. "script" gives it a
   * pseudo-terminal through util-linux script(1); "none" uses plain pipes (fakes, or hosts without
   * script). Default: "script" when script is on PATH.
   */
  pty?: "script" | "none";
  /**
   * The provider of the command the user confirmed (loginArgv's, as a plan showed it): the login is refused,
   * nothing spawned, when the installed OpenClaw logs Codex profiles in under another one.
   */
  provider?: CodexProviderId;
  /** The whole login, default 15 min (device codes expire after 15 min). */
  timeoutMs?: number;
  onEvent?: (event: LoginEvent) => void;
}

export interface LoginResult {
  ok: boolean;
  /** How it ended; src/cli/exit-codes.ts turns it into the exit code. */
  outcome: Outcome;
  provider: CodexProviderId | null;
  /** The profile that was created or refreshed, when it could be identified. */
  profileId: string | null;
  profileStatus: HealthStatus | null;
  /** Profiles that exist now and did not before. */
  newIds: string[];
  notes: string[];
  error: { code: string; message: string } | null;
}

export interface LoginSession {
  /**
   * Hands the redirect URL (or code) the user pasted to openclaw, as soon as its prompt is up; it is
   * not echoed, logged or kept. Allowed once the authorize URL was relayed.
   */
  submitRedirect(input: string): void;
  cancel(): void;
  readonly result: Promise<LoginResult>;
}

const CODEX_CLI_WARNING =
  "Do not add accounts with the Codex CLI itself (`codex login`): it revokes the account that was stored before it. " +
  "Add each account through this login.";

const DEFAULT_LOGIN_TIMEOUT_MS = 15 * 60_000;

export interface LoginCommand {
  provider: CodexProviderId;
  /** The profile is `<provider>:<name>`, whatever provider an old id of that name carried. */
  profileName: string | null;
  deviceCode: boolean;
  agentId: string | null;
}

/** The one `openclaw models auth login` argv (after `openclaw`): what a plan shows is what startLogin runs. */
export function loginArgv(c: LoginCommand): string[] {
  return [
    "models",
    "auth",
    "login",
    "--provider",
    c.provider,
    ...(c.profileName ? ["--profile-id", `${c.provider}:${c.profileName}`] : []),
    ...(c.deviceCode ? ["--device-code"] : []),
    ...agentArgs(c.agentId),
  ];
}

/**
 * Starts the login and relays what the user must do. Throws InputError/LoginError for bad input or an
 * unsupported version (nothing spawned then); every later outcome arrives in `result`.
 */
export async function startLogin(opts: LoginOptions): Promise<LoginSession> {
  // A name typed on the command line was held to the typed rule where it was parsed (cli/auth-args.ts).
  const name = opts.profileName ? validateProfileName(opts.profileName, { typed: false }) : null;
  const agentId = opts.agentId === undefined ? null : validateAgentId(opts.agentId);
  const env = opts.env ?? process.env;
  const cli = opts.cli ?? new OpenclawCli({ env, logger: opts.logger });
  const caps = await cli.capabilities();
  if (name && !caps.profileIdFlag)
    throw new LoginError(
      "login_unsupported",
      "This OpenClaw cannot name the profile at login (--profile-id needs 2026.5+); omit --profile.",
    );
  if (opts.deviceCode && !caps.deviceCode)
    throw new LoginError(
      "login_unsupported",
      "This OpenClaw has no device-code login (2026.5+); use the browser flow.",
    );
  const provider = caps.provider;
  if (opts.provider && opts.provider !== provider)
    throw new LoginError(
      "login_unsupported",
      `This OpenClaw logs Codex profiles in as ${provider}:…, not as the ${opts.provider}:… of the confirmed ` +
        "command; nothing was started. Ask for the login again.",
    );
  const profileId = name ? `${provider}:${name}` : null;
  const argv = loginArgv({ provider, profileName: name, deviceCode: opts.deviceCode === true, agentId });

  const prior = await readSnapshot(cli, { provider, agentId, caps, withList: true });
  const login = startLoginProcess({
    cli,
    argv,
    pty: opts.pty ?? (onPath("script", env) ? "script" : "none"),
    timeoutMs: opts.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS,
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  opts.onEvent?.({ type: "started", command: ["openclaw", ...argv] });

  const result = login.ended.then(async ({ failure }): Promise<LoginResult> => {
    const base: LoginResult = {
      ok: false,
      outcome: "apply_failed",
      provider,
      profileId,
      profileStatus: null,
      newIds: [],
      notes: [CODEX_CLI_WARNING],
      error: null,
    };
    if (failure) return { ...base, error: failure };
    opts.onEvent?.({ type: "verifying" });
    let after: AuthSnapshot;
    try {
      after = await readSnapshot(cli, { provider, agentId, caps, withList: true });
    } catch (err) {
      const { error } = failureOf(err);
      return {
        ...base,
        outcome: "verify_mismatch",
        error: { code: error.code, message: `login finished but could not be verified: ${error.message}` },
      };
    }
    return verifyLogin(base, prior, after, profileId);
  });
  return { submitRedirect: (input) => login.submitRedirect(input), cancel: () => login.cancel(), result };
}

/**
 * The profile a login saved: the one named, else the one new id, else (an account already saved, logged in again:
 * OpenClaw replaces its credential under the same id) the one profile whose token expiry changed.
 */
function verifyLogin(base: LoginResult, prior: AuthSnapshot, after: AuthSnapshot, named: string | null): LoginResult {
  const newIds = after.knownIds.filter((id) => !prior.knownIds.includes(id));
  const before = new Map(prior.profiles.map((p) => [p.id, p.expiresAtMs]));
  const replaced = after.profiles.filter((p) => before.has(p.id) && before.get(p.id) !== p.expiresAtMs);
  const id =
    named ??
    (newIds.length === 1 ? (newIds[0] as string) : null) ??
    (newIds.length === 0 && replaced.length === 1 ? (replaced[0]?.id ?? null) : null);
  const health = id ? after.profiles.find((p) => p.id === id) : undefined;
  const exists = id !== null && after.knownIds.includes(id);
  const notes = [...base.notes];
  if (exists && after.storedOrder !== null && !after.storedOrder.includes(id)) {
    notes.push(`${id} is saved but not in the stored order; \`codex_auth restore ${id}\` adds it.`);
  }
  if (!exists || (health && !isUsable(health))) {
    const message = id
      ? `${id} is ${exists ? health?.status : "not saved"} after the login.`
      : "The login finished but no new profile could be identified; run codex_auth status.";
    return {
      ...base,
      outcome: "verify_mismatch",
      profileId: id,
      newIds,
      notes,
      profileStatus: health?.status ?? null,
      error: { code: "login_unverified", message },
    };
  }
  return { ...base, ok: true, outcome: "ok", profileId: id, newIds, notes, profileStatus: health?.status ?? null };
}

/** A login that could not even start, as a result: bad input, refused (unsupported here), or a failure. */
export function loginStartFailure(err: unknown): LoginResult {
  const base = { ok: false, provider: null, profileId: null, profileStatus: null, newIds: [], notes: [] };
  if (err instanceof InputError || err instanceof LoginError) {
    return {
      ...base,
      outcome: err instanceof InputError ? "bad_input" : "refused",
      error: { code: err.code, message: err.message },
    };
  }
  const { error } = failureOf(err);
  return {
    ...base,
    outcome: "failure",
    error: { code: error.code === "internal_error" ? "login_failed" : error.code, message: error.message },
  };
}
