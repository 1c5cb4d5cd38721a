import type { ParseArgsOptionsConfig } from "node:util";
import { InputError, type InputErrorCode } from "../errors/index.ts";
import { canQuoteInput, quoteInput } from "../secrets/redact.ts";
import { ExitCode } from "./exit-codes.ts";
import type { RuntimeEnv } from "./runtime.ts";

const { parseArgs } = process.getBuiltinModule("node:util");

/**
 * The flags of all three CLIs: node's parseArgs, strict, with one way to check a whole number and a choice.
 * Each CLI keeps its own error code for bad flags (codex_auth: unknown_option, the others: bad_flags).
 */
export function parseFlags<O extends ParseArgsOptionsConfig>(
  argv: string[],
  options: O,
  code: InputErrorCode,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (err) {
    // parseArgs throws a TypeError whose message quotes the argument as given: read raw, then described.
    throw new InputError(code, withoutEchoes((err as TypeError).message));
  }
}

const OPTION_NAME = /^--?[A-Za-z][A-Za-z-]*( <value>)?$/;

/**
 * node's parseArgs quotes the offending argument, which may be a pasted token: its first sentence is kept, an
 * option's name as it is and anything else described.
 */
function withoutEchoes(message: string): string {
  const first = message.split(/\.\s/)[0] ?? message;
  const quoted = first.replace(/'([^']*)'/g, (_, arg: string) =>
    OPTION_NAME.test(arg) && canQuoteInput(arg) ? JSON.stringify(arg) : quoteInput(arg, "argument"),
  );
  // node's own hint (--option=-XYZ) repeats the value; ours says the same without it.
  return /argument is ambiguous/.test(first)
    ? `${quoted}; give a value that starts with "-" as --option=value`
    : quoted;
}

/**
 * Refuses a flag that `what` (an action, an operation) does not use, naming what it takes: a flag given in
 * vain is never silently ignored. `common` are the flags every action takes (`help` goes unnamed).
 */
export function refuseUnusedFlags(
  what: string,
  flags: { own: readonly string[]; common: readonly string[]; given: string[] },
  code: InputErrorCode,
  note = "",
): void {
  const unused = flags.given.filter((f) => !flags.common.includes(f) && !flags.own.includes(f));
  if (unused.length === 0) return;
  const named = (fs: readonly string[]): string => fs.map((f) => `--${f}`).join(", ");
  const takes = flags.own.length > 0 ? `it takes ${named(flags.own)} and` : "it takes only";
  const common = named(flags.common.filter((f) => f !== "help"));
  throw new InputError(code, `${what} does not use ${named(unused)}; ${takes} ${common}${note}`);
}

export interface IntRange {
  min: number;
  max: number;
  fallback: number;
}

/** A whole number within the range, or the fallback when the flag is absent. */
export function intFlag(name: string, raw: string | undefined, range: IntRange, code: InputErrorCode): number {
  if (raw === undefined) return range.fallback;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= range.min && n <= range.max)) {
    throw new InputError(
      code,
      `--${name} takes a whole number from ${range.min} to ${range.max}, got ${quoteInput(raw, `--${name} value`)}`,
    );
  }
  return n;
}

/** One of the allowed values, or the fallback when the flag is absent. */
export function choiceFlag<T extends string>(
  name: string,
  raw: string | undefined,
  allowed: readonly T[],
  fallback: T,
  code: InputErrorCode,
): T {
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new InputError(code, `--${name} takes ${allowed.join(" or ")}, got ${quoteInput(raw, `--${name} value`)}`);
  }
  return raw as T;
}

/**
 * The flags of codex_usage and codex_rotate, or null once the command has answered by itself: bad flags say
 * what is wrong (exit 2) on stderr, or as `{"error":{code,message}}` on stdout when JSON was asked for;
 * --help prints the help (exit 0).
 */
export function flagsOrAnswer<A extends { help: boolean }>(
  name: string,
  argv: string[],
  parse: (argv: string[]) => A,
  help: string,
  runtime: RuntimeEnv,
  defaultFormat: "json" | "text",
): A | null {
  let args: A;
  try {
    args = parse(argv);
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    if (formatAskedFor(argv, defaultFormat) === "json")
      runtime.writeJson({ error: { code: err.code, message: err.message } });
    else runtime.error(`${name}: ${err.message}\nRun ${name} --help for the options.`);
    runtime.exit(ExitCode.badInput);
    return null;
  }
  if (!args.help) return args;
  runtime.log(help);
  runtime.exit(ExitCode.ok);
  return null;
}

/** The output format argv asks for, read without trusting the rest of it (it did not parse). */
export function formatAskedFor(argv: string[], fallback: "json" | "text"): "json" | "text" {
  let format = fallback;
  argv.forEach((a, i) => {
    const value = a.startsWith("--format=") ? a.slice("--format=".length) : a === "--format" ? argv[i + 1] : null;
    if (value === "json" || value === "text") format = value;
  });
  return format;
}
