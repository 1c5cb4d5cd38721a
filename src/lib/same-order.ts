/** Two orders of profile ids are the same: the same ids in the same places (no order, null, equals only null). */
export const sameOrder = (a: readonly string[] | null, b: readonly string[] | null): boolean =>
  a === null || b === null ? a === b : a.length === b.length && a.every((id, i) => id === b[i]);
