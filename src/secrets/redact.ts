import { inlineName } from "../lib/display-text.ts";

// What never leaves: credentials held as Secret, every text scrubbed of them and of anything shaped like one, and
// user input quoted back only when it reads as typed (quoteInput).
const REDACTED = "[redacted]";
// Credentials seen, newest last. A Gateway that runs for months sees every renewed token: the newest 1,000 are kept
// (ten times what a host with 50 accounts holds at once); older ones are scrubbed by their shape alone.
const known = new Set<string>();
const KNOWN_MAX = 1_000;
// util.inspect.custom, without loading node:util for it.
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A credential string that refuses to be printed. JSON.stringify, String(), template literals and
 * util.inspect all yield "[redacted]"; only reveal() gives the value, at the single place that sends it.
 * Every value is also remembered so that redactText() can scrub it from any text, whatever its path.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    if (value.length < 8) return;
    known.delete(value);
    known.add(value);
    if (known.size > KNOWN_MAX) known.delete(known.values().next().value as string);
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return `Secret(${REDACTED})`;
  }
}

// A run of base64url and dots: where a JWT can be. Every match succeeds whole, so the scan is linear; the JWT
// rules below look inside a run with indexOf, never with a regex that backtracks over a long run of "eyJ-eyJ-…".
const DOTTED_RUN = /[A-Za-z0-9_.-]+/g;
// A piece of one: a header or payload segment alone ("eyJ" is `{"` in base64url), cut anywhere.
const JWT_PIECE = /(?<![A-Za-z0-9])eyJ[A-Za-z0-9_-]{8,}\.?/g;
// OpenAI's refresh tokens, authorization codes and API keys, by their prefixes.
const PREFIXED = /\b(?:rt_|ac_|sk-)[A-Za-z0-9._~-]{8,}/g;
// A long run of base64url that mixes cases and digits: a signature or an opaque token, not a word or hex id.
const OPAQUE =
  /(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{40,}/g;
const BEARER = /\b(Bearer\s+)[^\s"',;]+/gi;
const OAUTH_NAMES = "code|state|id_token|access_token|refresh_token|code_verifier";
// `=` and the separators before a parameter in every encoding seen: plain, percent-encoded once or more
// (%3D, %253D…), JSON-escaped (\u003d) and as an HTML entity.
const EQ = String.raw`(?:=|%(?:25)*3[dD]|\\u003[dD]|&#61;)`;
const SEP = String.raw`(?:^|[?&#;\s]|%(?:25)*(?:3[fF]|26|23)|\\u0026|&amp;)`;
const OAUTH_PARAM = new RegExp(
  String.raw`(${SEP}(?:${OAUTH_NAMES})${EQ})(?:(?!%(?:25)*(?:26|23)|\\u0026)[^&#\s"'<>])+`,
  "gim",
);
// A URL that carries any of those parameters is dropped whole: the rest of it is no use to a reader. The URL
// is taken whole first and searched after, so that a long run of "http://" costs linear time, not quadratic.
const URL_RUN = /\bhttps?:(?:\/\/|%(?:25)*2[fF]%(?:25)*2[fF])[^\s"'<>]*/gi;
const PARAM_IN_URL = new RegExp(`${SEP.replace("^|", "")}(?:${OAUTH_NAMES})${EQ}`, "i");
// A secret-named field in JSON or util.inspect output: "refresh":"…" or refresh: '…'.
const SECRET_KEYS = "access|refresh|access_token|refresh_token|id_token|token|key|apiKey|code_verifier";
const KEY_VALUE = new RegExp(`(["']?\\b(?:${SECRET_KEYS})["']?\\s*[:=]\\s*)(["'])(?:(?!\\2)[^\\n])+\\2`, "gi");

/**
 * What a thrown value says, redacted; `fallback` when it says nothing. Never throws itself: anything can be
 * thrown (a string, undefined, an object whose message getter or toString throws).
 */
export function errorMessage(error: unknown, fallback = "no reason given"): string {
  let text: unknown;
  try {
    text = error instanceof Error ? error.message : String(error);
  } catch {
    text = "";
  }
  if (typeof text !== "string" || text.trim() === "" || text === "undefined") return fallback;
  return redactText(text);
}

/**
 * Scrubs tokens (whole or in pieces), refresh tokens, codes and keys, bearer headers and OAuth redirect URLs
 * in any encoding out of free text. Everything relayed from openclaw or an endpoint passes through here.
 */
export function redactText(text: string): string {
  let out = text;
  for (const value of known) {
    if (out.includes(value)) out = out.split(value).join(REDACTED);
  }
  // The opaque rule runs before the pieces: an opaque token with "-eyJ" inside would lose only its tail.
  return out
    .replace(URL_RUN, (url) => (PARAM_IN_URL.test(url) ? "[redacted-url]" : url))
    .replace(OAUTH_PARAM, `$1${REDACTED}`)
    .replace(DOTTED_RUN, redactJwtsInRun)
    .replace(OPAQUE, REDACTED)
    .replace(JWT_PIECE, REDACTED)
    .replace(PREFIXED, REDACTED)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(KEY_VALUE, `$1$2${REDACTED}$2`);
}

/**
 * Three base64url segments, the first starting like a JSON header ("eyJ"): a JWT, signed or not. Its header
 * begins a segment or follows "_" or "-" (`work_eyJ…`), not a letter or a digit (camelCase "surveyJobs"),
 * unless the payload is JSON too (".eyJ"): then it is a JWT glued to a word (`acct1eyJ…`), header included.
 */
function redactJwtsInRun(run: string): string {
  if (!run.includes("eyJ")) return run;
  const segments = run.split(".");
  let out = "";
  let i = 0;
  for (; i + 2 < segments.length; i++) {
    const [segment, payload] = [segments[i] ?? "", segments[i + 1] ?? ""];
    const glued = payload.startsWith("eyJ") && payload.length >= 7;
    const header = payload.length >= 4 ? headerStart(segment, glued) : -1;
    if (header === -1) {
      out += `${segment}.`;
      continue;
    }
    out += `${segment.slice(0, header)}${REDACTED}`;
    i += 2;
    if (i + 1 < segments.length) out += ".";
  }
  return out + segments.slice(i).join(".");
}

// Where a JWT header begins in a segment: the first "eyJ" with four characters after it, anchored unless glued.
function headerStart(segment: string, glued: boolean): number {
  for (let at = segment.indexOf("eyJ"); at !== -1 && at + 7 <= segment.length; at = segment.indexOf("eyJ", at + 1)) {
    if (glued || at === 0 || !/[A-Za-z0-9]/.test(segment[at - 1] ?? "")) return at;
  }
  return -1;
}

// A run this long of a known credential is a secret too: an endpoint can echo any piece of the bearer token.
const PIECE = 8;

function holdsPieceOfKnown(text: string): boolean {
  if (text.length < PIECE || known.size === 0) return false;
  for (let i = 0; i + PIECE <= text.length; i++) {
    const piece = text.slice(i, i + PIECE);
    for (const value of known) if (value.includes(piece)) return true;
  }
  return false;
}

/**
 * True when the text still holds something redactText would remove, or any piece (8 characters or more) of a
 * credential held as a Secret. For the short fields kept from an answer; free text goes through redactText.
 */
export function containsSecret(text: string): boolean {
  return redactText(text) !== text || holdsPieceOfKnown(text);
}

/**
 * A name as our own files (usage cache, history, rotation state) keep it: as is, or by a digest when it holds
 * what redactText would remove. OpenClaw takes any profile or agent id, so a pasted token can be one; the digest
 * still tells it apart from every other id, and the same id always gives the same key. node:crypto loads only
 * for such a name: a cached CLI run never needs it.
 */
export function storedKey(name: string): string {
  if (redactText(name) === name) return name;
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `redacted-sha256:${createHash("sha256").update(name).digest("hex").slice(0, 32)}`;
}

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
