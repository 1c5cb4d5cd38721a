// Preloaded into a test's OpenClaw gateway (NODE_OPTIONS=--require, see loopback-guard.ts): every fetch, DNS lookup
// or socket connect beyond loopback is written to $CODEX_PROFILER_LOOPBACK_LOG (one JSON line) and refused.
// CommonJS and --require, not --import: Node runs an --import preload in no `eval: true` worker thread.
const { appendFileSync } = require("node:fs");
const { syncBuiltinESMExports } = require("node:module");
const { isIPv4, isIPv6 } = require("node:net");
const { threadId } = require("node:worker_threads");
const dns = require("node:dns");
const net = require("node:net");

function isLoopback(host) {
  const h = String(host ?? "localhost")
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  // The unspecified addresses: Server.listen looks up the one it binds (OpenClaw's port probe in `doctor`), and a
  // connect to one reaches this host.
  if (h === "" || h === "localhost" || h === "0.0.0.0" || h === "::") return true;
  if (isIPv4(h)) return h.startsWith("127.");
  if (isIPv6(h)) return h === "::1" || /^(0{1,4}:){7}0{0,3}1$/.test(h) || /^::ffff:127\./.test(h);
  return false;
}

function refuse(kind, host, port, code) {
  const limit = Error.stackTraceLimit;
  // Deep enough to reach the caller under a wrapped global dispatcher's undici frames (a connect seen in CI, 2026-12-01).
  Error.stackTraceLimit = 100;
  const stack = (new Error().stack ?? "").split("\n").slice(3, 90);
  Error.stackTraceLimit = limit;
  const entry = { kind, host: String(host), port: port ?? null, pid: process.pid, threadId, stack };
  // Read at each refusal: a vitest worker points it at its test file's own log after it started.
  const logFile = process.env.CODEX_PROFILER_LOOPBACK_LOG;
  if (logFile) appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
  const where = port === undefined ? String(host) : `${host}:${port}`;
  return Object.assign(new Error(`loopback guard: ${kind} ${where} refused (tests talk to loopback only)`), {
    code,
    hostname: String(host),
  });
}

/** Whether a fetch of `url` goes to a proxy on loopback set in the environment (the tests' fake OpenAI). */
function viaLoopbackProxy(url) {
  const env = process.env;
  const proxy = url.protocol === "https:" ? (env.HTTPS_PROXY ?? env.https_proxy) : (env.HTTP_PROXY ?? env.http_proxy);
  // With exclusions the fetch may go direct: it is refused here, a connect beyond loopback at the socket.
  if (!proxy || (env.NO_PROXY ?? env.no_proxy ?? "").trim() !== "") return false;
  try {
    return isLoopback(new URL(proxy).hostname);
  } catch {
    return false;
  }
}

// A fetch is refused before it reaches undici: at a socket connect its caller is often gone (a request queued in
// undici's pool connects from a microtask), while here the stack holds it. Refused as undici refuses a connect.
// Through a proxy on loopback it goes on: it connects to loopback only, which the socket guard still checks.
const nativeFetch = globalThis.fetch;
if (typeof nativeFetch === "function") {
  globalThis.fetch = function guardedFetch(input, init) {
    let url;
    try {
      url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url);
    } catch {
      return nativeFetch.call(this, input, init);
    }
    if (isLoopback(url.hostname) || viaLoopbackProxy(url)) return nativeFetch.call(this, input, init);
    const port = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const cause = refuse("fetch", url.hostname, port, "ECONNREFUSED");
    return Promise.reject(new TypeError("fetch failed", { cause }));
  };
}

const lookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, ...rest) {
  if (isLoopback(hostname)) return lookup.call(this, hostname, ...rest);
  const callback = rest.at(-1);
  const error = refuse("dns.lookup", hostname, undefined, "ENOTFOUND");
  if (typeof callback === "function") process.nextTick(callback, error);
  return {};
};

const lookupPromise = dns.promises.lookup;
dns.promises.lookup = function guardedPromiseLookup(hostname, ...rest) {
  if (isLoopback(hostname)) return lookupPromise.call(this, hostname, ...rest);
  return Promise.reject(refuse("dns.promises.lookup", hostname, undefined, "ENOTFOUND"));
};

/** Host and port of Socket#connect's arguments (options, [options, cb] as net.connect passes them, or port, host). */
function targetOf(args) {
  const a = Array.isArray(args[0]) ? args[0] : args;
  const first = a[0];
  if (first !== null && typeof first === "object") return first.path ? null : { host: first.host, port: first.port };
  if (typeof first === "string" && !/^\d+$/.test(first)) return null; // a local socket path
  return { host: typeof a[1] === "string" ? a[1] : undefined, port: first };
}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
  const target = targetOf(args);
  if (target === null || isLoopback(target.host)) return connect.apply(this, args);
  const error = refuse("connect", target.host, target.port, "ECONNREFUSED");
  process.nextTick(() => this.destroy(error));
  return this;
};

syncBuiltinESMExports();
