import { Type } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { RotationError } from "../errors/index.ts";
import { readOpenclawConfig } from "../openclaw/config-file.ts";
import { PLUGIN_ID } from "../openclaw/ids.ts";
import { resolveConfigPath, resolveStateDir } from "../openclaw/paths.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

const CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]";

/** plugins.entries.codex-profiler.config.alerts: off unless `enabled` is true. */
export const AlertSettingsSchema = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean({ description: "Send alerts before the pool runs dry (off by default)." })),
    leadMinutes: Type.Optional(
      Type.Integer({
        minimum: 5,
        maximum: 2880,
        description: "Alert when the first account is forecast to run dry within this many minutes (default 60).",
      }),
    ),
    quietHours: Type.Optional(
      Type.String({
        pattern: `^${CLOCK}-${CLOCK}$`,
        description: 'No alert in this span of local time, e.g. "22:00-07:00"; held back alerts follow after it.',
      }),
    ),
    timeZone: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone of quietHours (default: the host's)." }),
    ),
    channel: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 64,
        pattern: "^[a-z][a-z0-9_-]*$",
        description: "Channel the alert job announces to, e.g. telegram (default: OpenClaw's last channel).",
      }),
    ),
    to: Type.Optional(
      Type.String({
        maxLength: 256,
        // What an openclaw argv may carry as a value: no option-like start, no blank or shell character.
        pattern: "^[A-Za-z0-9@][A-Za-z0-9:_@.+=/-]*$",
        description:
          "Chat id on that channel, e.g. the owner's: 424242, a Telegram group: telegram:-1001234567890, " +
          "user:<id>, channel:<id>.",
      }),
    ),
  },
  { additionalProperties: false },
);

export interface AlertSettings {
  enabled: boolean;
  leadMs: number;
  /** Minutes after local midnight; start > end spans midnight. */
  quietHours: { startMin: number; endMin: number } | null;
  timeZone: string | null;
  channel: string | null;
  to: string | null;
}

export const ALERTS_OFF: AlertSettings = {
  enabled: false,
  leadMs: 60 * 60_000,
  quietHours: null,
  timeZone: null,
  channel: null,
  to: null,
};

const minutesOf = (clock: string): number => {
  const [h, m] = clock.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Validates the raw `alerts` value; bad settings are a clear error, never a silent default. */
export function parseAlertSettings(raw: unknown): AlertSettings {
  if (raw === undefined) return ALERTS_OFF;
  if (!Value.Check(AlertSettingsSchema, raw)) {
    const to = (raw as { to?: unknown } | null)?.to;
    if (typeof to === "string" && /^-\d+$/.test(to))
      throw new RotationError(
        "invalid_alert_settings",
        `codex-profiler alerts.to may not start with "-" (openclaw would read it as an option): ` +
          `write a Telegram group as telegram:${to}.`,
      );
    const first = Value.Errors(AlertSettingsSchema, raw).First();
    throw new RotationError(
      "invalid_alert_settings",
      `codex-profiler alerts settings are invalid (alerts${first?.path ?? ""}: ${first?.message ?? "invalid"}).`,
    );
  }
  if (raw.timeZone !== undefined && !validTimeZone(raw.timeZone))
    throw new RotationError("invalid_alert_settings", "codex-profiler alerts.timeZone is not an IANA time zone.");
  const quiet = raw.quietHours?.split("-");
  return {
    enabled: raw.enabled === true,
    leadMs: (raw.leadMinutes ?? 60) * 60_000,
    quietHours: quiet ? { startMin: minutesOf(quiet[0] ?? ""), endMin: minutesOf(quiet[1] ?? "") } : null,
    timeZone: raw.timeZone ?? null,
    channel: raw.channel ?? null,
    to: raw.to ?? null,
  };
}

/** The alert settings of the plugin entry in openclaw.json, for the scheduled jobs that run outside the gateway. */
export function readAlertSettings(env: NodeJS.ProcessEnv): AlertSettings {
  const config = readOpenclawConfig(resolveConfigPath(env, resolveStateDir(env, existsSync)), { env });
  const plugin = config.pluginConfigs[PLUGIN_ID];
  return parseAlertSettings(
    plugin !== null && typeof plugin === "object" ? (plugin as { alerts?: unknown }).alerts : undefined,
  );
}
