import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, quietGatewayConfig } from "./gateway.ts";
import { loopbackGuardEnv, type OffLoopback, offLoopbackReader } from "./loopback-guard.ts";
import { NODE24, OPENCLAW_CLI, type OpenclawRoot } from "./openclaw.ts";

/**
 * One real gateway (`openclaw gateway run`, 2026.9.6 on Node 24) on loopback with channel plugins
 * installed in the state (tests/support/channel-state.ts) and plugin folders loaded by path. Unlike
 * startGateway (gateway.ts) it merges into the state's openclaw.json, so that the trusted install
 * entries (plugins.entries.discord …) stay.
 */
interface LoadedPlugin {
  dir: string;
  id: string;
  config?: Record<string, unknown>;
}

export interface ChannelGatewayOptions {
  root: OpenclawRoot;
  plugins: LoadedPlugin[];
  /** channels.<id> blocks, e.g. { discord: { enabled: true, token, dmPolicy, allowFrom } }. */
  channels: Record<string, Record<string, unknown>>;
  /** Installed plugins to switch off for this run (e.g. "slack" in a Discord test: less to load). */
  disabledPlugins?: string[];
  /** Extra environment, e.g. DISCORD_API_URL and CODEX_PROFILER_USAGE_URL. */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export interface ChannelGateway {
  port: number;
  token: string;
  /** Everything the gateway printed so far (stdout + stderr). */
  output(): string;
  /** What it tried beyond loopback, refused: for expectLoopbackOnly. */
  offLoopback(): OffLoopback[];
  /** Milliseconds from spawn to "[gateway] ready". */
  readyMs: number;
  stop(): Promise<void>;
}

function mergeChannelConfig(options: ChannelGatewayOptions, port: number, token: string): void {
  const path = join(options.root.stateDir, "openclaw.json");
  const current = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;
  const plugins = current.plugins ?? {};
  const entries = { ...(plugins.entries as Record<string, unknown> | undefined) };
  for (const p of options.plugins) entries[p.id] = { enabled: true, config: p.config ?? {} };
  for (const id of options.disabledPlugins ?? [])
    entries[id] = { ...(entries[id] as object | undefined), enabled: false };
  const config = {
    ...current,
    ...quietGatewayConfig(current),
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token } },
    plugins: { ...plugins, load: { paths: options.plugins.map((p) => p.dir) }, entries },
    channels: { ...current.channels, ...options.channels },
  };
  writeFileSync(path, JSON.stringify(config, null, 2));
}

export async function startChannelGateway(options: ChannelGatewayOptions): Promise<ChannelGateway> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  mergeChannelConfig(options, port, token);
  const guardLog = join(options.root.root, "off-loopback.jsonl");
  const offLoopback = offLoopbackReader(guardLog);
  const env = { ...options.root.env, npm_config_offline: "true", ...options.env };
  const started = Date.now();
  // detached: its own process group, so that stop() also ends the helpers it spawns.
  const child = spawn(NODE24, [OPENCLAW_CLI, "gateway", "run", "--port", String(port), "--bind", "loopback"], {
    // npm offline: a plugin install the gateway finds broken is "repaired" from the registry (`npm view …`);
    // that must fail at once instead of leaving loopback (or hanging on a proxy).
    env: { ...env, ...loopbackGuardEnv(guardLog, env) },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    signal("SIGKILL"); // stragglers of the group, if any
    offLoopback();
  };

  const deadline = started + (options.readyTimeoutMs ?? 180_000);
  while (!output.includes("[gateway] ready")) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(
        `gateway not ready (${child.exitCode !== null ? `exit ${child.exitCode}` : "timeout"}): ${output.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { port, token, output: () => output, offLoopback, readyMs: Date.now() - started, stop };
}

/** The Discord channel block for the fake: DMs from `allowFrom` only; the test guild open to them. */
export function discordChannelConfig(
  fake: { botToken: string },
  allowFrom: string[],
  guildId?: string,
): Record<string, unknown> {
  return {
    enabled: true,
    token: fake.botToken,
    dmPolicy: "allowlist",
    allowFrom,
    ...(guildId
      ? { groupPolicy: "allowlist", guilds: { [guildId]: { requireMention: false, users: allowFrom } } }
      : {}),
  };
}
