import { join } from "node:path";
import { runJobTick } from "../../src/rotation/job.ts";
import { applyRotation, type RotationDeps } from "../../src/rotation/rotate.ts";
import type { RankPolicy } from "../../src/rotation/types.ts";
import type { UsageCheck } from "../../src/usage/types.ts";
import { type DayAccountSpec, type Demand, type FirstChange, reversals, UsageDay } from "./rotation-day.ts";
import { recordingOrderPort } from "./rotation-fakes.ts";

export interface DayRunOptions {
  /**
   * "job": rotate apply --if-better (hysteresis). "naive": apply the plain ranking on every tick. "none": never
   * rotate. "codex-auth": codex-auth's rule (switch when the first is under 10 % 5h or 5 % weekly, to the
   * profile with the most minimum headroom).
   */
  policy: "job" | "naive" | "none" | "codex-auth";
  /** The job's ranking policy; default the project's default. */
  rankPolicy?: RankPolicy;
  specs?: DayAccountSpec[];
  demand?: Demand;
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
  /** Weekly quota that lapsed at resets, and the quota those resets took back (percent of one account-week). */
  lapsed: number;
  lapseDue: number;
  unservedDemand: number;
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
  const day = new UsageDay(o.start, o.specs, o.demand);
  const dueAtStart = new Map(day.accounts.map((a) => [a.spec.id, 100 - a.weeklyUsed]));
  const port = recordingOrderPort(day.accounts.map((a) => a.spec.id));
  const tick = o.tickMs ?? 10 * 60_000;
  const end = o.start + (o.hours ?? 24) * 3_600_000;
  const deps: RotationDeps = {
    readUsage: o.readUsage ? () => o.readUsage!(day, port.order) : async () => day.report(port.order),
    order: port,
    historyPath: o.forecast === false ? null : join(o.dir, `${o.policy}-${o.rankPolicy}-${o.start}-history.json`),
    statePath: join(o.dir, `${o.policy}-${o.rankPolicy}-${o.forecast === false ? "nf" : "f"}-${o.start}-state.json`),
    now: () => day.now,
  };
  const firstChanges: FirstChange[] = [];
  const unusableFirstAfterTick: number[] = [];
  const outputs: string[] = [];
  for (let t = o.start; t <= end; t += tick) {
    day.advanceTo(t, port.order);
    const before = port.order[0];
    const policy = o.rankPolicy ? { policy: o.rankPolicy } : {};
    if (o.policy === "job") outputs.push((await runJobTick("main", deps, policy)).output);
    else if (o.policy === "naive") await applyRotation({ agentId: "main", ifBetter: false, ...policy }, deps);
    else if (o.policy === "codex-auth") await codexAuthRule(day, port);
    const after = port.order[0];
    if (after !== before) firstChanges.push({ at: t, from: before, to: after });
    if (day.anyUsable() && (after === undefined || !day.usable(after))) unusableFirstAfterTick.push(t);
  }
  // A week's first reset of each account takes back what was left at the start; later ones a whole week.
  const lapses = day.lapses.filter((l) => l.at <= end);
  const seen = new Set<string>();
  const lapseDue = lapses.reduce((sum, l) => {
    const due = seen.has(l.id) ? 100 : (dueAtStart.get(l.id) ?? 100);
    seen.add(l.id);
    return sum + due;
  }, 0);
  return {
    orderChanges: port.sets.length,
    lapsed: lapses.reduce((sum, l) => sum + l.left, 0),
    lapseDue,
    unservedDemand: day.unservedDemand,
    exhaustedFirstMinutes: day.exhaustedFirstMinutes,
    noneUsableMinutes: day.noneUsableMinutes,
    firstChanges,
    reversals: reversals(firstChanges),
    unusableFirstAfterTick,
    outputs,
    setCalls: port.sets.length,
  };
}

/** codex-auth's switching rule, as its daemon applies it: only when the active account runs low. */
async function codexAuthRule(day: UsageDay, port: ReturnType<typeof recordingOrderPort>): Promise<void> {
  const first = port.order[0];
  if (first === undefined) return;
  const left = day.left(first);
  if (left.five >= 10 && left.weekly >= 5) return;
  const score = (id: string): number => Math.min(day.left(id).five, day.left(id).weekly);
  const best = [...port.order].sort((a, b) => score(b) - score(a))[0];
  if (best === undefined || best === first) return;
  await port.setOrder({ agentId: "main", provider: "openai", ids: [best, ...port.order.filter((id) => id !== best)] });
}
