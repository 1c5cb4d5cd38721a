import { redactText } from "../secrets/redact.ts";

/**
 * Pure reading of `openclaw models auth login` output (clack prompts on a pseudo-terminal): ANSI
 * escapes and box-drawing frames are stripped, then the device-code URL + user code, the browser
 * authorize URL, and the "paste the redirect URL" prompt are recognised.
 */
export type TranscriptEvent =
  | { type: "device-code"; verificationUrl: string; userCode: string }
  | { type: "authorize-url"; url: string }
  | { type: "redirect-prompt" };

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
const ANSI = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007|\u001b[@-Z\\-_]/g;
const FRAME = /^[\s│┃|◇◆◒◐◓◑●○▲■□└┌├┤╮╯╭╰─━]+/u;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

export function cleanLine(raw: string): string {
  return raw
    .replace(ANSI, "")
    .replace(CONTROL, "")
    .replace(FRAME, "")
    .replace(/[\s│╮╯]+$/u, "")
    .trim();
}

const DEVICE_URL = /^URL:\s*<?(https:\/\/auth\.openai\.com\/[^\s>]+)>?/;
const USER_CODE = /^Code:\s*([A-Z0-9][A-Z0-9-]{3,31})$/;
const AUTHORIZE = /(https:\/\/auth\.openai\.com\/oauth\/authorize\?[^\s>]+)/;
const CREDENTIAL_PARAM = /^(?:code|access_token|refresh_token|id_token|code_verifier)$/i;

/**
 * The sign-in URL goes to the user unscrubbed (its state and PKCE challenge are public, and the scrubber would hide
 * it): only one that carries nothing else a scrubber would remove, such as a code or a token in another parameter.
 */
function publicAuthorizeUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.hash !== "") return false; // an implicit-flow token travels after "#"
  for (const [name, value] of parsed.searchParams) {
    if (CREDENTIAL_PARAM.test(name)) return false;
    // Left unscrubbed, so held to their shape: one base64url or hex run, nothing joined by ";" and no JWT's dots.
    if (name === "state" || name === "code_challenge") {
      if (!/^[A-Za-z0-9_-]{1,128}$/.test(value)) return false;
    } else if (redactText(value) !== value) return false;
  }
  return true;
}
// The prompt itself, not the note that mentions pasting ("… then paste the redirect URL here.").
const PROMPT = /Paste the authorization code \(or full redirect URL\)|^Paste the redirect URL:?$/;

/** Stateful line reader: feed cleaned lines, get events once each. */
export class TranscriptReader {
  #deviceUrl: string | null = null;
  #deviceSent = false;
  #authorizeSent = false;
  #promptSent = false;

  feed(line: string): TranscriptEvent[] {
    const out: TranscriptEvent[] = [];
    const url = DEVICE_URL.exec(line)?.[1];
    if (url && !url.includes("/oauth/authorize")) this.#deviceUrl = url;
    const code = USER_CODE.exec(line)?.[1];
    if (code && this.#deviceUrl && !this.#deviceSent) {
      this.#deviceSent = true;
      out.push({ type: "device-code", verificationUrl: this.#deviceUrl, userCode: code });
    }
    const authorize = AUTHORIZE.exec(line)?.[1];
    if (authorize && !this.#authorizeSent && publicAuthorizeUrl(authorize)) {
      this.#authorizeSent = true;
      out.push({ type: "authorize-url", url: authorize });
    }
    if (PROMPT.test(line) && !this.#promptSent) {
      this.#promptSent = true;
      out.push({ type: "redirect-prompt" });
    }
    return out;
  }
}

/** A pasted redirect URL (or bare code) the child may receive: one line, bounded, carrying a code. */
export function checkRedirectInput(value: string): boolean {
  const v = value.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
  if (v.length === 0 || v.length > 4096 || /[\u0000-\u001f\u007f]/.test(v)) return false;
  try {
    const u = new URL(v);
    return (u.protocol === "http:" || u.protocol === "https:") && u.searchParams.has("code");
  } catch {
    return /^[A-Za-z0-9._~-]{8,}(#[A-Za-z0-9._~-]+)?$/.test(v);
  }
}
