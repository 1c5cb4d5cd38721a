/**
 * How a change (or an attempt at one) ended, as engines report it. Only src/cli/exit-codes.ts turns an
 * outcome into a process exit code.
 */
export type Outcome = "ok" | "bad_input" | "refused" | "apply_failed" | "verify_mismatch" | "failure";
