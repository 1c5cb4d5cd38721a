import { InputError } from "../errors/index.ts";
import { isCodexProvider, splitProfileId } from "../openclaw/provider.ts";
import type { CodexProfile, ProfileSet } from "./types.ts";

/**
 * The choices users see, numbered from 1: `default`, `all`, then every profile label in set order.
 * `/codex_usage 2` and text-only chats use these numbers. PURE.
 */
export interface SelectorEntry {
  number: number;
  kind: "default" | "all" | "profile";
  /** What the user may type instead of the number. */
  label: string;
  /** The profile ids this choice selects. */
  profileIds: string[];
}

export function selectorEntries(set: ProfileSet): SelectorEntry[] {
  const defaults = defaultProfiles(set).map((p) => p.id);
  return [
    { number: 1, kind: "default", label: "default", profileIds: defaults },
    { number: 2, kind: "all", label: "all", profileIds: set.profiles.map((p) => p.id) },
    ...set.profiles.map(
      (p, i): SelectorEntry => ({ number: i + 3, kind: "profile", label: p.label, profileIds: [p.id] }),
    ),
  ];
}

function defaultProfiles(set: ProfileSet): CodexProfile[] {
  const found = set.profiles.find((p) => p.id === set.defaultProfileId);
  return found ? [found] : set.profiles.slice(0, 1);
}

const MAX_SELECTION_LENGTH = 320;

function describeChoices(set: ProfileSet): string {
  return selectorEntries(set)
    .map((e) => `${e.number} ${e.label}`)
    .join(", ");
}

/** all | default | a full id (either Codex provider prefix) | a label | a number from selectorEntries. */
export function selectProfiles(set: ProfileSet, selection: string | number): CodexProfile[] {
  const text = String(selection).trim();
  if (text === "" || text.length > MAX_SELECTION_LENGTH || /[\s\p{Cc}]/u.test(text) || text.includes(",")) {
    throw new InputError(
      "bad_selection",
      `"${text.slice(0, 40)}" is not a profile choice; use all, default, a profile name or a number ` +
        `(${describeChoices(set)})`,
    );
  }
  const lower = text.toLowerCase();
  if (lower === "all") return [...set.profiles];
  if (lower === "default") return defaultProfiles(set);
  if (/^[+-]?\d+(\.\d*)?$/.test(text)) {
    if (!/^\d+$/.test(text) || Number(text) < 1) {
      throw new InputError(
        "bad_selection",
        `"${text}" is not a choice number; numbers start at 1 (${describeChoices(set)})`,
      );
    }
    const entry = selectorEntries(set)[Number(text) - 1];
    if (!entry)
      throw new InputError("unknown_profile", `there is no choice ${text}; choose one of: ${describeChoices(set)}`);
    return entry.profileIds.map((id) => set.profiles.find((p) => p.id === id)!).filter(Boolean);
  }
  const parts = splitProfileId(text);
  const isFullId = parts !== null && isCodexProvider(parts.provider.toLowerCase());
  const label = isFullId ? parts.name : text;
  const exact = set.profiles.find((p) => p.id === text || p.label === label);
  if (exact) return [exact];
  const folded = set.profiles.filter((p) => p.label.toLowerCase() === label.toLowerCase());
  if (folded.length === 1) return folded;
  throw new InputError("unknown_profile", `no Codex profile "${text}"; choose one of: ${describeChoices(set)}`);
}
