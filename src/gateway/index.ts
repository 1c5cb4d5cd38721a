/**
 * The gateway: every change to OpenClaw's auth profiles goes through `openclaw models auth …`,
 * as preflight (parallel reads) → plan (pure) → apply (only when confirmed) → verify (parallel re-read).
 *
 * For the chat plugin and rotation:
 *   const result = await runAuthOperation({ kind: "retire", id: "openai:bob@example.com" }, { agentId, confirm: false });
 *   describePlan(result)            // ["plan: …", "would run: openclaw models auth order set …"] for a confirm button
 *   await runAuthOperation(op, { agentId, confirm: true })   // after the user confirmed
 *   result.ok / result.exitCode (0 ok, 2 bad input, 4 refused, 5 apply failed, 6 verify mismatch)
 *   result.verify?.matches, result.verify?.expected / observed, result.notes
 * Share one OpenclawCli per run (`cli` option) so `openclaw --version` runs once.
 *
 * Login: const s = await startLogin({ profileName, deviceCode, agentId, onEvent });
 *   onEvent: {type:"device-code", verificationUrl, userCode} | {type:"authorize-url", url} | {type:"redirect-prompt"} | …
 *   s.submitRedirect(pastedUrl); const r = await s.result;   // r.ok, r.profileId, r.profileStatus, r.notes
 */
export { runAuthOperation, validateOperation, type AuthOperationOptions } from "./pipeline.ts";
export { describePlan, formatAuthResult } from "./describe.ts";
export { planOperation, compareState, type PlanContext } from "./plan.ts";
export { startLogin, CODEX_CLI_WARNING, type LoginEvent, type LoginOptions, type LoginResult, type LoginSession } from "./login-session.ts";
export { OpenclawCli, DEFAULT_TIMEOUT_MS, type CliRun, type OpenclawCliOptions } from "./openclaw-cli.ts";
export { readSnapshot, isUsable, type GatewaySnapshot, type HealthStatus, type ProfileHealth } from "./snapshot.ts";
export { statusReport, type StatusReport, type StatusRow } from "./status-report.ts";
export { runDoctor, type Finding, type FindingCode } from "./doctor.ts";
export { GatewayError, GATEWAY_ERROR_HINTS, type GatewayErrorCode } from "./gateway-error.ts";
export { InputError, type InputErrorCode } from "./input-error.ts";
export { LoginError, type LoginErrorCode } from "./login-error.ts";
export { validateProfileId, validateAgentId, validateProfileName, toCodexProfileId } from "./validate.ts";
export type {
  AuthOperation, AuthAction, AuthResult, AppliedCommand, ExpectedState, ObservedState, Plan, Refusal, RefusalCode, VerifyResult,
} from "./operations.ts";
