import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ChatError } from "../errors/index.ts";
import { AGENT_ID } from "../openclaw/ids.ts";
import { AlertSettingsSchema } from "../rotation/alert-settings.ts";

/**
 * plugins.entries.codex-profiler.config. openclaw.plugin.json carries the same JSON Schema
 * (a unit test keeps the two equal).
 */
export const PluginSettingsSchema = Type.Object(
  {
    agentId: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: AGENT_ID.source,
        description: "Agent whose auth profiles are read and managed; defaults to the chat's agent.",
      }),
    ),
    dedupeWindowSec: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 3600,
        description: "The same request from the same sender within this many seconds runs once (0 turns it off).",
      }),
    ),
    usageTimeoutSec: Type.Optional(
      Type.Number({ minimum: 1, maximum: 120, description: "Per-profile timeout for the usage endpoint." }),
    ),
    useCache: Type.Optional(
      Type.Boolean({ description: "Let usage checks answer from the usage cache where it is fresh." }),
    ),
    buttonTtlSec: Type.Optional(
      Type.Integer({ minimum: 30, maximum: 86400, description: "How long a button stays tappable." }),
    ),
    buttonChannels: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        maxItems: 32,
        description:
          "Channels that get buttons (verified: telegram, discord, slack); " +
          "every other channel gets a numbered text list.",
      }),
    ),
    mutationAllowFrom: Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        maxItems: 256,
        description: "When set, only these sender ids may change auth profiles (others may still read usage).",
      }),
    ),
    alerts: Type.Optional(AlertSettingsSchema),
  },
  { additionalProperties: false },
);

export interface PluginSettings {
  agentId: string | null;
  dedupeWindowMs: number;
  usageTimeoutSec: number | null;
  useCache: boolean;
  buttonTtlMs: number;
  buttonChannels: ReadonlySet<string>;
  mutationAllowFrom: ReadonlySet<string> | null;
}

const DEFAULT_DEDUPE_WINDOW_SEC = 20;
const DEFAULT_BUTTON_TTL_SEC = 30 * 60;
/** The channels whose buttons are proven end to end through the real gateway (tests/e2e/chat-*.test.ts). */
const DEFAULT_BUTTON_CHANNELS = ["telegram", "discord", "slack"];

/** Validates raw plugin config; bad config is a clear error, never a silent default. */
export function parseSettings(raw: unknown): PluginSettings {
  const input = raw ?? {};
  if (!Value.Check(PluginSettingsSchema, input)) {
    const first = [...Value.Errors(PluginSettingsSchema, input)][0];
    const where = first ? `${first.path || "/"}: ${first.message}` : "invalid";
    throw new ChatError("invalid_settings", `codex-profiler plugin config is invalid (${where}).`);
  }
  return {
    agentId: input.agentId ?? null,
    dedupeWindowMs: (input.dedupeWindowSec ?? DEFAULT_DEDUPE_WINDOW_SEC) * 1000,
    usageTimeoutSec: input.usageTimeoutSec ?? null,
    useCache: input.useCache ?? false,
    buttonTtlMs: (input.buttonTtlSec ?? DEFAULT_BUTTON_TTL_SEC) * 1000,
    buttonChannels: new Set(input.buttonChannels ?? DEFAULT_BUTTON_CHANNELS),
    mutationAllowFrom: input.mutationAllowFrom ? new Set(input.mutationAllowFrom) : null,
  };
}

/** The schema as plain JSON (what openclaw.plugin.json holds). */
export function settingsJsonSchema(): Record<string, unknown> {
  return JSON.parse(JSON.stringify(PluginSettingsSchema)) as Record<string, unknown>;
}
