
export { loadProfileSet } from "./profile-source.ts";

export { selectorEntries, selectProfiles } from "./selection.ts";

export type * from "./types.ts";
