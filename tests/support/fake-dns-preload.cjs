// Preloaded after the loopback guard for releases whose guarded fetch resolves the token host itself before
// using the proxy (OPENCLAW_PROXY_ACTIVE=1 "managed proxy" mode): auth.openai.com / chatgpt.com answer with a
// public-looking address without any DNS query; the connection then goes through
// HTTPS_PROXY (the loopback fake) as a CONNECT auth.openai.com:443. Every other name falls through to the guard.
const dns = require("node:dns");
const { syncBuiltinESMExports } = require("node:module");
const FAKE = new Set(["auth.openai.com", "chatgpt.com"]);
const ADDR = "104.18.0.10"; // public-looking (the SSRF policy refuses private and reserved ranges); never connected to
const origP = dns.promises.lookup;
dns.promises.lookup = async function (host, options, ...rest) {
  if (FAKE.has(String(host).toLowerCase())) {
    const all = typeof options === "object" && options?.all;
    return all ? [{ address: ADDR, family: 4 }] : { address: ADDR, family: 4 };
  }
  return origP.call(this, host, options, ...rest);
};
const orig = dns.lookup;
dns.lookup = function (host, options, cb) {
  if (typeof options === "function") {
    cb = options;
    options = {};
  }
  if (FAKE.has(String(host).toLowerCase())) {
    const all = typeof options === "object" && options?.all;
    return process.nextTick(() => (all ? cb(null, [{ address: ADDR, family: 4 }]) : cb(null, ADDR, 4)));
  }
  return orig.call(this, host, options, cb);
};
syncBuiltinESMExports();
