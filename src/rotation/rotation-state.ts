import { join } from "node:path";
import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { dict } from "../lib/dict.ts";
import { readJsonChecked, writeJsonAtomic } from "../lib/files.ts";
import { resolveUsageCacheDir } from "../usage/usage-cache.ts";

const JobRecordSchema = Type.Object({
  at: Type.String(),
  /** "applied" | "kept" | "no-usable" | "usage-error" | "apply-failed" | "verify-mismatch" */
  outcome: Type.String(),
  /** What the last printed line was about; a new line is printed only when this changes. */
  signature: Type.String(),
  order: Type.Array(Type.String()),
  message: Type.Union([Type.String(), Type.Null()]),
});
export type JobRecord = Static<typeof JobRecordSchema>;

const AlertMemorySchema = Type.Record(
  Type.String(),
  Type.Object({ since: Type.Number(), sent: Type.Boolean(), resetAtMs: Type.Union([Type.Number(), Type.Null()]) }),
);

const AgentStateSchema = Type.Object({
  /** Ids rotation left out of the order because they were unusable; they come back once usable. */
  parked: Type.Array(Type.String()),
  job: Type.Union([JobRecordSchema, Type.Null()]),
  /** The alert conditions that hold, and whether each was sent (see rotation/alerts.ts). */
  alerts: Type.Optional(AlertMemorySchema),
});
export type AgentRotationState = Static<typeof AgentStateSchema>;

const StateSchema = Type.Object({ version: Type.Literal(1), agents: Type.Record(Type.String(), AgentStateSchema) });
export type RotationState = Static<typeof StateSchema>;

const STATE_FILE = "rotation-state.json";

export function rotationStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveUsageCacheDir(env), STATE_FILE);
}

const MAX_PARKED = 64;
const MAX_ALERTS = 64;

export function readRotationState(path: string): RotationState {
  return readJsonChecked(path, (v): v is RotationState => Value.Check(StateSchema, v)) ?? { version: 1, agents: {} };
}

export function agentState(state: RotationState, agentId: string): AgentRotationState {
  return state.agents[agentId] ?? { parked: [], job: null };
}

/** Read-modify-write of one agent's entry; the file is replaced atomically (0600, folder 0700). */
export function updateAgentState(
  path: string,
  agentId: string,
  change: (s: AgentRotationState) => AgentRotationState,
): AgentRotationState {
  const state = readRotationState(path);
  const next = change(agentState(state, agentId));
  const bounded = {
    ...next,
    parked: [...new Set(next.parked)].slice(-MAX_PARKED),
    ...(next.alerts ? { alerts: dict(Object.entries(next.alerts).slice(-MAX_ALERTS)) } : {}),
  };
  writeJsonAtomic(path, { version: 1, agents: { ...state.agents, [agentId]: bounded } });
  return bounded;
}
