import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { type AddressInfo, createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectLoopbackOnly, knownFrameOf, loopbackGuardEnv, readOffLoopback } from "../support/loopback-guard.ts";
import { NODE24 } from "../support/openclaw.ts";

// A tiny child under the guard: it fetches `target` (from a worker thread when asked), then reads the loopback
// server at `port` on 127.0.0.1 and on localhost; prints what each gave.
const CHILD = `
const [target, port, inWorker] = process.argv.slice(1);
const { Worker } = require("node:worker_threads");
const net = require("node:net");
const code = "(function fetchAway(url) { return fetch(url); })(process.argv[2])" +
  ".then(r => 'status ' + r.status, e => String(e.cause?.message ?? e.message))";
const away = inWorker === "worker"
  ? new Promise((resolve) => new Worker(code + ".then(m => require('node:worker_threads').parentPort.postMessage(m))",
      { eval: true, argv: [target] }).on("message", resolve))
  : eval(code.replace("process.argv[2]", "target"));
const read = (host) => new Promise((resolve) => {
  const s = net.connect(Number(port), host);
  s.on("data", (d) => resolve(String(d)));
  s.on("error", (e) => resolve(e.code));
});
(async () => {
  console.log(JSON.stringify({ away: await away, ip: await read("127.0.0.1"), name: await read("localhost") }));
})();
`;

let dir: string;
let server: Server;
let port: number;
const sockets = new Set<Socket>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cxp-guard-"));
  server = createServer((c) => {
    sockets.add(c);
    c.end("here");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function runChild(log: string, target: string, inWorker = false): Promise<Record<string, string>> {
  const env = { PATH: "/usr/bin:/bin", NODE_OPTIONS: "--no-warnings" };
  const args = ["-e", CHILD, target, String(port), inWorker ? "worker" : "main"];
  return new Promise((resolve, reject) => {
    const child = spawn(NODE24, args, { env: { ...env, ...loopbackGuardEnv(log, env) } });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`))));
  });
}

describe("the loopback guard of the test gateways", () => {
  // The record names the fetch's caller.
  it("refuses and records a fetch of example.invalid, passes loopback; expectLoopbackOnly fails on it", async () => {
    const log = join(dir, "away.jsonl");
    const seen = await runChild(log, "http://example.invalid/usage");
    expect(seen).toEqual({
      away: "loopback guard: fetch example.invalid:80 refused (tests talk to loopback only)",
      ip: "here",
      name: "here",
    });
    const entries = readOffLoopback(log);
    expect(entries).toEqual([expect.objectContaining({ kind: "fetch", host: "example.invalid", port: 80 })]);
    expect(entries[0]!.stack[0]).toMatch(/ fetchAway /);
    expect(() => expectLoopbackOnly(entries)).toThrow(
      /tried to leave loopback 1 time\(s\):\n {2}fetch example\.invalid:80/,
    );
  });

  // HTTPS_PROXY on loopback is how the fake OpenAI is reached.
  it("lets a fetch go through a proxy on loopback (HTTPS_PROXY), not around it", async () => {
    const code =
      `fetch("https://chatgpt.com/backend-api/wham/usage")` +
      `.then(() => "answered", (e) => String(e.cause?.message ?? e.message)).then(console.log)`;
    const run = (log: string, extra: Record<string, string>) => {
      const env = { PATH: "/usr/bin:/bin", NODE_USE_ENV_PROXY: "1", ...extra };
      return new Promise<string>((resolve) => {
        const child = spawn(NODE24, ["-e", code], { env: { ...env, ...loopbackGuardEnv(log, env) } });
        let text = "";
        child.stdout.on("data", (d: Buffer) => (text += d.toString()));
        child.on("exit", () => resolve(text.trim()));
      });
    };
    const proxied = join(dir, "proxied.jsonl");
    // The loopback server is no proxy: the tunnel fails there, past the guard, and nothing is recorded.
    expect(await run(proxied, { HTTPS_PROXY: `http://127.0.0.1:${port}` })).not.toMatch(/loopback guard/);
    expect(readOffLoopback(proxied)).toEqual([]);
    const away = join(dir, "proxy-away.jsonl");
    expect(await run(away, { HTTPS_PROXY: "http://proxy.example:3128" })).toMatch(/^loopback guard: fetch chatgpt/);
    const excluded = join(dir, "proxy-excluded.jsonl");
    expect(await run(excluded, { HTTPS_PROXY: `http://127.0.0.1:${port}`, NO_PROXY: "chatgpt.com" })).toMatch(
      /^loopback guard: fetch chatgpt/,
    );
  });

  it("refuses a connect that is no fetch (node:https) too", async () => {
    const log = join(dir, "https.jsonl");
    const code = `require("node:https").get("https://chatgpt.com/").on("error", (e) => console.log(e.code));`;
    const env = { PATH: "/usr/bin:/bin" };
    const out = await new Promise<string>((resolve) => {
      const child = spawn(NODE24, ["-e", code], { env: { ...env, ...loopbackGuardEnv(log, env) } });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.on("exit", () => resolve(text.trim()));
    });
    expect(out).toBe("ECONNREFUSED");
    expect(readOffLoopback(log)).toEqual([
      expect.objectContaining({ kind: "connect", host: "chatgpt.com", port: 443 }),
    ]);
  });

  it("guards worker threads too", async () => {
    const log = join(dir, "worker.jsonl");
    const seen = await runChild(log, "https://chatgpt.com/backend-api/wham/usage", true);
    expect(seen.away).toMatch(/^loopback guard: fetch chatgpt\.com:443 refused/);
    expect(readOffLoopback(log).map((e) => e.host)).toEqual(["chatgpt.com"]);
  });

  it("records nothing when the child stays on loopback, and keeps the NODE_OPTIONS it was given", async () => {
    const log = join(dir, "home.jsonl");
    const seen = await runChild(log, `http://127.0.0.1:${port}/`);
    expect(seen.ip).toBe("here");
    expect(readOffLoopback(log)).toEqual([]);
    expect(() => expectLoopbackOnly(readOffLoopback(log))).not.toThrow();
    expect(loopbackGuardEnv(log, { NODE_OPTIONS: "--no-warnings" }).NODE_OPTIONS).toMatch(
      /^--no-warnings --require=".*loopback-guard-preload\.cjs"$/,
    );
  });

  it("lets a server bind every interface (0.0.0.0, ::): a listen looks its host up, it goes nowhere", async () => {
    const log = join(dir, "listen.jsonl");
    const code = `
      const listen = (h) => new Promise((resolve) => {
        const s = require("node:net").createServer();
        s.on("error", (e) => resolve(e.code));
        s.listen(0, h, () => s.close(() => resolve("listening")));
      });
      (async () => console.log(JSON.stringify([await listen("0.0.0.0"), await listen("::")])))();`;
    const env = { PATH: "/usr/bin:/bin" };
    const out = await new Promise<string>((resolve) => {
      const child = spawn(NODE24, ["-e", code], { env: { ...env, ...loopbackGuardEnv(log, env) } });
      let text = "";
      child.stdout.on("data", (d: Buffer) => (text += d.toString()));
      child.on("exit", () => resolve(text));
    });
    const [any4, any6] = JSON.parse(out) as string[];
    expect(any4).toBe("listening");
    // Without IPv6 the bind itself fails, but never at the guard's lookup.
    expect(any6).not.toBe("ENOTFOUND");
    expect(readOffLoopback(log)).toEqual([]);
  });

  it("tolerates only OpenClaw's known refused calls, by host and function; the same host elsewhere fails", () => {
    const entry = (host: string, frame: string) => ({
      kind: "dns.promises.lookup",
      host,
      port: null,
      pid: 1,
      threadId: 0,
      stack: [
        "    at fetchWithSsrFGuardInternal (file:///x/fetch-guard.mjs:1:1)",
        `    at async ${frame} (file:///x/a.mjs:1:1)`,
      ],
    });
    expect(() => expectLoopbackOnly([entry("chatgpt.com", "buildOpenAICodexLiveProviderConfig")])).not.toThrow();
    expect(() =>
      expectLoopbackOnly([entry("clawhub.ai", "loadConfiguredHostedOfficialExternalPluginCatalogEntries")]),
    ).not.toThrow();
    expect(() => expectLoopbackOnly([entry("chatgpt.com", "OpenAI.fetchWithTimeout")])).toThrow(/chatgpt\.com/);
    expect(() => expectLoopbackOnly([entry("evil.example", "buildOpenAICodexLiveProviderConfig")])).toThrow(/evil/);
  });

  it("tolerates a call whose stack is wholly in OpenClaw's installs and Node; one other frame fails it", () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
    const dist = `file://${root}/tools/openclaw-cli/node_modules/openclaw/dist`;
    const undici = `${root}/tools/openclaw-cli/node_modules/undici/lib/dispatcher/client.js`;
    const entry = (kind: string, stack: string[]) => ({
      kind,
      host: "chatgpt.com",
      port: 443,
      pid: 1,
      threadId: 0,
      stack,
    });
    const queuedConnect = entry("connect", [
      `    at connect (${undici}:531:23)`,
      `    at ${undici}:414:28`,
      "    at node:internal/process/task_queues:151:7",
      "    at process.processTicksAndRejections (node:internal/process/task_queues:104:5)",
    ]);
    const usage = [
      `    at fetchJson (${dist}/provider-usage.fetch.shared-B.mjs:12:9)`,
      `    at async fetchCodexUsage (${dist}/provider-usage.fetch.codex-D.mjs:30:17)`,
    ];
    expect(knownFrameOf(queuedConnect)).toBe("OpenClaw's own: connect");
    expect(knownFrameOf(entry("fetch", usage))).toBe("OpenClaw's own: fetchJson");
    // A frame with no function name is named by its file.
    const unnamed = entry("fetch", [`    at ${dist}/openai-chatgpt-responses-s.mjs:315:30`]);
    expect(knownFrameOf(unnamed)).toBe("OpenClaw's own: openai-chatgpt-responses-s.mjs");
    expect(() => expectLoopbackOnly([queuedConnect, entry("fetch", usage)])).not.toThrow();
    const ours = [
      [`    at Ky._fetch (file://${root}/node_modules/ky/distribution/core/Ky.js:1:1)`, ...usage],
      [...usage, `    at async fetchUsage (file://${root}/src/usage/usage-client.ts:1:1)`],
      ["    at node:internal/deps/undici/undici:13891:55", "    at new Promise (<anonymous>)"],
    ];
    for (const stack of ours) expect(() => expectLoopbackOnly([entry("fetch", stack)])).toThrow(/chatgpt\.com:443/);
  });
});
