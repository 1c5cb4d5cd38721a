import { pino, type Logger } from "pino";
import { redactText } from "../secrets/redact.ts";

export type { Logger };

const SECRET_PATHS = [
  "access", "refresh", "token", "accessToken", "refreshToken", "idToken", "authorization", "Authorization",
  "*.access", "*.refresh", "*.token", "*.accessToken", "*.refreshToken", "*.idToken",
  "headers.authorization", "headers.Authorization", "*.headers.authorization", "*.headers.Authorization",
  "url", "*.url", "redirectUrl", "*.redirectUrl", "code", "*.code_verifier",
];

/**
 * Logs go to stderr as JSON lines, never stdout (stdout carries the command's result).
 * Known secret fields are censored by path, and every message and string field is passed through
 * redactText so that a token reaching a log by an unforeseen path is still scrubbed.
 */
export function createLogger(options: { debug?: boolean; destination?: NodeJS.WritableStream | number } = {}): Logger {
  const level = options.debug ? "debug" : (process.env.CODEX_PROFILER_LOG_LEVEL ?? "warn");
  const destination = options.destination ?? 2;
  return pino(
    {
      name: "codex-profiler",
      level,
      base: undefined,
      redact: { paths: SECRET_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === "string" ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
      formatters: {
        log(object) {
          return scrub(object) as Record<string, unknown>;
        },
      },
    },
    typeof destination === "number" ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

function scrub(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: redactText(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, depth + 1);
  return out;
}
