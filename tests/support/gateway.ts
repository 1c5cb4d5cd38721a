import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { type AddressInfo, connect, createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { loopbackGuardEnv, type OffLoopback, offLoopbackReader } from "./loopback-guard.ts";
import { HARNESS_DIR, NODE24, OPENCLAW_CLI, type OpenclawRoot } from "./openclaw.ts";

/**
 * One real OpenClaw gateway (`openclaw gateway run`, the pinned 2026.9.6 or an older release, on Node 24) on loopback,
 * with a plugin folder loaded and optionally the bundled Telegram channel pointed at a fake Bot API.
 * Start one per test file (≈ 12 s) and share it.
 */
export interface GatewayOptions {
  root: OpenclawRoot;
  pluginDir: string;
  pluginId: string;
  pluginConfig?: Record<string, unknown>;
  telegram?: { apiRoot: string; botToken: string; allowFrom: string[] };
  /** Extra environment for the gateway process (e.g. CODEX_PROFILER_USAGE_URL). */
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  /**
   * Another release's gateway (tests/support/eras.ts `era(v)`); default: the pinned 2026.9.6. Such a release
   * counts as ready once its port answers: 2026.4.x runs with OPENCLAW_LOG_LEVEL=fatal (eras.ts), so its
   * "[gateway] ready" line is never printed.
   */
  openclaw?: { node: string; cli: string; dir: string };
}

export interface Gateway {
  port: number;
  token: string;
  /** Everything the gateway printed so far (stdout + stderr). */
  output(): string;
  /** What it (or a gateway before it on this root) tried beyond loopback, refused: for expectLoopbackOnly. */
  offLoopback(): OffLoopback[];
  /** A web chat client; `readyTimeoutMs` bounds its start (loading the SDK), 60 s unless given. */
  webchat(readyTimeoutMs?: number): Promise<WebchatClient>;
  stop(): Promise<void>;
}

interface WebchatReply {
  text: string;
  final: Record<string, unknown>;
}

export interface WebchatClient {
  send(message: string, timeoutMs?: number): Promise<WebchatReply>;
  close(): Promise<void>;
}

const CLIENT_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "gateway-webchat-client.ts");
const gatewayRuntime = (dir: string): string => join(dir, "node_modules/openclaw/dist/plugin-sdk/gateway-runtime.js");

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The settings of a 2026.9.6 test gateway that keep it on loopback, merged into its config `current`. No utility
 * model: OpenClaw otherwise derives one from the primary provider (OpenAI → gpt-5.6-luna) and calls it at
 * chatgpt.com in the background after a reply (the session's activity recap / observer digest). No memory search:
 * its sessions sync embeds each session's transcript at api.openai.com.
 */
export function quietGatewayConfig(current: Record<string, unknown>): Record<string, unknown> {
  const agents = (current.agents ?? {}) as Record<string, unknown>;
  return {
    agents: { ...agents, defaults: { ...(agents.defaults as object | undefined), utilityModel: "" } },
    memory: { ...(current.memory as object | undefined), search: { enabled: false } },
  };
}

function writeGatewayConfig(options: GatewayOptions, release: { dir: string }, port: number, token: string): void {
  const path = join(options.root.stateDir, "openclaw.json");
  const current = existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>) : {};
  const config: Record<string, unknown> = {
    ...current,
    // 2026.4.x–6.x do not know these keys.
    ...(release.dir === HARNESS_DIR ? quietGatewayConfig(current) : {}),
    gateway: { mode: "local", port, bind: "loopback", auth: { mode: "token", token } },
    plugins: {
      load: { paths: [options.pluginDir] },
      entries: { [options.pluginId]: { enabled: true, config: options.pluginConfig ?? {} } },
    },
  };
  if (options.telegram) {
    config.channels = {
      telegram: {
        enabled: true,
        botToken: options.telegram.botToken,
        apiRoot: options.telegram.apiRoot,
        dmPolicy: "allowlist",
        allowFrom: options.telegram.allowFrom,
        capabilities: { inlineButtons: "all" },
      },
    };
  }
  writeFileSync(path, JSON.stringify(config, null, 2));
}

export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const release = options.openclaw ?? { node: NODE24, cli: OPENCLAW_CLI, dir: HARNESS_DIR };
  writeGatewayConfig(options, release, port, token);
  const guardLog = join(options.root.root, "off-loopback.jsonl");
  const offLoopback = offLoopbackReader(guardLog);
  // 2026.4.5's bundled amazon-bedrock-mantle catalog asks the AWS SDK's credential chain for IAM credentials,
  // which probes the EC2 instance metadata service (169.254.169.254): the SDK's own switch turns that off.
  const env = { ...options.root.env, ...options.env };
  const child = spawn(release.node, [release.cli, "gateway", "run", "--port", String(port), "--bind", "loopback"], {
    env: { ...env, ...loopbackGuardEnv(guardLog, env) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    offLoopback();
  };

  let portAnswers = false;
  const probe = setInterval(() => {
    const socket = connect({ port, host: "127.0.0.1" }, () => {
      portAnswers = true;
      socket.end();
    });
    socket.on("error", () => socket.destroy());
  }, 1000);
  try {
    await waitUntil(
      () => output.includes("[gateway] ready") || (options.openclaw !== undefined && portAnswers),
      options.readyTimeoutMs ?? 150_000,
      () => child.exitCode !== null,
      () => output.slice(-2000),
    );
  } catch (error) {
    await stop();
    throw error;
  } finally {
    clearInterval(probe);
  }

  return {
    port,
    token,
    output: () => output,
    offLoopback,
    webchat: (readyTimeoutMs = 60_000) => startWebchat(options.root, port, token, release, readyTimeoutMs),
    stop,
  };
}

async function startWebchat(
  root: OpenclawRoot,
  port: number,
  token: string,
  release: { node: string; dir: string },
  readyTimeoutMs: number,
): Promise<WebchatClient> {
  const args = [CLIENT_SCRIPT, gatewayRuntime(release.dir), `ws://127.0.0.1:${port}`, token];
  const child: ChildProcess = spawn(release.node, args, {
    env: root.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const messages: Array<Record<string, unknown>> = [];
  let buffered = "";
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on("data", (d: Buffer) => {
    buffered += d.toString();
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      try {
        messages.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not ours: the SDK may print its own lines
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await waitUntil(
    () => messages.some((m) => m.ready === true),
    readyTimeoutMs,
    () => child.exitCode !== null,
    () => `${JSON.stringify(messages)} ${stderr.slice(-1500)}`,
  );
  let nextId = 1;
  return {
    async send(message, timeoutMs = 60_000) {
      const id = nextId++;
      child.stdin!.write(`${JSON.stringify({ id, message })}\n`);
      const replyOf = (): Record<string, unknown> | undefined => messages.find((m) => m.id === id);
      await waitUntil(
        () => replyOf() !== undefined,
        timeoutMs,
        () => child.exitCode !== null,
        () => stderr.slice(-1500),
      );
      const reply = replyOf()!;
      if (typeof reply.error === "string") throw new Error(`chat.send failed: ${reply.error}`);
      return { text: String(reply.text ?? ""), final: reply.final as Record<string, unknown> };
    },
    async close() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function waitUntil(
  ok: () => boolean,
  timeoutMs: number,
  dead: () => boolean,
  context: () => string,
): Promise<void> {
  const started = Date.now();
  while (!ok()) {
    if (dead()) throw new Error(`process exited early: ${context()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${context()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
