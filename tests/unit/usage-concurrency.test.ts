import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../src/usage/check.ts";

function tracker() {
  let active = 0;
  let peak = 0;
  const worker = async (n: number): Promise<number> => {
    active++;
    peak = Math.max(peak, active);
    await sleep(5 + (n % 3) * 5);
    active--;
    return n * 10;
  };
  return { worker, peak: () => peak };
}

describe("mapWithConcurrency", () => {
  it("never has more than the limit in flight and keeps results in input order", async () => {
    const t = tracker();
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(await mapWithConcurrency(items, 4, t.worker)).toEqual(items.map((n) => n * 10));
    expect(t.peak()).toBe(4);
  });

  it("uses all lanes it may, and no more than there are items", async () => {
    const t = tracker();
    await mapWithConcurrency([1, 2], 4, t.worker);
    expect(t.peak()).toBe(2);
    expect(await mapWithConcurrency([], 4, t.worker)).toEqual([]);
  });

  it("rejects with the worker's error and starts nothing new after it", async () => {
    const started: number[] = [];
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await sleep(5);
      if (n === 1) throw new Error("boom");
      return n;
    });
    await expect(run).rejects.toThrow("boom");
    expect(started.length).toBeLessThan(6);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a concurrency of %s", async (limit) => {
    await expect(mapWithConcurrency([1], limit, async (n) => n)).rejects.toThrow(RangeError);
  });
});
