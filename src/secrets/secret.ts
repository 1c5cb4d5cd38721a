const REDACTED = "[redacted]";
const known = new Set<string>();
// util.inspect.custom, without loading node:util for it.
const inspectCustom = Symbol.for("nodejs.util.inspect.custom");

/**
 * A credential string that refuses to be printed. JSON.stringify, String(), template literals and
 * util.inspect all yield "[redacted]"; only reveal() gives the value, at the single place that sends it.
 * Every value is also remembered so that redactText() can scrub it from any text, whatever its path.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    if (value.length >= 8) known.add(value);
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspectCustom](): string {
    return `Secret(${REDACTED})`;
  }
}

export function knownSecretValues(): ReadonlySet<string> {
  return known;
}

export { REDACTED };
