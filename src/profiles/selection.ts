import { InputError } from "../errors/index.ts";
import { isCodexProvider, splitProfileId } from "../openclaw/provider.ts";
import { canQuoteInput, quoteInput } from "../secrets/user-input.ts";
import type { CodexProfile, ProfileSet } from "./types.ts";

/**
 * The one selection module and the one numbering. PURE.
 * - Profiles are numbered 1..N in set order everywhere: `codex_usage --profile 2`, `/codex_usage 2`,
 *   `/codex_auth 2` and every text list name the same profile.
 * - `all` and `default` (the profile OpenClaw would pick first) are words, and buttons, never numbers.
 * - One case rule: an exact id or label first, then a label equal ignoring case when exactly one profile has
 *   it. A full id may carry either Codex provider prefix (openai: or openai-codex:).
 */
export interface NumberedProfile {
  number: number;
  profile: CodexProfile;
}

export function numberedProfiles(set: ProfileSet): NumberedProfile[] {
  return set.profiles.map((profile, i) => ({ number: i + 1, profile }));
}

/** What a selection resolved to; `key` is "all", "default" or the profile's full id. */
export interface Selection {
  kind: "all" | "default" | "profile";
  key: string;
  profiles: CodexProfile[];
}

function defaultProfiles(set: ProfileSet): CodexProfile[] {
  const found = set.profiles.find((p) => p.id === set.defaultProfileId);
  return found ? [found] : set.profiles.slice(0, 1);
}

const MAX_SELECTION_LENGTH = 320;

function describeChoices(set: ProfileSet, words: boolean): string {
  const numbered = numberedProfiles(set)
    .map((e) => `${e.number} ${e.profile.label}`)
    .join(", ");
  return words ? `${numbered}; or all, default` : numbered;
}

function checkSyntax(set: ProfileSet, text: string, words: boolean): void {
  if (text === "" || text.length > MAX_SELECTION_LENGTH || /[\s\p{Cc}]/u.test(text) || text.includes(",")) {
    throw new InputError(
      "bad_selection",
      `${quoteInput(text, "choice")} is not a profile choice; ` +
        `use ${words ? "all, default, " : ""}a profile name or a ` +
        `number (${describeChoices(set, words)})`,
    );
  }
}

/** A selector is named back only when it reads as one typed; a pasted piece of a token is not repeated. */
function noSuchProfile(set: ProfileSet, text: string, words: boolean): InputError {
  const what = canQuoteInput(text)
    ? `no Codex profile ${JSON.stringify(text)}`
    : "no Codex profile matches the selection (it looks like a token or OAuth code and is not shown)";
  return new InputError("unknown_profile", `${what}; choose one of: ${describeChoices(set, words)}`);
}

/** A number from the list, or null when `text` is not a number at all. */
function byNumber(set: ProfileSet, text: string, words: boolean): CodexProfile | null {
  if (!/^[+-]?\d+(\.\d*)?$/.test(text)) return null;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new InputError(
      "bad_selection",
      `${quoteInput(text, "choice")} is not a profile number; numbers start at 1 (${describeChoices(set, words)})`,
    );
  }
  const entry = set.profiles[Number(text) - 1];
  if (!entry)
    throw new InputError(
      "unknown_profile",
      `there is no profile ${quoteInput(text, "choice")}; choose one of: ${describeChoices(set, words)}`,
    );
  return entry;
}

function byName(set: ProfileSet, text: string): CodexProfile | null {
  const parts = splitProfileId(text);
  const isFullId = parts !== null && isCodexProvider(parts.provider.toLowerCase());
  const label = isFullId ? parts.name : text;
  const exact = set.profiles.find((p) => p.id === text || p.label === label);
  if (exact) return exact;
  const folded = set.profiles.filter((p) => p.label.toLowerCase() === label.toLowerCase());
  return folded.length === 1 ? folded[0]! : null;
}

/** all | default | a number from the list | a full id (either Codex provider prefix) | a label. */
export function resolveSelection(set: ProfileSet, selection: string | number): Selection {
  const text = String(selection).trim();
  checkSyntax(set, text, true);
  const lower = text.toLowerCase();
  if (lower === "all") return { kind: "all", key: "all", profiles: [...set.profiles] };
  if (lower === "default") return { kind: "default", key: "default", profiles: defaultProfiles(set) };
  const profile = byNumber(set, text, true) ?? byName(set, text);
  if (!profile) throw noSuchProfile(set, text, true);
  return { kind: "profile", key: profile.id, profiles: [profile] };
}

export function selectProfiles(set: ProfileSet, selection: string | number): CodexProfile[] {
  return resolveSelection(set, selection).profiles;
}

/** Exactly one profile, for a change: a number from the list, a full id or a label (no `all`, no `default`). */
export function selectProfile(set: ProfileSet, selector: string | number): CodexProfile {
  const text = String(selector).trim();
  checkSyntax(set, text, false);
  const profile = byNumber(set, text, false) ?? byName(set, text);
  if (!profile) throw noSuchProfile(set, text, false);
  return profile;
}
