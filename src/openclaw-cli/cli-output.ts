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

export function meaningfulLines(text: string): string[] {
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
  for (const i of documentStarts(lines)) {
    try {
      return JSON.parse(lines.slice(i).join("\n"));
    } catch {
      // keep looking
    }
  }
  return undefined;
}

/**
 * The lines starting with { or [ from which the rest of the output can be one document: its brackets
 * balance at the last one and not before. One backward scan instead of a parse of the rest at every such
 * line (quadratic on a cut-off document); at most one line qualifies: a document ends where it closes.
 */
function documentStarts(lines: string[]): number[] {
  const starts: number[] = [];
  let rest = 0; // depth change from the start of line i to the end
  let low = Number.POSITIVE_INFINITY; // lowest depth from the start of line i, the last bracket left out
  let lastSeen = false;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? "";
    const b = brackets(line);
    low = Math.min(lastSeen ? b.low : b.lowBeforeLast, b.delta + low);
    lastSeen ||= b.any;
    rest += b.delta;
    const head = line.trimStart();
    if (rest === 0 && low >= 1 && (head.startsWith("{") || head.startsWith("["))) starts.unshift(i);
  }
  return starts;
}

/** Depths after the brackets of a line, outside strings (a JSON string never spans lines). */
function brackets(line: string): { delta: number; low: number; lowBeforeLast: number; any: boolean } {
  let depth = 0;
  let low = Number.POSITIVE_INFINITY;
  let lowBeforeLast = low;
  let any = false;
  let inString = false;
  for (let k = 0; k < line.length; k += 1) {
    const c = line[k];
    if (inString) {
      if (c === "\\") k += 1;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[" || c === "}" || c === "]") {
      depth += c === "{" || c === "[" ? 1 : -1;
      lowBeforeLast = low;
      low = Math.min(low, depth);
      any = true;
    }
  }
  return { delta: depth, low, lowBeforeLast, any };
}

/** "Config (<path>): …": OpenClaw's config warnings, printed before whatever failed; the cause only if alone. */
const CONFIG_WARNING = /^Config \([^)]*\): /;

/** A line and, when it ends in a colon ("Invalid config at …:"), the line it introduces. */
function withContinuation(lines: string[], at: number): string | undefined {
  const line = lines[at];
  const next = lines[at + 1];
  return line?.trimEnd().endsWith(":") && next ? `${line.trim()} ${next.trim()}` : line;
}

/** The first line worth showing a user from a failed command, redacted and clipped. */
export function firstErrorLine(stderr: string, stdout: string): string {
  const all = meaningfulLines(stderr);
  const marker = "[openclaw] Reason: ";
  const reasonAt = all.findIndex((l) => l.includes(marker));
  const withReason = withContinuation(all, reasonAt);
  const reason = withReason?.slice(withReason.indexOf(marker) + marker.length);
  const errLines = all.filter((l) => !CONFIG_WARNING.test(l));
  const line =
    reason ??
    withContinuation(errLines, 0) ??
    jsonErrorMessage(stdout) ??
    meaningfulLines(stdout)[0] ??
    all[0] ??
    "(no output)";
  const clean = redactText(line.trim());
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean;
}

function jsonErrorMessage(stdout: string): string | undefined {
  const doc = extractJson(stdout) as { ok?: unknown; error?: { message?: unknown } } | undefined;
  return doc && doc.ok === false && typeof doc.error?.message === "string" ? doc.error.message : undefined;
}
