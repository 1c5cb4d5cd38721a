import { createRequire } from "node:module";
import type { Logger as PinoLogger } from "pino";
import { inertText } from "./display-text.ts";

/**
 * Logs go to stderr as JSON lines (pino), never stdout (stdout carries the command's result). pino is loaded
 * only when a line is actually written at an enabled level, so a run without --debug that logs nothing never
 * loads it. Known secret fields are censored by path, and every message and string field passes through the
 * given redactor, so that a token reaching a log by an unforeseen path is still scrubbed.
 */
export interface Logger {
  debug(fields: object | string, message?: string): void;
  info(fields: object | string, message?: string): void;
  warn(fields: object | string, message?: string): void;
  error(fields: object | string, message?: string): void;
}

export interface LoggerOptions {
  debug?: boolean;
  destination?: NodeJS.WritableStream | number;
  /** Scrubs secrets out of free text (src/secrets redactText). */
  redact: (text: string) => string;
}

const SECRET_PATHS = [
  "access",
  "refresh",
  "token",
  "accessToken",
  "refreshToken",
  "idToken",
  "authorization",
  "Authorization",
  "*.access",
  "*.refresh",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.idToken",
  "headers.authorization",
  "headers.Authorization",
  "*.headers.authorization",
  "*.headers.Authorization",
  "url",
  "*.url",
  "redirectUrl",
  "*.redirectUrl",
  "code",
  "*.code_verifier",
];

const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};
type Method = "debug" | "info" | "warn" | "error";

export function createLogger(options: LoggerOptions): Logger {
  const level = options.debug ? "debug" : (process.env.CODEX_PROFILER_LOG_LEVEL ?? "warn");
  const threshold = LEVELS[level] ?? LEVELS.warn!;
  let pinoLogger: PinoLogger | undefined;
  const write =
    (method: Method) =>
    (fields: object | string, message?: string): void => {
      if ((LEVELS[method] ?? 0) < threshold) return;
      pinoLogger ??= loadPino(level, options);
      if (typeof fields === "string") pinoLogger[method](fields);
      else pinoLogger[method](fields, message);
    };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}

function loadPino(level: string, options: LoggerOptions): PinoLogger {
  const { pino } = createRequire(import.meta.url)("pino") as typeof import("pino");
  const { redact } = options;
  const destination = options.destination ?? 2;
  return pino(
    {
      name: "codex-profiler",
      level,
      base: undefined,
      redact: { paths: SECRET_PATHS, censor: "[redacted]" },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === "string" ? inertText(redact(a)) : a));
          method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
      formatters: {
        log(object) {
          return scrub(object, redact) as Record<string, unknown>;
        },
      },
    },
    typeof destination === "number" ? pino.destination({ fd: destination, sync: true }) : destination,
  );
}

function scrub(value: unknown, redact: (text: string) => string, depth = 0): unknown {
  if (typeof value === "string") return inertText(redact(value));
  if (depth > 6 || value === null || typeof value !== "object") return value;
  if (value instanceof Error) return { type: value.name, message: redact(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrub(v, redact, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, redact, depth + 1);
  return out;
}
