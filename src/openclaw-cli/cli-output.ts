import { redactText } from "../secrets/redact.ts";

/**
 * Reading what openclaw prints. Warnings such as "Installed Gateway service … could not be verified"
 * land on stdout in text mode and on stderr in --json mode, and may precede the JSON document.
 */
const NOISE: RegExp[] = [
  /^Installed Gateway service state and config paths could not be verified/,
  /^Warning: Model auth changes were saved, but the local Gateway could not refresh them/,
  /^OpenClaw \d{4}\.\d+\.\d+/,
  /^\s*$/,
];

function isNoiseLine(line: string): boolean {
  return NOISE.some((re) => re.test(line));
}

function meaningfulLines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => !isNoiseLine(line));
}

/** The JSON document in a command's stdout, skipping any lines printed before it; undefined when none parses. */
export function extractJson(stdout: string): unknown {
  const trimmed = stdout.trim();
  if (trimmed === "") return undefined;
  try {
    return JSON.parse(trimmed);
  } catch {
    // fall through: noise before the document
  }
  const lines = stdout.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const head = lines[i]?.trimStart() ?? "";
    if (!head.startsWith("{") && !head.startsWith("[")) continue;
    try {
      return JSON.parse(lines.slice(i).join("\n"));
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/** The first line worth showing a user from a failed command, redacted and clipped. */
export function firstErrorLine(stderr: string, stdout: string): string {
  const reason = /\[openclaw\] Reason: (.+)/.exec(stderr)?.[1];
  const errLines = meaningfulLines(stderr);
  // "Invalid config at …:" says what follows on the next line.
  const fromStderr =
    errLines[0]?.trimEnd().endsWith(":") && errLines[1] ? `${errLines[0].trim()} ${errLines[1].trim()}` : errLines[0];
  const line = reason ?? fromStderr ?? jsonErrorMessage(stdout) ?? meaningfulLines(stdout)[0] ?? "(no output)";
  const clean = redactText(line.trim());
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

function jsonErrorMessage(stdout: string): string | undefined {
  const doc = extractJson(stdout) as { ok?: unknown; error?: { message?: unknown } } | undefined;
  return doc && doc.ok === false && typeof doc.error?.message === "string" ? doc.error.message : undefined;
}
