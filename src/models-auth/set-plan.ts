import type { CodexProviderId } from "../openclaw/provider.ts";
import { capabilitiesFor, type OpenclawVersion, parseOpenclawVersion } from "../openclaw/version.ts";
import type { CodexProfile, ProfileSet } from "../profiles/index.ts";
import { type AuthOperation, mapIds, type Plan, validateOperation } from "./operations.ts";
import { planOperation } from "./plan.ts";
import { type AuthSnapshot, type HealthStatus, type ProfileHealth, renewsOnUse } from "./state.ts";

/**
 * A change planned from the profile set as this request read it (in place, or through the host's reader), so
 * chat shows the plan at once, without an `openclaw` call. It is the same pure planOperation as the CLI path,
 * over a snapshot made from the set. What the user confirms is applied by the pipeline as always: the CLI
 * preflight (which refuses when OpenClaw's order is no longer `basis`), the apply, the verify.
 */
export interface SetPlan {
  plan: Plan;
  /** The order (stored, else effective) the plan was made from: the confirm's guard against drift. */
  basis: string[];
  agentId: string;
  provider: CodexProviderId;
}

/** With no host version to go by, plan as the newest OpenClaw known; the confirm's preflight re-plans anyway. */
const NEWEST_KNOWN = parseOpenclawVersion("2026.9.6")!;

function healthOf(p: CodexProfile, now: number): ProfileHealth {
  const expires = p.identity.expiresAtMs;
  const base: HealthStatus = p.access === null ? "missing" : expires !== null && expires <= now ? "expired" : "ok";
  const { disabledUntilMs, cooldownUntilMs } = p.state;
  const status: HealthStatus =
    base !== "ok" ? base : disabledUntilMs !== null ? "disabled" : cooldownUntilMs !== null ? "cooldown" : "ok";
  return {
    id: p.id,
    status,
    expiresAtMs: expires,
    unusableUntilMs: disabledUntilMs ?? cooldownUntilMs,
    reason: p.state.disabledReason ?? p.state.cooldownReason,
    ...(status === "expired" && renewsOnUse(p) ? { renewable: true as const } : {}),
  };
}

/**
 * What `models status` and `models auth order get` would report, as the set shows it. Another provider's ids
 * (2026.5.28's API-key backups) are not in what it reports, nor can an order set hold them. Pure.
 */
function snapshotFromSet(set: ProfileSet, now: number): AuthSnapshot {
  const other = new Set(set.otherProviderIds);
  return {
    agentId: set.location.agentId,
    provider: set.orderProvider ?? "openai",
    storedOrder: set.storedOrder ?? null,
    effectiveOrder: effectiveOrderOf(set),
    effectiveOrderSource: "store",
    unstorableIds: set.providerOrder.filter((id) => other.has(id)),
    knownIds: set.providerProfileIds.filter((id) => !other.has(id)),
    profiles: set.profiles.map((p) => healthOf(p, now)),
    configPath: set.location.configPath,
    agentDir: set.location.agentDir,
    ignoredLegacyFile: null,
    configuredAgents: null,
  };
}

/** Plans `op` for the set's agent (explicitly: `--agent <id>`); throws InputError on an invalid id. Pure. */
export function planFromSet(
  op: AuthOperation,
  set: ProfileSet,
  options: { version: OpenclawVersion | null; now: number; force?: boolean },
): SetPlan {
  const snap = snapshotFromSet(set, options.now);
  const caps = { ...capabilitiesFor(options.version ?? NEWEST_KNOWN), provider: snap.provider };
  const agentId = set.location.agentId;
  const plan = planOperation(mapIds(validateOperation(op), caps.provider), snap, {
    caps,
    agentId,
    force: options.force ?? false,
  });
  return { plan, basis: orderBasis(set), agentId, provider: snap.provider };
}

/**
 * The order a change read from this set is planned from, as the pipeline's preflight compares it (`expectOrder`):
 * the stored override, else the order OpenClaw tries. One changed since refuses the write. Pure.
 */
export function orderBasis(set: ProfileSet): string[] {
  return set.storedOrder ?? effectiveOrderOf(set);
}

// The order OpenClaw tries for the provider, as `models status` reports it: another provider's ids left out.
function effectiveOrderOf(set: ProfileSet): string[] {
  const other = new Set(set.otherProviderIds);
  return set.providerOrder.filter((id) => !other.has(id));
}
