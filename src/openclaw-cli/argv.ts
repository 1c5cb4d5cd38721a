import { InputError } from "../errors/index.ts";
import { quoteInput } from "../secrets/redact.ts";

/**
 * The last line of defence, run on every argv right before anything is spawned: a value never passes for an
 * option, and no word carries whitespace, double quotes, backticks, shell or control characters. Nothing runs
 * through a shell, but openclaw itself parses these words. An apostrophe passes: it is in real email addresses,
 * which OpenClaw names profiles by, and without a shell it is an ordinary character. Free-text values are allowed
 * only where a command takes one (`cron add --display-name/--description`), and cron's `--command-argv` JSON is
 * parsed and each element checked: the first an absolute path, the rest plain words.
 */
const FLAG = /^--?[a-z][a-z-]*$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
const UNSAFE = /[\u0000-\u001f\u007f\s"`$;&|<>(){}\\*?!#~]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are matched to refuse or strip them
const CONTROL = /[\u0000-\u001f\u007f]/;

const TEXT_FLAGS: Readonly<Record<string, readonly string[]>> = { "cron add": ["--display-name", "--description"] };
const ARGV_JSON_FLAGS: Readonly<Record<string, readonly string[]>> = { "cron add": ["--command-argv"] };

/** One plain word: an option, or a value that cannot be read as one. */
function checkWord(arg: string): void {
  if (arg.startsWith("-") && !FLAG.test(arg)) {
    throw new InputError("invalid_profile_id", `Refused an argument that reads as an option: ${quoteInput(arg)}.`);
  }
  if (arg.length === 0 || arg.length > 256 || UNSAFE.test(arg)) {
    throw new InputError("invalid_profile_id", `Refused an unsafe argument ${quoteInput(arg)}.`);
  }
}

function checkText(flag: string, value: string): void {
  if (value.length === 0 || value.length > 512 || value.startsWith("-") || CONTROL.test(value)) {
    throw new InputError("unsafe_argument", `Refused the value of ${flag}: ${quoteInput(value)}.`);
  }
}

function checkArgvJson(flag: string, value: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InputError("unsafe_argument", `${flag} is not a JSON array.`);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length === 0 ||
    parsed.length > 32 ||
    !parsed.every((x) => typeof x === "string")
  ) {
    throw new InputError("unsafe_argument", `${flag} must be a JSON array of 1 to 32 strings.`);
  }
  const [program, ...args] = parsed as string[];
  if (
    !program?.startsWith("/") ||
    program.length > 1024 ||
    CONTROL.test(program) ||
    program.split("/").includes("..")
  ) {
    throw new InputError(
      "unsafe_argument",
      `${flag} must start with an absolute path, got ${quoteInput(program ?? "")}.`,
    );
  }
  for (const arg of args) checkWord(arg);
}

/** Checks a whole openclaw argv by the rules of its command. */
export function checkArgv(argv: readonly string[]): void {
  const command = argv.slice(0, 2).join(" ");
  const textFlags = TEXT_FLAGS[command] ?? [];
  const jsonFlags = ARGV_JSON_FLAGS[command] ?? [];
  argv.forEach((arg, i) => {
    const flag = i > 0 ? (argv[i - 1] as string) : "";
    if (jsonFlags.includes(flag)) checkArgvJson(flag, arg);
    else if (textFlags.includes(flag)) checkText(flag, arg);
    else checkWord(arg);
  });
}
