import { InputError } from "../errors/index.ts";
import { canQuoteInput, looksLikeSecret, quoteInput } from "../secrets/redact.ts";
import { type CodexProviderId, isCodexProvider, toProviderId } from "./provider.ts";

/**
 * The id rules of every entry point (CLI flags, chat, plugin settings, argv): an agent id, a profile name, a
 * profile id. Every value that ends up in an openclaw argv passes through here first. The character sets are
 * deliberately narrow: no whitespace, quotes, shell metacharacters or control characters, nothing
 * that starts with "-" (it would read as an option), and a hard length cap.
 */
/** Our own id in OpenClaw: plugins.entries.codex-profiler. */
export const PLUGIN_ID = "codex-profiler";

const PROVIDER = /^[a-z][a-z0-9-]{0,31}$/;
// An apostrophe is in real addresses (OpenClaw names a profile by the account's email: openai:o'brien@…).
const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._@+'-]{0,127}$/;
/** The one agent-id rule of every entry point (CLI flags, plugin settings, argv). */
export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_PROFILE_ID_LENGTH = 160;

export function validateAgentId(value: string): string {
  if (!AGENT_ID.test(value)) {
    throw new InputError(
      "invalid_agent_id",
      `Not a valid agent id: ${quoteInput(value)} (letters, digits, "_" and "-", at most 64).`,
    );
  }
  return value;
}

/**
 * A profile name for login: the part after "<provider>:". A typed one becomes an id OpenClaw keeps and every list
 * shows, so it must read as a name: a piece of a token (canQuoteInput) is refused, not saved. `typed: false`: the
 * name of a profile OpenClaw already has (a re-login from chat), refused only for what the redactor would remove.
 */
export function validateProfileName(value: string, { typed = true }: { typed?: boolean } = {}): string {
  if (!PROFILE_NAME.test(value) || (typed ? !canQuoteInput(value) : looksLikeSecret(value))) {
    throw new InputError(
      "invalid_profile_name",
      `Not a valid profile name: ${quoteInput(value)} ` +
        "(letters, digits and . _ @ + ' -, at most 128, not starting with a symbol).",
    );
  }
  return value;
}

/**
 * A Codex profile id as the user typed it: "<provider>:<name>" or a bare name. Checked without
 * knowing the installed OpenClaw, so hostile input is refused before anything is spawned. `typed: false`: an id
 * read from OpenClaw's own store, whose name is not refused for looking like a pasted token.
 */
export function validateProfileId(value: string, { typed = true }: { typed?: boolean } = {}): string {
  const secretShaped = (name: string): boolean => typed && looksLikeSecret(name);
  if (value.length > MAX_PROFILE_ID_LENGTH) {
    throw new InputError(
      "invalid_profile_id",
      `Profile id too long (${value.length} characters, at most ${MAX_PROFILE_ID_LENGTH}).`,
    );
  }
  const at = value.indexOf(":");
  if (at === -1) {
    if (!PROFILE_NAME.test(value) || secretShaped(value))
      throw new InputError(
        "invalid_profile_id",
        `Not a valid profile id: ${quoteInput(value)} (expected <provider>:<name>).`,
      );
    return value;
  }
  const prefix = value.slice(0, at);
  const name = value.slice(at + 1);
  if (!PROVIDER.test(prefix) || !PROFILE_NAME.test(name) || secretShaped(name)) {
    throw new InputError(
      "invalid_profile_id",
      `Not a valid profile id: ${quoteInput(value)} (expected <provider>:<name>).`,
    );
  }
  if (!isCodexProvider(prefix)) {
    throw new InputError(
      "not_codex_profile",
      `${quoteInput(value)} is not a Codex profile (provider must be openai or openai-codex).`,
    );
  }
  return value;
}

/** Maps a validated id onto the provider the installed OpenClaw uses ("openai-codex:x" on 2026.9 is "openai:x"). */
export function toCodexProfileId(validated: string, provider: CodexProviderId): string {
  return validated.includes(":") ? toProviderId(validated, provider) : `${provider}:${validated}`;
}
