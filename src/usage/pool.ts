/**
 * Maps items through an async worker with at most `limit` calls in flight, results in input order.
 * Items with the same `keyOf` share one call (one request in flight per profile), whatever their number.
 * A worker that throws rejects the whole map after the calls already started have settled; no new call starts.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  worker: (item: T, index: number) => Promise<R>,
  options: { keyOf?: (item: T) => string } = {},
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`concurrency must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  const inFlight = new Map<string, Promise<R>>();
  let next = 0;
  let failed = false;
  let failure: unknown;

  const runOne = (index: number): Promise<R> => {
    const item = items[index] as T;
    const key = options.keyOf?.(item);
    if (key === undefined) return worker(item, index);
    const shared = inFlight.get(key);
    if (shared) return shared;
    const call = worker(item, index);
    inFlight.set(key, call);
    return call;
  };

  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await runOne(index);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failed) throw failure;
  return results;
}
