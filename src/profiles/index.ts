/**
 * OpenClaw's auth store, read-only, in every layout: the profile set of one agent (loaded once per check),
 * and the one selection module (`all`, `default`, an id, a label or a number from the selector list).
 */
export { loadProfileSet } from "./profile-source.ts";
export { selectorEntries, selectProfiles } from "./selection.ts";
export type * from "./types.ts";
