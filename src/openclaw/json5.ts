/**
 * A small, strict JSON5 reader for openclaw.json (OpenClaw writes JSON, but users edit it as JSON5):
 * comments, trailing commas, unquoted and single-quoted keys, single-quoted strings, hex numbers,
 * leading/trailing decimal points, explicit +, Infinity/NaN and escaped line breaks in strings.
 * It returns plain data only (no prototypes from keys) and throws Json5SyntaxError with a position.
 */
export class Json5SyntaxError extends Error {
  readonly line: number;
  readonly column: number;

  constructor(message: string, line: number, column: number) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = "Json5SyntaxError";
    this.line = line;
    this.column = column;
  }
}

const MAX_DEPTH = 200;
const ID_START = /[A-Za-z_$\p{L}]/u;
const ID_PART = /[A-Za-z0-9_$\p{L}\p{Mn}\p{Mc}\p{Nd}\p{Pc}\u200c\u200d]/u;

export function parseJson5(text: string): unknown {
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;

  const fail = (message: string, at = pos): never => {
    const before = text.slice(0, at);
    const line = before.split("\n").length;
    const column = at - before.lastIndexOf("\n");
    throw new Json5SyntaxError(message, line, column);
  };

  const skipSpace = (): void => {
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === "/" && text[pos + 1] === "/") {
        const end = text.indexOf("\n", pos);
        pos = end < 0 ? text.length : end + 1;
      } else if (ch === "/" && text[pos + 1] === "*") {
        const end = text.indexOf("*/", pos + 2);
        if (end < 0) fail("unterminated comment");
        pos = end + 2;
      } else if (/\s/u.test(ch) || ch === "\ufeff") {
        pos++;
      } else {
        return;
      }
    }
  };

  const readString = (): string => {
    const quote = text[pos]!;
    pos++;
    let out = "";
    while (pos < text.length) {
      const ch = text[pos]!;
      if (ch === quote) {
        pos++;
        return out;
      }
      if (ch === "\n" || ch === "\r") fail("line break in string");
      if (ch !== "\\") {
        out += ch;
        pos++;
        continue;
      }
      const esc = text[pos + 1];
      pos += 2;
      switch (esc) {
        case "n": out += "\n"; break;
        case "r": out += "\r"; break;
        case "t": out += "\t"; break;
        case "b": out += "\b"; break;
        case "f": out += "\f"; break;
        case "v": out += "\v"; break;
        case "0": out += "\0"; break;
        case "\n": break;
        case "\r": if (text[pos] === "\n") pos++; break;
        case "\u2028": case "\u2029": break;
        case "x": {
          const hex = text.slice(pos, pos + 2);
          if (!/^[0-9a-fA-F]{2}$/.test(hex)) fail("bad \\x escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 2;
          break;
        }
        case "u": {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
          break;
        }
        case undefined: fail("unterminated string"); break;
        default: out += esc;
      }
    }
    return fail("unterminated string");
  };

  const readIdentifier = (): string => {
    const start = pos;
    if (!ID_START.test(text[pos] ?? "")) fail("expected a key");
    pos++;
    while (pos < text.length && ID_PART.test(text[pos]!)) pos++;
    return text.slice(start, pos);
  };

  const readNumberOrKeyword = (): unknown => {
    const rest = text.slice(pos);
    const m = /^[+-]?(?:Infinity|NaN|0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/.exec(rest);
    if (m) {
      pos += m[0].length;
      const raw = m[0];
      const sign = raw.startsWith("-") ? -1 : 1;
      const body = raw.replace(/^[+-]/, "");
      if (body === "Infinity") return sign * Infinity;
      if (body === "NaN") return NaN;
      if (/^0[xX]/.test(body)) return sign * parseInt(body.slice(2), 16);
      return sign * Number(body);
    }
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (rest.startsWith(word) && !ID_PART.test(rest[word.length] ?? "")) {
        pos += word.length;
        return value;
      }
    }
    return fail("unexpected character");
  };

  const readValue = (depth: number): unknown => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    skipSpace();
    const ch = text[pos];
    if (ch === undefined) return fail("unexpected end of input");
    if (ch === "{") return readObject(depth);
    if (ch === "[") return readArray(depth);
    if (ch === '"' || ch === "'") return readString();
    return readNumberOrKeyword();
  };

  const readObject = (depth: number): Record<string, unknown> => {
    pos++;
    const out: Record<string, unknown> = {};
    for (;;) {
      skipSpace();
      if (text[pos] === "}") {
        pos++;
        return out;
      }
      const key = text[pos] === '"' || text[pos] === "'" ? readString() : readIdentifier();
      skipSpace();
      if (text[pos] !== ":") fail("expected ':'");
      pos++;
      const value = readValue(depth + 1);
      // Own data properties only: "__proto__" becomes a plain key, never a prototype.
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== "}") fail("expected ',' or '}'");
    }
  };

  const readArray = (depth: number): unknown[] => {
    pos++;
    const out: unknown[] = [];
    for (;;) {
      skipSpace();
      if (text[pos] === "]") {
        pos++;
        return out;
      }
      out.push(readValue(depth + 1));
      skipSpace();
      if (text[pos] === ",") pos++;
      else if (text[pos] !== "]") fail("expected ',' or ']'");
    }
  };

  const value = readValue(0);
  skipSpace();
  if (pos < text.length) fail("unexpected text after the value");
  return value;
}
