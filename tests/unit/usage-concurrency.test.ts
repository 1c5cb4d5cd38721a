import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { requestSlots } from "../../src/usage/check.ts";

function tracker() {
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const task = (n: number) => async (): Promise<number> => {
    started.push(n);
    active++;
    peak = Math.max(peak, active);
    await sleep(5 + (n % 3) * 5);
    active--;
    return n * 10;
  };
  return { task, started, peak: () => peak };
}

describe("requestSlots", () => {
  it("never has more than the limit in flight, starts the others in the order they asked", async () => {
    const t = tracker();
    const inSlot = requestSlots(4);
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(await Promise.all(items.map((n) => inSlot(t.task(n))))).toEqual(items.map((n) => n * 10));
    expect(t.peak()).toBe(4);
    expect(t.started).toEqual(items);
  });

  it("a task that throws frees its slot for the next", async () => {
    const inSlot = requestSlots(1);
    const failing = inSlot(async () => {
      throw new Error("boom");
    });
    const next = inSlot(async () => "next ran");
    await expect(failing).rejects.toThrow("boom");
    expect(await next).toBe("next ran");
  });

  it("a task waiting outside its slot lets the others run meanwhile", async () => {
    const inSlot = requestSlots(1);
    const order: string[] = [];
    const retrying = (async () => {
      await inSlot(async () => order.push("a: first attempt"));
      await sleep(30); // a Retry-After, waited out without a slot
      await inSlot(async () => order.push("a: second attempt"));
    })();
    await sleep(5);
    await inSlot(async () => order.push("b"));
    await retrying;
    expect(order).toEqual(["a: first attempt", "b", "a: second attempt"]);
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses a concurrency of %s", (limit) => {
    expect(() => requestSlots(limit)).toThrow(RangeError);
  });
});
