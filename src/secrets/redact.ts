import { knownSecretValues, REDACTED } from "./secret.ts";

// Three base64url segments, the first starting like a JSON header ("eyJ"): a JWT, signed or not.
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
// Query or fragment parameters that carry OAuth material.
const OAUTH_PARAM = /([?&#](?:code|state|id_token|access_token|refresh_token|code_verifier)=)[^&#\s"'<>]+/gi;
// A URL that carries any of those parameters is dropped whole: the rest of it is no use to a reader.
const OAUTH_URL = /\bhttps?:\/\/[^\s"'<>]*[?&#](?:code|state|id_token|access_token|refresh_token)=[^\s"'<>]*/gi;
const KEY_VALUE = /("?(?:access|refresh|access_token|refresh_token|id_token|token|key|apiKey)"?\s*[:=]\s*")[^"]+(")/gi;

/** Scrubs tokens, JWTs, bearer headers and OAuth redirect URLs out of free text. */
export function redactText(text: string): string {
  let out = text;
  for (const value of knownSecretValues()) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out
    .replace(OAUTH_URL, "[redacted-url]")
    .replace(OAUTH_PARAM, `$1${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(KEY_VALUE, `$1${REDACTED}$2`);
}

/** True when the text still holds something redactText would remove. */
export function containsSecret(text: string): boolean {
  return redactText(text) !== text;
}
