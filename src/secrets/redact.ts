import { knownSecretValues, REDACTED } from "./secret.ts";

// Three base64url segments, the first starting like a JSON header ("eyJ"): a JWT, signed or not.
const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
// Parameters that carry OAuth material: in a query or fragment, or pasted bare at the start of a line or
// after a space; and the same percent-encoded inside another URL.
const OAUTH_PARAM = /((?:^|[?&#;\s])(?:code|state|id_token|access_token|refresh_token|code_verifier)=)[^&#\s"'<>]+/gim;
const OAUTH_PARAM_ENCODED =
  /((?:%3F|%26|%23)(?:code|state|id_token|access_token|refresh_token|code_verifier)%3D)(?:(?!%26|%23)[^&\s"'<>])+/gi;
// A URL that carries any of those parameters is dropped whole: the rest of it is no use to a reader.
const OAUTH_URL = /\bhttps?:\/\/[^\s"'<>]*[?&#](?:code|state|id_token|access_token|refresh_token)=[^\s"'<>]*/gi;
// A secret-named field in JSON or util.inspect output: "refresh":"…" or refresh: '…'.
const SECRET_KEYS = "access|refresh|access_token|refresh_token|id_token|token|key|apiKey|code_verifier";
const KEY_VALUE = new RegExp(`(["']?\\b(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)(["'])(?:(?!\\2)[^\\n])+\\2`, "gi");

/** Scrubs tokens, JWTs, bearer headers and OAuth redirect URLs out of free text. */
export function redactText(text: string): string {
  let out = text;
  for (const value of knownSecretValues()) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  return out
    .replace(OAUTH_URL, "[redacted-url]")
    .replace(OAUTH_PARAM, `$1${REDACTED}`)
    .replace(OAUTH_PARAM_ENCODED, `$1${REDACTED}`)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(KEY_VALUE, `$1$2${REDACTED}$2`);
}

/** True when the text still holds something redactText would remove. */
export function containsSecret(text: string): boolean {
  return redactText(text) !== text;
}
