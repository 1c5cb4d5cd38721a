import { containsSecret } from "./redact.ts";

/** No profile id, label, agent id or choice is longer; anything longer is not echoed. */
const MAX_ECHO_LENGTH = 160;

/**
 * True when a value the user typed could be a credential: whatever redactText would remove (a JWT or a piece of
 * one, an OpenAI token, code or key by its prefix — also after a `provider:` —, a long opaque base64url run, a URL
 * or query with OAuth parameters, a known secret value), or anything longer than an id can be. The same rules as
 * the redactor, so a short name such as `sk-a` is a name.
 */
export function looksLikeSecret(value: string): boolean {
  return value.length > MAX_ECHO_LENGTH || containsSecret(value);
}

/**
 * A value the user gave, fit to quote back in an error: JSON-quoted, or described without a single character
 * of it when it could be a secret.
 */
export function quoteInput(value: string, what = "value"): string {
  if (looksLikeSecret(value)) return `(the ${what} you gave looks like a token or OAuth code; it was not shown)`;
  return JSON.stringify(value);
}
