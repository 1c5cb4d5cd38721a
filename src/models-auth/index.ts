/**
 * Every change to OpenClaw's auth profiles goes through `openclaw models auth …`, as
 * preflight (parallel reads) → plan (pure) → apply (only when confirmed) → verify (parallel re-read).
 *
 *   const op = { kind: "retire", id: "openai:bob@example.com" };
 *   const result = await runAuthOperation(op, { agentId, confirm: false });
 *   result.plan             // { commands: [["models", "auth", "order", "set", …]], expected, summary, targetOrder }
 *   await runAuthOperation(op, { agentId, confirm: true })   // after the user confirmed
 *   result.outcome          // ok | bad_input | refused | apply_failed | verify_mismatch | failure
 *   result.verify?.matches, result.verify?.expected / observed, result.notes
 * Share one OpenclawCli per run (`cli` option) so `openclaw --version` runs once.
 *
 * Login: const s = await startLogin({ profileName, deviceCode, agentId, onEvent });
 *   onEvent: {type:"device-code", verificationUrl, userCode} | {type:"authorize-url", url}
 *          | {type:"redirect-prompt"} | …
 *   s.submitRedirect(pastedUrl); const r = await s.result;   // r.ok, r.outcome, r.profileId, r.profileStatus, r.notes
 */

export { passable } from "./apply.ts";
export { describePlan, formatAuthResult } from "./describe.ts";
export {
  type LoginEvent,
  type LoginResult,
  type LoginSession,
  loginArgv,
  loginStartFailure,
  startLogin,
} from "./login.ts";
export { applyModelPriority } from "./model-priority.ts";
export { type AuthOperation, type AuthResult, exactForDelete } from "./operations.ts";
export { runAuthOperation } from "./pipeline.ts";
export { orderBasis, planFromSet } from "./set-plan.ts";
export { healthText, orderSourceText, type StatusReport } from "./status-report.ts";
