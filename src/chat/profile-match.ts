import { ChatError } from "../errors/index.ts";
import type { ProfileChoice, ProfileList, SelectorEntry } from "./services.ts";

/** "/codex_usage <arg>": a selector number, all, default, a full id or a label → "default" | "all" | full id. */
export function resolveUsageSelection(arg: string, list: ProfileList): SelectorEntry {
  const lower = arg.toLowerCase();
  if (/^\d+$/.test(arg)) {
    const entry = list.entries.find((e) => e.number === Number(arg));
    if (!entry) throw new ChatError("unknown_selection", `There is no choice ${arg}. Send /codex_usage for the list.`);
    return entry;
  }
  const special = list.entries.find(
    (e) => (e.selection === "all" || e.selection === "default") && e.selection === lower,
  );
  if (special) return special;
  const profile = matchProfile(arg, list.profiles);
  const entry = list.entries.find((e) => e.selection === profile.id);
  return entry ?? { number: 0, selection: profile.id, label: profile.label };
}

/** "/codex_auth <arg>": a 1-based position in the profile list, a full id or a label. */
export function resolveAuthProfile(arg: string, profiles: ProfileChoice[]): ProfileChoice {
  if (/^\d+$/.test(arg)) {
    const p = profiles[Number(arg) - 1];
    if (!p) throw new ChatError("unknown_selection", `There is no profile ${arg}. Send /codex_auth for the list.`);
    return p;
  }
  return matchProfile(arg, profiles);
}

function matchProfile(arg: string, profiles: ProfileChoice[]): ProfileChoice {
  const lower = arg.toLowerCase();
  const exact = profiles.find((p) => p.id.toLowerCase() === lower || p.label.toLowerCase() === lower);
  if (exact) return exact;
  // "openai-codex:x" and "openai:x" name the same Codex profile across OpenClaw versions.
  const bare = lower.replace(/^openai(?:-codex)?:/, "");
  const byLabel = profiles.find((p) => p.label.toLowerCase() === bare);
  if (byLabel) return byLabel;
  throw new ChatError("unknown_selection", `No Codex profile matches "${arg}".`);
}
