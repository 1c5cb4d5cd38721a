import { join } from "node:path";
import { runJobTick } from "../../src/rotation/job.ts";
import { applyRotation, type RotationDeps } from "../../src/rotation/rotate.ts";
import type { UsageCheck } from "../../src/usage/types.ts";
import { type FirstChange, reversals, UsageDay } from "./rotation-day.ts";
import { recordingOrderPort } from "./rotation-fakes.ts";

export interface DayRunOptions {
  /** "job": rotate apply --if-better (hysteresis). "naive": apply the plain ranking on every tick. "none": never rotate. */
  policy: "job" | "naive" | "none";
  start: number;
  /** Folder for the usage history and rotation state. */
  dir: string;
  hours?: number;
  tickMs?: number;
  /** Reads usage at the day's clock; default: the day's readings directly, without HTTP. */
  readUsage?: (day: UsageDay, order: string[]) => Promise<UsageCheck>;
  /** Keep a usage history (and so a forecast); default true. */
  forecast?: boolean;
}

export interface DayRunResult {
  orderChanges: number;
  exhaustedFirstMinutes: number;
  noneUsableMinutes: number;
  firstChanges: FirstChange[];
  reversals: FirstChange[];
  /** Ticks after which a usable profile existed but the first one was not usable. */
  unusableFirstAfterTick: number[];
  outputs: string[];
  setCalls: number;
}

export async function runSimulatedDay(o: DayRunOptions): Promise<DayRunResult> {
  const day = new UsageDay(o.start);
  const port = recordingOrderPort(day.accounts.map((a) => a.spec.id));
  const tick = o.tickMs ?? 10 * 60_000;
  const end = o.start + (o.hours ?? 24) * 3_600_000;
  const deps: RotationDeps = {
    readUsage: o.readUsage ? () => o.readUsage!(day, port.order) : async () => day.report(port.order),
    order: port,
    historyPath: o.forecast === false ? null : join(o.dir, `${o.policy}-${o.start}-history.json`),
    statePath: join(o.dir, `${o.policy}-${o.forecast === false ? "nf" : "f"}-${o.start}-state.json`),
    now: () => day.now,
  };
  const firstChanges: FirstChange[] = [];
  const unusableFirstAfterTick: number[] = [];
  const outputs: string[] = [];
  for (let t = o.start; t <= end; t += tick) {
    day.advanceTo(t, port.order);
    const before = port.order[0];
    if (o.policy === "job") outputs.push((await runJobTick("main", deps)).output);
    else if (o.policy === "naive") await applyRotation({ agentId: "main", ifBetter: false }, deps);
    const after = port.order[0];
    if (after !== before) firstChanges.push({ at: t, from: before, to: after });
    if (day.anyUsable() && (after === undefined || !day.usable(after))) unusableFirstAfterTick.push(t);
  }
  return {
    orderChanges: port.sets.length,
    exhaustedFirstMinutes: day.exhaustedFirstMinutes,
    noneUsableMinutes: day.noneUsableMinutes,
    firstChanges,
    reversals: reversals(firstChanges),
    unusableFirstAfterTick,
    outputs,
    setCalls: port.sets.length,
  };
}
