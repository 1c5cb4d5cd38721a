import { createHash } from "node:crypto";
import { InputError } from "../errors/index.ts";
import { inlineName, unshown } from "../lib/display-text.ts";
import { isCodexProvider, splitProfileId } from "../openclaw/provider.ts";
import { canQuoteInput, looksLikeSecret, quoteInput } from "../secrets/redact.ts";
import type { CodexProfile, ProfileSet } from "./types.ts";

/**
 * The one selection module and the one numbering. PURE.
 * - Profiles are numbered 1..N in set order everywhere: `codex_usage --profile 2`, `/codex_usage 2`,
 *   `/codex_auth 2` and every text list name the same profile.
 * - `all` and `default` (the profile OpenClaw would pick first) are words, and buttons, never numbers.
 * - One case rule: an exact id or label first, then a label equal ignoring case when exactly one profile has
 *   it. A full id may carry either Codex provider prefix (openai: or openai-codex:).
 * - A word wins over a label equal to it (`all`, `default`; in chat also `pool`, `details` and /codex_auth's verbs):
 *   the full id always selects the profile, and lists show it for such a label (selectorFor).
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

const WORDS = ["all", "default"];

function describeChoices(set: ProfileSet, words: boolean): string {
  const numbered = numberedProfiles(set)
    .map((e) => `${e.number} ${inlineName(listName(set, e.profile, words ? WORDS : []))}`)
    .join(", ");
  return words ? `${numbered}; or all, default` : numbered;
}

const validSyntax = (text: string): boolean =>
  text !== "" && text.length <= MAX_SELECTION_LENGTH && !/[\s\p{Cc}\p{Cf}]/u.test(text) && !text.includes(",");
const NUMBERISH = /^[+-]?\d+(\.\d*)?$/;

function checkSyntax(set: ProfileSet, text: string, words: boolean): void {
  if (!validSyntax(text)) {
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
    ? `no Codex profile ${quoteInput(text)}`
    : "no Codex profile matches the selection (it looks like a token or OAuth code and is not shown)";
  return new InputError("unknown_profile", `${what}; choose one of: ${describeChoices(set, words)}`);
}

/** A number from the list, or null when `text` is not a number at all. */
function byNumber(set: ProfileSet, text: string, words: boolean): CodexProfile | null {
  if (!NUMBERISH.test(text)) return null;
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
  const back = unshown(text);
  return byExactName(set, text) ?? (back === text ? null : byExactName(set, back));
}

function byExactName(set: ProfileSet, text: string): CodexProfile | null {
  const parts = splitProfileId(text);
  const isFullId = parts !== null && isCodexProvider(parts.provider.toLowerCase());
  const label = isFullId ? parts.name : text;
  const exact = set.profiles.find((p) => p.id === text || p.label === label);
  if (exact) return exact;
  const folded = set.profiles.filter((p) => p.label.toLowerCase() === label.toLowerCase());
  return folded.length === 1 ? folded[0]! : null;
}

/**
 * A profile's number pinned to its id: "2#3fa9c1", what a button carries for a profile whose id cannot be typed
 * back. The pin decides, so a reorder between the reply and the tap cannot retarget the button.
 */
const PINNED = /^\d+#([0-9a-f]{6})$/;
const pinOf = (id: string): string => createHash("sha256").update(id).digest("hex").slice(0, 6);

function byPin(set: ProfileSet, text: string, words: boolean): CodexProfile | null {
  const pin = PINNED.exec(text)?.[1];
  if (pin === undefined) return null;
  const found = set.profiles.filter((p) => pinOf(p.id) === pin);
  if (found.length === 1) return found[0]!;
  throw new InputError(
    "unknown_profile",
    `the profile that choice was made for is no longer saved; choose one of: ${describeChoices(set, words)}`,
  );
}

/** all | default | a number from the list | a full id (either Codex provider prefix) | a label | a pinned number. */
export function resolveSelection(set: ProfileSet, selection: string | number): Selection {
  const text = String(selection).trim();
  checkSyntax(set, text, true);
  const lower = text.toLowerCase();
  if (lower === "all") return { kind: "all", key: "all", profiles: [...set.profiles] };
  if (lower === "default") return { kind: "default", key: "default", profiles: defaultProfiles(set) };
  const profile = byNumber(set, text, true) ?? byName(set, text) ?? byPin(set, text, true);
  if (!profile) throw noSuchProfile(set, text, true);
  return { kind: "profile", key: profile.id, profiles: [profile] };
}

/** Exactly one profile, for a change: a number from the list, a full id or a label (no `all`, no `default`). */
export function selectProfile(set: ProfileSet, selector: string | number): CodexProfile {
  const text = String(selector).trim();
  checkSyntax(set, text, false);
  const profile = byNumber(set, text, false) ?? byName(set, text) ?? byPin(set, text, false);
  if (!profile) throw noSuchProfile(set, text, false);
  return profile;
}

/** Whether selectProfile would pick `profile` for `text`, asked without building its errors (which call here). */
function selectsBack(set: ProfileSet, text: string, profile: CodexProfile): boolean {
  const t = text.trim();
  if (!validSyntax(t)) return false;
  if (NUMBERISH.test(t)) return /^\d+$/.test(t) && set.profiles[Number(t) - 1] === profile;
  return byName(set, t) === profile;
}

/**
 * What selects `profile` again where the `reserved` words (any case) mean something else: its label or its full id,
 * whichever `prefer` names first, when that selects it back; else its number pinned to its id, "2#3fa9c1" (an id with
 * a space in it cannot, and one shaped like a token must not: a tap submits the selector to OpenClaw as the user's
 * own message).
 * A list shows the full id of a profile whose label is such a word, so that the user knows what to type.
 */
export function selectorFor(
  set: ProfileSet,
  profile: CodexProfile,
  reserved: readonly string[],
  prefer: "label" | "id",
): string {
  const tries = prefer === "label" ? [profile.label, profile.id] : [profile.id, profile.label];
  const free = (text: string): boolean => !reserved.includes(text.toLowerCase());
  // A label-first selector is typed from a list shown in chat, where a code span cannot show a backtick as is.
  const showable = (text: string): boolean => prefer === "id" || !text.includes("`");
  const typable = (t: string): boolean => free(t) && showable(t) && !looksLikeSecret(t) && selectsBack(set, t, profile);
  return tries.find(typable) ?? `${set.profiles.indexOf(profile) + 1}#${pinOf(profile.id)}`;
}

/** The name a list shows: the label when typing it selects the profile, else the full id. */
export const listName = (set: ProfileSet, profile: CodexProfile, reserved: readonly string[]): string =>
  selectorFor(set, profile, reserved, "label") === profile.label ? profile.label : profile.id;
