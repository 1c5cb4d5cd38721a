/**
 * OpenClaw's auth store, read-only, in every layout and in place: the profile set of one agent (loaded once
 * per request, through the host's own reader inside a gateway), and the one selection module and numbering
 * (profiles 1..N in set order; `all` and `default` are words).
 */
export { backupsInOrder } from "./profile-set.ts";
export { loadProfileSet } from "./profile-source.ts";
export { fenceOf } from "./raw-store.ts";
export {
  listName,
  numberedProfiles,
  resolveSelection,
  type Selection,
  selectorFor,
  selectProfile,
} from "./selection.ts";
export type * from "./types.ts";
