import { containsSecret } from "./redact.ts";

/** No profile id, label, agent id or choice is longer; anything longer is not echoed. */
const MAX_ECHO_LENGTH = 160;
const SECRET_PREFIX = /^(?:eyJ|ac_|rt_|sk-)/;

/**
 * True when a value the user typed could be a credential: a JWT or a piece of one, an OpenAI code/token/key
 * prefix (also after a `provider:`), a long opaque base64url run (see redactText), a URL or query with OAuth parameters, a known
 * secret value, or anything longer than an id can be.
 */
export function looksLikeSecret(value: string): boolean {
  const afterProvider = value.slice(value.indexOf(":") + 1);
  return (
    value.length > MAX_ECHO_LENGTH ||
    SECRET_PREFIX.test(value) ||
    SECRET_PREFIX.test(afterProvider) ||
    containsSecret(value)
  );
}

/**
 * A value the user gave, fit to quote back in an error: JSON-quoted, or described without a single character
 * of it when it could be a secret.
 */
export function quoteInput(value: string, what = "value"): string {
  if (looksLikeSecret(value)) return `(the ${what} you gave looks like a token or OAuth code; it was not shown)`;
  return JSON.stringify(value);
}
