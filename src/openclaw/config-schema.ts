import { type Static, Type } from "@sinclair/typebox";

/**
 * The parts of openclaw.json this project uses (config-file.ts). Checked at run time by the code generated from
 * it (config-checks.ts, `npm run checks`); TypeBox and this schema load only to say where a broken config breaks.
 */
const AgentEntry = Type.Object({ agentDir: Type.Optional(Type.String()), default: Type.Optional(Type.Boolean()) });
const AgentListEntry = Type.Composite([Type.Object({ id: Type.String() }), AgentEntry]);
const AgentsSection = Type.Object({
  ownership: Type.Optional(Type.String()),
  entries: Type.Optional(Type.Record(Type.String(), Type.Union([AgentEntry, Type.Null()]))),
  list: Type.Optional(Type.Array(AgentListEntry)),
  defaults: Type.Optional(
    Type.Object({ systemAgent: Type.Optional(Type.Object({ agentId: Type.Optional(Type.String()) })) }),
  ),
});
const AuthProfileConfig = Type.Object({ provider: Type.String(), mode: Type.Optional(Type.String()) });
const AuthSection = Type.Object({
  order: Type.Optional(Type.Record(Type.String(), Type.Array(Type.String()))),
  profiles: Type.Optional(Type.Record(Type.String(), AuthProfileConfig)),
});
export const ConfigViewSchema = Type.Object({ agents: Type.Optional(AgentsSection), auth: Type.Optional(AuthSection) });
export type ConfigView = Static<typeof ConfigViewSchema>;
