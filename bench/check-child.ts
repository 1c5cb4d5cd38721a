/**
 * The usage checks of bench/grow-state.ts, in a process of their own so that its TMPDIR can be a folder the
 * bench watches (a temporary copy of a database would show up there). Usage:
 *   node bench/check-child.ts '<json {states: [{label, env}], count, pauseMs}>'
 * For `count` rounds it does, per state in turn, one read of the profile set alone and one whole usage check
 * (every profile, no cache, against the loopback simulator named in the env): a check succeeds when it
 * produces its report. Prints one JSON line: { [label]: { reads: [{ms, ok, code?}], checks: [{ms, ok, code?}],
 * fetched } }, `fetched` being how many profiles the warm-up check got readings for.
 */
import { isCodexProfilerError } from "../src/errors/index.ts";
import { loadProfileSet } from "../src/profiles/index.ts";
import { runUsageCheck } from "../src/usage/check.ts";

interface Spec {
  states: Array<{ label: string; env: NodeJS.ProcessEnv }>;
  count: number;
  pauseMs: number;
}

interface Run {
  ms: number;
  ok: boolean;
  code?: string;
}

async function timed(fn: () => Promise<unknown>): Promise<Run> {
  const t = performance.now();
  try {
    await fn();
    return { ms: performance.now() - t, ok: true };
  } catch (error) {
    return { ms: performance.now() - t, ok: false, code: isCodexProfilerError(error) ? error.code : "internal" };
  }
}

const spec = JSON.parse(process.argv[2] ?? "{}") as Spec;
const out: Record<string, { reads: Run[]; checks: Run[]; fetched: number }> = {};
// One warm-up each: module loading is not what is measured.
for (const s of spec.states) {
  const warm = await runUsageCheck({ selection: "all", env: s.env, useCache: false });
  out[s.label] = { reads: [], checks: [], fetched: warm.profiles.filter((p) => p.source === "fresh").length };
}
for (let i = 0; i < spec.count; i++) {
  for (const s of spec.states) {
    out[s.label]!.reads.push(await timed(() => loadProfileSet({ env: s.env })));
    const check = await timed(() => runUsageCheck({ selection: "all", env: s.env, useCache: false }));
    out[s.label]!.checks.push(check);
    if (spec.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, spec.pauseMs));
  }
}
process.stdout.write(`${JSON.stringify(out)}\n`);
