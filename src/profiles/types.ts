import type { CodexProviderId } from "../openclaw/provider.ts";
import type { Secret } from "../secrets/redact.ts";

/**
 * Which of OpenClaw's auth-store layouts a profile set was read from:
 * - json-single: ≤ 2026.4.6, auth-profiles.json with inline order/lastGood/usageStats
 * - json-split: 2026.4.7–2026.6, auth-profiles.json + auth-state.json
 * - sqlite: 2026.6.11+, the per-agent openclaw-agent.sqlite and/or the shared state/openclaw.sqlite (2026.8.2+)
 * - explicit-file: one file named with --auth-path
 */
type StoreLayout = "json-single" | "json-split" | "sqlite" | "explicit-file";

export interface StoreLocation {
  layout: StoreLayout;
  agentId: string;
  stateDir: string;
  configPath: string;
  agentDir: string;
  /** Every file the profiles and their state were read from (through the host: the store files that exist). */
  files: string[];
  /** Who read them: OpenClaw's files in place, or the host's own reader inside a gateway. */
  reader: "file" | "host";
}

export interface ProfileIdentity {
  accountId: string | null;
  userId: string | null;
  email: string | null;
  plan: string | null;
  /** Access-token expiry, ms epoch, from `expires` or the JWT `exp`. */
  expiresAtMs: number | null;
}

export interface ProfileLocalState {
  cooldownUntilMs: number | null;
  cooldownReason: string | null;
  /** The one model a rate-limit, timeout or unknown-model cooldown is scoped to: OpenClaw still uses it for others. */
  cooldownModel: string | null;
  disabledUntilMs: number | null;
  disabledReason: string | null;
  errorCount: number;
  lastUsedMs: number | null;
}

export interface CodexProfile {
  /** Full id, e.g. "openai:work@example.com". */
  id: string;
  /** The id without its provider prefix. */
  label: string;
  provider: CodexProviderId;
  identity: ProfileIdentity;
  state: ProfileLocalState;
  /** Position in the effective order (0 = first), null when not in it. */
  orderIndex: number | null;
  /** Never printed: Secret serializes as "[redacted]". Null when the store holds none. */
  access: Secret | null;
  /** Whether OpenClaw can renew the access token on the profile's next use (see renewalOf). */
  renewal: RenewalState;
}

/**
 * possible: a refresh token is there and OpenClaw recorded no failed renewal; in_progress: OpenClaw fenced the
 * credential while it renews it; failed: OpenClaw recorded a failed renewal (a failed fence, or an active
 * auth_permanent disable) and only a new login helps; none: no refresh token, or a stored access token that
 * cannot be sent (OpenClaw would use it as it is).
 */
export type RenewalState = "possible" | "in_progress" | "failed" | "none";

export interface ProfileSet {
  location: StoreLocation;
  /** Codex OAuth profiles only, in effective order first, then the rest by id. */
  profiles: CodexProfile[];
  /** Codex profile ids in the order OpenClaw would try them. */
  effectiveOrder: string[];
  /** Every profile id OpenClaw would try for the Codex provider, API-key profiles included (what it shows). */
  providerOrder: string[];
  /** Every saved profile id of the Codex provider, whatever its type (what `models status` lists). */
  providerProfileIds: string[];
  /** Where the order came from. */
  orderSource: "stored-override" | "config" | "automatic";
  /** The profile OpenClaw would pick first. */
  defaultProfileId: string | null;
  /** The provider key an order for these profiles is stored under ("openai" on 2026.6+). */
  orderProvider?: CodexProviderId;
  /**
   * Ids of providerProfileIds that are another provider's than orderProvider: 2026.5.28's openai API keys (its
   * "OpenAI API Key Backup"). It tries them only while no orderProvider order is stored, and its `order set` refuses
   * them in one. Absent when none.
   */
  otherProviderIds?: string[];
  /** The stored per-agent order override as read (may name non-Codex or missing ids), null when none. */
  storedOrder?: string[] | null;
  /**
   * What could not be read without costing the profiles (e.g. OpenClaw's damaged order state), or OAuth profiles of
   * the other Codex provider id, which this OpenClaw does not use: a sentence each.
   */
  warnings?: string[];
}

/**
 * OpenClaw's own reader of an agent's auth store, which the host offers inside a gateway (plugin SDK
 * `loadAuthProfileStoreWithoutExternalProfiles` and `resolveAuthProfileOrder`, 2026.5.28+): read-only, no
 * external-CLI sync, no refresh, no write. The plugin provides one when the host has it; the CLIs never do.
 */
export interface HostAuthReader {
  /** The agent's store as OpenClaw merges it (shared store + the agent's own). Holds secrets: never log it. */
  loadStore(agentDir: string): unknown;
  /** The order OpenClaw would try the provider's profiles in, for a store `loadStore` returned. */
  resolveOrder(store: unknown, provider: CodexProviderId): string[];
}
