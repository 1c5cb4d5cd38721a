import { join } from "node:path";
import { type Static, Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { dict } from "../lib/dict.ts";
import { readJsonChecked, resolveCacheDir, writeJsonAtomic } from "../lib/files.ts";
import { redactText, storedKey } from "../secrets/redact.ts";

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

export interface RotationState {
  version: 1;
  agents: Record<string, AgentRotationState>;
}

const STATE_FILE = "rotation-state.json";

export function rotationStatePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(resolveCacheDir(env), STATE_FILE);
}

const MAX_PARKED = 64;
const MAX_ALERTS = 64;

const FileSchema = Type.Object({ version: Type.Literal(1), agents: Type.Record(Type.String(), Type.Unknown()) });

/**
 * Each agent's entry is checked on its own: a damaged one is forgotten, never the other agents' parked profiles
 * (the next write would otherwise drop them for good). Agents are a dict, so "constructor" is an agent like any.
 */
export function readRotationState(path: string): RotationState {
  const file = readJsonChecked(path, (v): v is Static<typeof FileSchema> => Value.Check(FileSchema, v));
  const entries = Object.entries(file?.agents ?? {}).filter(([, s]) => Value.Check(AgentStateSchema, s));
  return { version: 1, agents: dict(entries as Array<[string, AgentRotationState]>) };
}

/** Agent and profile ids are kept by storedKey: an id that holds a token (an agent id pasted as one) by its digest. */
export function agentState(state: RotationState, agentId: string): AgentRotationState {
  return state.agents[storedKey(agentId)] ?? { parked: [], job: null };
}

/** Ids by storedKey and the last message redacted: nothing in the file holds a token. */
function scrubbed(s: AgentRotationState): AgentRotationState {
  return {
    ...s,
    parked: [...new Set(s.parked.map(storedKey))],
    job: s.job && {
      ...s.job,
      order: s.job.order.map(storedKey),
      message: s.job.message === null ? null : redactText(s.job.message),
    },
    ...(s.alerts ? { alerts: dict(Object.entries(s.alerts).map(([k, v]) => [storedKey(k), v] as const)) } : {}),
  };
}

/** Read-modify-write of one agent's entry; the file is replaced atomically (0600, folder 0700). */
export function updateAgentState(
  path: string,
  agentId: string,
  change: (s: AgentRotationState) => AgentRotationState,
): AgentRotationState {
  const state = readRotationState(path);
  const next = change(agentState(state, agentId));
  const bounded = scrubbed({
    ...next,
    parked: [...new Set(next.parked.map(storedKey))].slice(-MAX_PARKED),
    ...(next.alerts ? { alerts: dict(Object.entries(next.alerts).slice(-MAX_ALERTS)) } : {}),
  });
  // Every agent is written scrubbed, so that what an older version kept by a token-shaped id goes too.
  const agents = dict(Object.entries(state.agents).map(([id, s]) => [storedKey(id), scrubbed(s)] as const));
  writeJsonAtomic(path, { version: 1, agents: { ...agents, [storedKey(agentId)]: bounded } });
  return bounded;
}
