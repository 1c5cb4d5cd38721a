import { readOpenclawConfig } from "../openclaw/config-file.ts";
import type { CodexProviderId } from "../openclaw/provider.ts";
import type { OpenclawCapabilities } from "../openclaw/version.ts";
import type { OpenclawCli } from "./openclaw-cli.ts";
import { AuthListJson, OrderGetJson, StatusJson, type ProfileHealthJson, type UnusableJson } from "./schemas.ts";

export type HealthStatus = "ok" | "expiring" | "expired" | "cooldown" | "disabled" | "missing" | "unknown";

export interface ProfileHealth {
  id: string;
  status: HealthStatus;
  /** Access-token expiry, ms epoch. */
  expiresAtMs: number | null;
  /** When a cooldown or disable ends, ms epoch. */
  unusableUntilMs: number | null;
  reason: string | null;
}

/** What OpenClaw reports for one agent and one provider, read through its CLI only. */
export interface GatewaySnapshot {
  agentId: string;
  provider: CodexProviderId;
  /** The stored per-agent override as `order get` shows it; null = selecting automatically. */
  storedOrder: string[] | null;
  /** The order OpenClaw would try profiles in (`models status` effectiveProfiles). */
  effectiveOrder: string[];
  /** Every saved profile id of the provider (`models auth list`, else `models status`). */
  knownIds: string[];
  profiles: ProfileHealth[];
  configPath: string | null;
  agentDir: string;
  /** Agent ids configured in openclaw.json; null when the file could not be read as JSON. */
  configuredAgents: string[] | null;
}

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

export function agentArgs(agentId: string | null): string[] {
  return agentId ? ["--agent", agentId] : [];
}

/** The preflight/verify reads, in parallel: status + order get (+ auth list when asked). */
export async function readSnapshot(cli: OpenclawCli, req: SnapshotRequest): Promise<GatewaySnapshot> {
  const agent = agentArgs(req.agentId);
  const [status, order, list] = await Promise.all([
    cli.runJson(["models", "status", "--json", ...agent], StatusJson),
    cli.runJson(["models", "auth", "order", "get", "--provider", req.provider, ...agent, "--json"], OrderGetJson),
    req.caps.authList && req.withList
      ? cli.runJson(["models", "auth", "list", "--provider", req.provider, ...agent, "--json"], AuthListJson)
      : Promise.resolve(null),
  ]);
  const profiles = healthOf(status, req.provider);
  const knownIds = list
    ? list.profiles.filter((p) => p.provider === req.provider).map((p) => p.id)
    : savedIdsOf(status, req.provider, profiles);
  const effective = status.auth.oauth.providers.find((p) => p.provider === req.provider)?.effectiveProfiles ?? [];
  return {
    agentId: order.agentId,
    provider: req.provider,
    storedOrder: order.order,
    effectiveOrder: effective.map((p) => p.profileId),
    knownIds,
    profiles,
    configPath: status.configPath ?? null,
    agentDir: status.agentDir,
    configuredAgents: status.configPath ? readConfiguredAgents(status.configPath) : null,
  };
}

/** Every saved profile of the provider as `models status` lists them ("<id>=OAuth (…)"), plus OAuth health ids. */
function savedIdsOf(status: StatusJson, provider: string, profiles: ProfileHealth[]): string[] {
  const ids = new Set(profiles.map((p) => p.id));
  const labels = status.auth.providers?.find((p) => p.provider === provider)?.profiles?.labels ?? [];
  for (const label of labels) {
    const id = label.split("=")[0]?.trim();
    if (id && id.startsWith(`${provider}:`)) ids.add(id);
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
  const status: HealthStatus = u && (base === "ok" || base === "expiring") ? (u.kind === "disabled" ? "disabled" : "cooldown") : base;
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

export function isUsable(p: ProfileHealth): boolean {
  return p.status === "ok" || p.status === "expiring";
}

/** Read-only: which agents the config declares (JSON5 as OpenClaw reads it); null when it cannot be read. */
function readConfiguredAgents(configPath: string): string[] | null {
  try {
    return readOpenclawConfig(configPath).roster.ids;
  } catch {
    return null;
  }
}
