import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { mapWithConcurrency } from "../../src/usage/check.ts";

function tracker() {
  let active = 0;
  let peak = 0;
  const calls: number[] = [];
  const worker = async (n: number): Promise<number> => {
    calls.push(n);
    active++;
    peak = Math.max(peak, active);
    await sleep(5 + (n % 3) * 5);
    active--;
    return n * 10;
  };
  return { worker, calls, peak: () => peak };
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

  it("runs one call per key (one request in flight per profile)", async () => {
    const t = tracker();
    const items = ["a", "b", "a", "c", "a"];
    const out = await mapWithConcurrency(items, 3, async (s) => `${s}:${await t.worker(s.charCodeAt(0))}`, {
      keyOf: (s) => s,
    });
    expect(out).toEqual(["a:970", "b:980", "a:970", "c:990", "a:970"]);
    expect(t.calls.sort()).toEqual([97, 98, 99]);
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
