/**
 * The error model: one base (CodexProfilerError: code, hint, path), one class per domain with a closed code
 * union, and errorFromCode to rebuild a domain error from a result's error data.
 */
export { CodexProfilerError, isCodexProfilerError } from "./base.ts";
export { ChatError } from "./chat-error.ts";
export { ConfigFileError } from "./config-error.ts";
export { errorFromCode } from "./from-code.ts";
export { InputError, type InputErrorCode } from "./input-error.ts";
export { LoginError, type LoginErrorCode } from "./login-error.ts";
export { OpenclawCliError, type OpenclawCliErrorCode } from "./openclaw-cli-error.ts";
export type { Outcome } from "./outcome.ts";
export { RotationError } from "./rotation-error.ts";
export { StoreError } from "./store-error.ts";
export { type UsageErrorCode, UsageFetchError } from "./usage-fetch-error.ts";
