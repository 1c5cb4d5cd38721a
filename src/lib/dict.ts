/** A JSON object (not null, not an array): what a value read from outside must be before its keys are read. */
export const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/**
 * A record keyed by strings from outside (profile ids, providers, agent ids): without a prototype, so that
 * "constructor", "toString" or "__proto__" are ordinary keys and a missing one reads as undefined.
 */
export function dict<T>(from?: Record<string, T> | Iterable<readonly [string, T]>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  if (!from) return out;
  const entries = Symbol.iterator in from ? from : Object.entries(from);
  for (const [key, value] of entries) out[key] = value;
  return out;
}
