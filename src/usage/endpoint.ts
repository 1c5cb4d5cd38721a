import { InputError } from "../errors/index.ts";

export const DEFAULT_USAGE_URL = "https://chatgpt.com/backend-api/wham/usage";
const USAGE_URL_ENV = "CODEX_PROFILER_USAGE_URL";

const ALLOWED =
  `${USAGE_URL_ENV} may only name a loopback address (127.0.0.0/8, ::1 or localhost) over http or https, ` +
  `without credentials; unset it to use ${DEFAULT_USAGE_URL}`;

/**
 * The usage URL to call: chatgpt.com, or (for tests, demos and simulation) a loopback override.
 * Anything else is refused before a request exists, so a token can never be sent elsewhere.
 */
export function resolveUsageEndpoint(env: NodeJS.ProcessEnv = process.env): URL {
  const raw = env[USAGE_URL_ENV];
  if (raw === undefined || raw.trim() === "") return new URL(DEFAULT_USAGE_URL);
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new InputError("usage_url_refused", `${USAGE_URL_ENV} is not a URL. ${ALLOWED}.`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new InputError("usage_url_refused", `${USAGE_URL_ENV} uses ${url.protocol.replace(/:$/, "")}. ${ALLOWED}.`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new InputError("usage_url_refused", `${USAGE_URL_ENV} carries credentials. ${ALLOWED}.`);
  }
  if (!isLoopbackHost(url.hostname)) {
    // The host is named (it is not a secret); the rest of the URL is not echoed.
    throw new InputError(
      "usage_url_refused",
      `${USAGE_URL_ENV} names host ${JSON.stringify(url.hostname)}. ${ALLOWED}.`,
    );
  }
  url.hash = "";
  return url;
}

const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]\\d|\\d)";
// node:net's isIPv4 rule (no leading zeros), without loading node:net into every run for it.
const IPV4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);
const isLoopbackV4 = (host: string): boolean => IPV4.test(host) && host.startsWith("127.");

/** localhost, 127.0.0.0/8 or ::1 (also as an IPv4-mapped IPv6 address). URL.hostname keeps IPv6 brackets. */
export function isLoopbackHost(hostname: string): boolean {
  // No trailing-dot form: "localhost." skips /etc/hosts and asks DNS, which may answer anything.
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host === "::1" || host === "0:0:0:0:0:0:0:1") return true;
  if (isLoopbackV4(host)) return true;
  const mapped = /^::ffff:(.+)$/.exec(host)?.[1];
  if (mapped === undefined) return false;
  if (isLoopbackV4(mapped)) return true;
  const hex = /^([0-9a-f]{1,4}):[0-9a-f]{1,4}$/.exec(mapped)?.[1];
  return hex !== undefined && Number.parseInt(hex, 16) >> 8 === 127;
}

/** Defence in depth for callers that build a URL themselves: the same rule as resolveUsageEndpoint. */
export function assertAllowedEndpoint(url: URL): void {
  const official = new URL(DEFAULT_USAGE_URL);
  if (url.protocol === official.protocol && url.host === official.host && url.username === "" && url.password === "")
    return;
  resolveUsageEndpoint({ [USAGE_URL_ENV]: url.href });
}
