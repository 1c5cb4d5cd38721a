import type { Readable } from "node:stream";

/** The text side of the runner's terminal mode: its output read line by line, its command line for script(1). */

/** A terminal line longer than this is cut: a child printing without newlines cannot grow memory. */
const MAX_LINE_CHARS = 64 * 1024;

/** Every output line, raw; an unfinished line is passed on when it holds a prompt. */
export function splitLines(
  streams: Array<Readable | null>,
  onLine: (line: string) => void,
  prompt: RegExp | undefined,
): void {
  for (const stream of streams) {
    let buf = "";
    stream?.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const parts = buf.split(/\r\n|\r|\n/);
      buf = parts.pop() ?? "";
      for (const p of parts) onLine(p.slice(0, MAX_LINE_CHARS));
      if ((prompt?.test(buf) ?? false) || buf.length > MAX_LINE_CHARS) {
        onLine(buf.slice(0, MAX_LINE_CHARS));
        buf = "";
      }
    });
    stream?.on("end", () => {
      if (buf) onLine(buf);
    });
  }
}

/** The pseudo-terminal gets a size first: with 0 columns openclaw's prompts wrap after every character. */
function ptyCommand(words: string[]): string {
  return `stty cols 500 rows 50 2>/dev/null; exec ${words.map(shellQuote).join(" ")}`;
}

/** script(1)'s arguments to run `words` on a pseudo-terminal: util-linux's form, or the BSD one of macOS. */
export function scriptArgs(words: string[], platform: NodeJS.Platform = process.platform): string[] {
  const command = ptyCommand(words);
  return platform === "darwin" || platform === "freebsd" || platform === "openbsd"
    ? ["-q", "/dev/null", "/bin/sh", "-c", command]
    : ["-qefc", command, "/dev/null"];
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
