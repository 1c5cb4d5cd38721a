import { Value } from "@sinclair/typebox/value";
import { createChatApp } from "../chat/chat-app.ts";
import type { ChatLogger } from "../chat/deps.ts";
import { realServices } from "../chat/real-services.ts";
import type { ChatServices } from "../chat/services.ts";
import { PluginSettingsSchema, parseSettings, settingsJsonSchema } from "../chat/settings.ts";
import { PLUGIN_ID } from "../openclaw/ids.ts";
import { agentRuntimeOnce } from "./agent-runtime.ts";
import type { PluginApiLike } from "./api-types.ts";
import { hostRenewer } from "./host-renewal.ts";
import { hostAuthReader } from "./host-store.ts";
import { COMMAND_BUTTON_CHANNELS, registerButtonHandlers } from "./interactive.ts";
import { outboundProgress, outboundReplies } from "./outbound.ts";

/**
 * The OpenClaw plugin entry: /codex_usage and /codex_auth, plus the interactive handlers for their
 * buttons. A plain object in definePluginEntry's shape, so nothing from openclaw is imported.
 */
const entry = {
  id: PLUGIN_ID,
  name: "Codex Profiler",
  description: "Per-profile Codex usage limits and safe auth-profile management.",
  configSchema: {
    jsonSchema: settingsJsonSchema(),
    safeParse(value: unknown) {
      if (value === undefined || Value.Check(PluginSettingsSchema, value)) return { success: true, data: value };
      const first = [...Value.Errors(PluginSettingsSchema, value)][0];
      return {
        success: false,
        error: {
          issues: [{ path: (first?.path ?? "").split("/").filter(Boolean), message: first?.message ?? "invalid" }],
        },
      };
    },
  },
  register(api: PluginApiLike): void {
    registerCodexProfiler(api);
  },
};

export default entry;

/** The gateway's version; none where OpenClaw withholds its runtime (a "cli-metadata" registration throws on reads). */
function runtimeVersion(api: PluginApiLike): string | undefined {
  try {
    return api.runtime?.version;
  } catch {
    return undefined;
  }
}

/** services: only tests pass their own; the plugin uses the real ones. */
export function registerCodexProfiler(api: PluginApiLike, options: { services?: ChatServices } = {}): void {
  const logger: ChatLogger = {
    warn: (m) => api.logger?.warn(m),
    info: (m) => api.logger?.info(m),
  };
  const interactive = typeof api.registerInteractiveHandler === "function";
  const parsed = parseSettings(api.pluginConfig);
  // Without interactive handlers (OpenClaw before they existed) a tap would not come back: text lists everywhere.
  const settings = interactive ? parsed : { ...parsed, buttonChannels: new Set<string>() };
  if (!interactive)
    logger.warn("codex-profiler: this OpenClaw has no registerInteractiveHandler; choices are shown as numbered text.");
  // OpenClaw's own reader of the auth store, asked first when the host has it; started now in a full gateway
  // registration so that the first command finds it ready.
  const agentRuntime = agentRuntimeOnce();
  const authReader = hostAuthReader(logger, () => api.config, agentRuntime);
  if (api.registrationMode === "full" && !options.services) void authReader();
  const app = createChatApp({
    services:
      options.services ??
      realServices(settings, process.env, {
        authReader,
        version: runtimeVersion(api),
        renew: hostRenewer({ config: () => api.config, load: agentRuntime }),
      }),
    settings,
    progress: outboundProgress(api, logger),
    replies: outboundReplies(api, logger),
    commandButtonChannels: COMMAND_BUTTON_CHANNELS,
    logger,
  });

  api.registerCommand({
    name: "codex_usage",
    description: "Codex 5-hour and weekly limits left, per profile",
    acceptsArgs: true,
    requireAuth: true,
    handler: (ctx) => app.codexUsage(ctx),
  });
  api.registerCommand({
    name: "codex_auth",
    description: "Manage Codex auth profiles: status, put first, retire, re-login",
    acceptsArgs: true,
    requireAuth: true,
    handler: (ctx) => app.codexAuth(ctx),
  });

  registerButtonHandlers(api, app, settings);
}
