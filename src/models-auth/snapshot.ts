import { join } from "node:path";
import { readTextBounded, STORE_FILE_CAP } from "../lib/files.ts";
import { readOpenclawConfig } from "../openclaw/config-file.ts";
import type { CodexProviderId } from "../openclaw/provider.ts";
import type { OpenclawCapabilities } from "../openclaw/version.ts";
import {
  AuthListJson,
  type OpenclawCli,
  OrderGetJson,
  type ProfileHealthJson,
  StatusJson,
  type UnusableJson,
} from "../openclaw-cli/index.ts";
import { type AuthSnapshot, agentArgs, type HealthStatus, type ProfileHealth, renewsOnUse } from "./state.ts";

export interface SnapshotRequest {
  provider: CodexProviderId;
  agentId: string | null;
  caps: OpenclawCapabilities;
  /**
   * Also run `models auth list` (where the version has it). Measured on 2026.9.6 it is the slowest
   * read (~9 s against ~6 s for `order get` and ~2 s for `status`), and `models status` already names
   * every saved profile, so order changes skip it; delete and login use it.
   */
  withList?: boolean;
}

/** The preflight/verify reads: status + order get in parallel (then auth list when asked). */
export async function readSnapshot(cli: OpenclawCli, req: SnapshotRequest): Promise<AuthSnapshot> {
  const agent = agentArgs(req.agentId);
  const orderGet = () =>
    cli.runJson(["models", "auth", "order", "get", "--provider", req.provider, ...agent, "--json"], OrderGetJson);
  const statusOf = (args: string[]) => cli.runJson(["models", "status", "--json", ...args], StatusJson);
  // Where `models status` would read another agent than `order get`, it is asked for the agent order get read.
  const [status, order] =
    req.agentId === null && !req.caps.statusReadsDefaultAgent
      ? await orderGet().then(async (o) => [await statusOf(agentArgs(o.agentId)), o] as const)
      : await Promise.all([statusOf(agent), orderGet()]);
  // After the other two, not beside them: run at the same time on a loaded machine, 2026.9.6's `auth list`
  // failed with "database is locked" (seen in the era matrix).
  const list =
    req.caps.authList && req.withList
      ? await cli.runJson(["models", "auth", "list", "--provider", req.provider, ...agent, "--json"], AuthListJson)
      : null;
  const profiles = await withRenewable(healthOf(status, req.provider), cli.env, order.agentId);
  const knownIds = list
    ? list.profiles.filter((p) => p.provider === req.provider).map((p) => p.id)
    : savedIdsOf(status, req.provider, profiles);
  const reported = status.auth.oauth.providers.find((p) => p.provider === req.provider)?.effectiveProfiles ?? [];
  const computed = !req.caps.statusEffectiveProfiles;
  return {
    agentId: order.agentId,
    provider: req.provider,
    storedOrder: order.order,
    effectiveOrder: computed ? await computedOrder(cli.env, order.agentId) : reported.map((p) => p.profileId),
    effectiveOrderSource: computed ? "store" : "openclaw",
    unstorableIds: req.caps.backupOutsideOrder ? await backupsTried(cli.env, order.agentId) : [],
    knownIds,
    profiles,
    configPath: status.configPath ?? null,
    agentDir: status.agentDir,
    ignoredLegacyFile:
      req.caps.legacyFileIgnored && knownIds.length === 0 ? legacyFileWithProfiles(status.agentDir) : null,
    configuredAgents: status.configPath ? readConfiguredAgents(status.configPath, cli.env) : null,
  };
}

/** Every saved profile of the provider as `models status` lists them ("<id>=OAuth (…)"), plus OAuth health ids. */
function savedIdsOf(status: StatusJson, provider: string, profiles: ProfileHealth[]): string[] {
  const ids = new Set(profiles.map((p) => p.id));
  const labels = status.auth.providers?.find((p) => p.provider === provider)?.profiles?.labels ?? [];
  for (const label of labels) {
    const id = label.split("=")[0]?.trim();
    if (id?.startsWith(`${provider}:`)) ids.add(id);
  }
  return [...ids];
}

function healthOf(status: StatusJson, provider: string): ProfileHealth[] {
  const unusable = new Map<string, UnusableJson>();
  for (const u of status.auth.unusableProfiles ?? []) unusable.set(u.profileId, u);
  return status.auth.oauth.profiles
    .filter((p) => (p.provider ?? p.profileId.split(":")[0]) === provider)
    .map((p) => toHealth(p, unusable.get(p.profileId)));
}

function toHealth(p: ProfileHealthJson, u: UnusableJson | undefined): ProfileHealth {
  const base = normalizeStatus(p.status);
  const status: HealthStatus =
    u && (base === "ok" || base === "expiring") ? (u.kind === "disabled" ? "disabled" : "cooldown") : base;
  return {
    id: p.profileId,
    status,
    expiresAtMs: p.expiresAt ?? null,
    unusableUntilMs: u?.until ?? null,
    reason: u?.reason ?? p.reasonCode ?? null,
  };
}

function normalizeStatus(s: string): HealthStatus {
  return s === "ok" || s === "expiring" || s === "expired" || s === "missing" ? s : s === "static" ? "ok" : "unknown";
}

/**
 * Read-only: which agents the config openclaw reported declares (JSON5 as OpenClaw reads it); null when unreadable.
 * The release has just read that config, so its `$include`s are followed as a current release follows them.
 */
function readConfiguredAgents(configPath: string, env: NodeJS.ProcessEnv): string[] | null {
  try {
    return readOpenclawConfig(configPath, { env }).roster.ids;
  } catch {
    return null;
  }
}

/**
 * 2026.4.x reports no effective order: it is computed from the store, read in place, with 2026.4's rules
 * (src/profiles/effective-order.ts; checked against the release's own resolveAuthProfileOrder in the era tests).
 * Like the order later releases report, it holds every profile of the provider (an API-key backup included), so
 * a change planned from it keeps them. An unreadable store gives an empty order, as the CLI would show none.
 */
async function computedOrder(env: NodeJS.ProcessEnv, agentId: string): Promise<string[]> {
  try {
    const { loadProfileSet } = await import("../profiles/index.ts");
    return (await loadProfileSet({ env, agentId, orderRules: "2026.4" })).providerOrder;
  } catch {
    return [];
  }
}

/**
 * The expired profiles OpenClaw renews on their next use, marked so: `models status` cannot tell them from those
 * that need a new login, the store (read in place) can. An unreadable store marks none.
 */
async function withRenewable(profiles: ProfileHealth[], env: NodeJS.ProcessEnv, agentId: string) {
  if (!profiles.some((p) => p.status === "expired")) return profiles;
  try {
    const { loadProfileSet } = await import("../profiles/index.ts");
    const set = await loadProfileSet({ env, agentId });
    const renewable = new Set(set.profiles.filter(renewsOnUse).map((p) => p.id));
    return profiles.map((p) =>
      p.status === "expired" && renewable.has(p.id) ? { ...p, renewable: true as const } : p,
    );
  } catch {
    return profiles;
  }
}

/**
 * 2026.5.28's API-key backups it tries now: its store read in place with its rules (checked against its own
 * resolveAuthProfileOrder in the era tests). An unreadable store gives none, as for computedOrder.
 */
async function backupsTried(env: NodeJS.ProcessEnv, agentId: string): Promise<string[]> {
  try {
    const { backupsInOrder, loadProfileSet } = await import("../profiles/index.ts");
    return backupsInOrder(await loadProfileSet({ env, agentId, orderRules: "2026.5" }));
  } catch {
    return [];
  }
}

/** The legacy file, when it exists and names at least one profile (only its profile count is looked at). */
function legacyFileWithProfiles(agentDir: string): string | null {
  const file = join(agentDir, "auth-profiles.json");
  try {
    const read = readTextBounded(file, STORE_FILE_CAP);
    if (!read.ok) return null;
    const doc = JSON.parse(read.text) as { profiles?: unknown };
    const profiles = doc.profiles;
    return profiles && typeof profiles === "object" && Object.keys(profiles).length > 0 ? file : null;
  } catch {
    return null;
  }
}
