export type * from "./types.ts";
export { loadProfileSet, buildProfileSet, type LoadProfileSetOptions } from "./profile-source.ts";
export { selectorEntries, selectProfiles, type SelectorEntry } from "./selection.ts";
export { resolveEffectiveOrder, defaultProfileIdOf, unusableUntil, type EffectiveOrder, type OrderInput, type OrderSource } from "./effective-order.ts";
export { identityFrom, decodeClaims } from "./identity.ts";
export { localStateOf } from "./local-state.ts";
export { detectLayout, type LayoutDecision } from "./store-layout.ts";
export type { RawAuthStore, RawCredential, RawUsageStats, RawAuthState } from "./raw-store.ts";
