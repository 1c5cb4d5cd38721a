import { isCodexProfilerError, RotationError, StoreError } from "../errors/index.ts";
import { inlineName, nameList } from "../lib/display-text.ts";
import { sameOrder } from "../lib/same-order.ts";
import { profileLabel, splitProfileId } from "../openclaw/provider.ts";
import { errorMessage, storedKey } from "../secrets/redact.ts";
import { recordUsageHistory } from "../usage/history-store.ts";
import type { UsageCheck } from "../usage/types.ts";
import { candidateFrom } from "./candidates.ts";
import {
  DEFAULT_HYSTERESIS,
  type DecisionAction,
  decideOrder,
  type HysteresisOptions,
  idealOrder,
} from "./hysteresis.ts";
import type { OrderChangeResult, OrderPort } from "./order-port.ts";
import { rankProfiles } from "./rank.ts";
import { agentState, readRotationState, updateAgentState } from "./rotation-state.ts";
import { DEFAULT_RANK_POLICY, type RankedProfile, type RankPolicy, type Standing } from "./types.ts";

export interface RotationDeps {
  /** Fresh (or briefly cached) usage for every profile of the agent: runUsageCheck in production. */
  readUsage(agentId: string): Promise<UsageCheck>;
  order: OrderPort;
  /** The usage history file; null keeps no history (and gives no forecast). */
  historyPath: string | null;
  statePath: string;
  now(): number;
}

export interface RotationOptions {
  agentId: string;
  /** Apply hysteresis: change only when clearly better. Without it the proposal is the plain ranking. */
  ifBetter: boolean;
  hysteresis?: HysteresisOptions;
  /** How usable profiles are ordered; default expiry-first (DEFAULT_RANK_POLICY). */
  policy?: RankPolicy;
  /** The job's own run: a change that would end OpenClaw's use of an API-key backup is left to the user. */
  unattended?: boolean;
}

interface ProfileReason {
  profile: string;
  label: string;
  standing: Standing | "not-codex";
  headroom: number | null;
  /** 1-based positions; null when absent from that order. */
  from: number | null;
  to: number | null;
  /** Limited on its included limits, it goes on with credits. */
  on_credits: boolean;
  /**
   * Limited only by an OpenClaw cooldown (after errors) that ends within the failover gap: OpenClaw's own failover
   * covers it, so the job does not call the pool unusable for it.
   */
  brief_cooldown: boolean;
  reason: string;
}

export interface RotationPlan {
  agent: string;
  provider: string;
  current: string[];
  proposed: string[];
  changed: boolean;
  decision: DecisionAction;
  why: string;
  if_better: boolean;
  policy: RankPolicy;
  reasons: ProfileReason[];
  /**
   * The API-key backups (2026.5.28) that storing the proposed order ends; when the job holds the order for them,
   * nothing changes and `why` says so. Empty when no change would end one.
   */
  ends_backups: string[];
}

export interface RotationApplyResult extends RotationPlan {
  applied: boolean;
  result: OrderChangeResult | null;
  /** The change stands but its parked ids could not be remembered (the cache folder not writable): why. */
  state_not_saved?: string;
}

const NO_PROFILES = "No Codex profiles found for this agent.";

function providerOf(report: UsageCheck): string {
  const providers = [...new Set(report.profiles.map((p) => splitProfileId(p.profileId)?.provider ?? ""))];
  if (providers.length === 0) throw new StoreError("no_codex_profiles", NO_PROFILES);
  if (providers.length > 1 || !providers[0]) {
    throw new RotationError(
      "mixed_providers",
      `Codex profiles use several provider ids (${providers.map((p) => p || "an id without one").join(", ")}); run ` +
        "`openclaw doctor --fix` first.",
    );
  }
  return providers[0];
}

/** rank.ts's word for an unusable profile, true only where the order changes without it. */
const LEFT_OUT = /: left out of the order, not deleted$/;
/** What an unusable profile's reason says instead where the order is kept with it. */
export const KEPT_IN_ORDER = ": still in the order (the order is left as it is)";

function reasonsFor(
  current: string[],
  proposed: string[],
  ranked: RankedProfile[],
  dropped: RankedProfile[],
  failoverGapMs: number,
): ProfileReason[] {
  const pos = (order: string[], id: string): number | null => (order.includes(id) ? order.indexOf(id) + 1 : null);
  const info = new Map([...ranked, ...dropped].map((p) => [p.id, p]));
  const ids = [...new Set([...proposed, ...current, ...ranked.map((p) => p.id), ...dropped.map((p) => p.id)])];
  return ids.map((id) => {
    const p = info.get(id);
    return {
      profile: id,
      label: profileLabel(id),
      standing: p?.standing ?? "not-codex",
      headroom: p?.headroom ?? null,
      from: pos(current, id),
      to: pos(proposed, id),
      on_credits: p?.on_credits ?? false,
      brief_cooldown:
        p?.cooldown_only === true && p.binding_reset_in_ms !== null && p.binding_reset_in_ms <= failoverGapMs,
      reason: !p
        ? "not a Codex profile: kept after the Codex profiles"
        : p.standing === "unusable" && proposed.includes(id)
          ? p.reason.replace(LEFT_OUT, KEPT_IN_ORDER)
          : p.reason,
    };
  });
}

async function loadUsage(deps: RotationDeps, agentId: string): Promise<UsageCheck> {
  try {
    return await deps.readUsage(agentId);
  } catch (error) {
    if (isCodexProfilerError(error) && error.code === "no_codex_profiles")
      throw new StoreError("no_codex_profiles", NO_PROFILES);
    // Our own errors keep their code and exit code (unknown_agent 2, store_not_found 3), as codex_usage reports them.
    if (isCodexProfilerError(error)) throw error;
    throw new RotationError("usage_failed", `Could not read usage: ${errorMessage(error)}`);
  }
}

/** Reads usage and the current order, ranks, and decides; changes nothing in OpenClaw. */
export async function planRotation(options: RotationOptions, deps: RotationDeps): Promise<RotationPlan> {
  const report = await loadUsage(deps, options.agentId);
  // Taken after the check: its readings are part of the forecast, however long the check took.
  const now = deps.now();
  const provider = providerOf(report);
  // The rotation tick is the caller of this check: it records the readings in the usage history.
  if (deps.historyPath) recordUsageHistory(report, deps.historyPath, now);
  let current: string[];
  let backups: string[];
  try {
    [current, backups] = await Promise.all([
      deps.order.readOrder(options.agentId, provider),
      deps.order.backupsEndedByOrder(options.agentId),
    ]);
  } catch (error) {
    throw new RotationError("order_read_failed", `Could not read the current order: ${errorMessage(error)}`);
  }
  // Candidates: profiles in the order, plus those rotation itself parked earlier (a profile the user
  // took out of the order stays out).
  const parked = new Set(agentState(readRotationState(deps.statePath), options.agentId).parked);
  const inScope = report.profiles.filter(
    (p) => current.includes(p.profileId) || parked.has(storedKey(p.profileId)) || current.length === 0,
  );
  const ranking = rankProfiles(inScope.map(candidateFrom), current, now, options.policy);
  const ranked = options.ifBetter
    ? decideOrder(current, ranking, options.hysteresis ?? DEFAULT_HYSTERESIS, options.policy)
    : plainDecision(current, idealOrder(current, ranking), ranking.ranked.length > 0);
  const ends = sameOrder(ranked.proposed, current) ? [] : backups;
  const decision =
    ends.length > 0 && options.unattended
      ? {
          action: "keep" as const,
          proposed: current,
          why:
            `${ranked.why}, but storing an order ends OpenClaw's use of its API-key backup ${nameList(ends)}; ` +
            "the job leaves that to you (codex_rotate apply --yes accepts it)",
        }
      : ranked;
  return {
    agent: options.agentId,
    provider,
    current,
    proposed: decision.proposed,
    changed: !sameOrder(decision.proposed, current),
    decision: decision.action,
    why: decision.why,
    if_better: options.ifBetter,
    policy: options.policy ?? DEFAULT_RANK_POLICY,
    reasons: reasonsFor(
      current,
      decision.proposed,
      ranking.ranked,
      ranking.dropped,
      (options.hysteresis ?? DEFAULT_HYSTERESIS).failoverGapMs,
    ),
    ends_backups: ends,
  };
}

function plainDecision(
  current: string[],
  ideal: string[],
  anyWorking: boolean,
): { action: DecisionAction; proposed: string[]; why: string } {
  if (!anyWorking)
    return {
      action: "keep",
      proposed: current,
      why: "no Codex profile is usable or limited; the order is left as it is",
    };
  if (sameOrder(ideal, current))
    return { action: "keep", proposed: current, why: "the order already matches the ranking" };
  return ideal[0] !== current[0]
    ? { action: "switch-first", proposed: ideal, why: `${inlineName(ideal[0] ?? "")} ranks first` }
    : {
        action: "reorder",
        proposed: ideal,
        why: `${inlineName(ideal[0] ?? "")} stays first; the rest follows the ranking`,
      };
}

/** The ids a plan leaves out of the order for being unusable. */
export const leftOutUnusable = (plan: RotationPlan): string[] =>
  plan.reasons.filter((r) => r.standing === "unusable" && r.to === null).map((r) => r.profile);

/** Remembers ids left out for being unusable as parked, and forgets the parked ids the new order holds again. */
export function parkLeftOut(statePath: string, agentId: string, leftOut: string[], order: string[]): void {
  const kept = new Set(order.map(storedKey));
  updateAgentState(statePath, agentId, (s) => ({
    ...s,
    parked: [...s.parked, ...leftOut.map(storedKey)].filter((id) => !kept.has(id)),
  }));
}

/**
 * Plans, then (when the order changes) sets it through the order port, which runs the models-auth
 * pipeline's preflight → apply → verify. Ids rotation leaves out for being unusable are remembered
 * as parked so that they come back once usable again.
 */
export async function applyRotation(options: RotationOptions, deps: RotationDeps): Promise<RotationApplyResult> {
  const plan = await planRotation(options, deps);
  if (!plan.changed) return { ...plan, applied: false, result: null };
  const result = await deps.order.setOrder({
    agentId: plan.agent,
    provider: plan.provider,
    ids: plan.proposed,
    // The job's own check (backupsEndedByOrder) reads the store; the pipeline's preflight asks the release itself.
    ...(options.unattended ? { keepBackups: true } : {}),
  });
  if (!result.ok || !result.applied) return { ...plan, applied: result.applied, result };
  try {
    parkLeftOut(deps.statePath, plan.agent, leftOutUnusable(plan), plan.proposed);
  } catch (error) {
    // OpenClaw's order is changed and verified: a memory that cannot be written does not undo that.
    const why = errorMessage(error);
    return { ...plan, applied: true, result, state_not_saved: why };
  }
  return { ...plan, applied: true, result };
}
