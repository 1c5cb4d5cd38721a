import { inlineName } from "../lib/display-text.ts";
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
 * A name a person types switches from lower to upper case, or from digits back to letters, at most twice
 * (alice2, MyWork, iPhone15Pro, acct1-seat2). Base64url does so about every fourth character, so a piece of a
 * token too short for the redactor still shows it: of the 16-character pieces of JWTs and random tokens about
 * 2 in 100 have two switches or fewer, of the 24-character ones under 1 in 1,000, of the 39-character ones none.
 */
const MAX_CASE_SWITCHES = 2;

function caseSwitches(value: string): number {
  let switches = 0;
  for (let i = 1; i < value.length; i++) {
    const prev = value[i - 1]!;
    const cur = value[i]!;
    const letter = /[A-Za-z]/.test(cur);
    if ((/[a-z]/.test(prev) && /[A-Z]/.test(cur)) || (/\d/.test(prev) && letter)) switches++;
  }
  return switches;
}

/** True when a value the user gave may be quoted back: it reads as something typed, not as a token or a piece. */
export function canQuoteInput(value: string): boolean {
  return !looksLikeSecret(value) && caseSwitches(value) <= MAX_CASE_SWITCHES;
}

/**
 * A value the user gave, fit to quote back in an error: JSON-quoted (in a code span when it carries markup), or
 * described without a single character of it when it could be a secret or a piece of one.
 */
export function quoteInput(value: string, what = "value"): string {
  if (!canQuoteInput(value)) return `(the ${what} you gave looks like a token or OAuth code; it was not shown)`;
  // In chat, a quoted [x](url) or **x** would be rendered in the bot's voice: markup goes in a code span.
  return inlineName(JSON.stringify(value), 400);
}
