/**
 * Runs one in-place read in its own process and prints the result without its value (which holds
 * secrets): {ok, mode, reason, message, profileIds}. The integration test runs it as another user to
 * try a read-only directory, since root ignores directory permissions.
 * Usage: node live-read-child.ts <shared|agent> <db path>
 *
 * `ticks <state dir>`: reads the state's store as loadProfileSet does while a 10 ms interval ticks, and
 * prints {code, message, profiles, maxGapMs, ms}: maxGapMs is the longest the event loop went without a tick.
 */
import { join } from "node:path";
import {
  readAgentAuthRowsLive,
  readSharedStateAuthRowsLive,
  readSqliteStore,
} from "../../src/profiles/sqlite-store.ts";

const [kind, path] = process.argv.slice(2);

async function ticking(stateDir: string): Promise<void> {
  let last = performance.now();
  let maxGapMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
  }, 10);
  await new Promise((resolve) => setTimeout(resolve, 50));
  [maxGapMs, last] = [0, performance.now()];
  const started = performance.now();
  const agentDir = join(stateDir, "agents/main/agent");
  let outcome: { code: string; message?: string; profiles?: number };
  try {
    const read = await readSqliteStore({ stateDir, agentDir, sharedMainAgentDir: agentDir });
    outcome = { code: "ok", profiles: Object.keys(read.store?.profiles ?? {}).length };
  } catch (error) {
    outcome = { code: (error as { code?: string }).code ?? "thrown", message: (error as Error).message };
  }
  const ms = Math.round(performance.now() - started);
  await new Promise((resolve) => setTimeout(resolve, 30));
  clearInterval(ticker);
  process.stdout.write(`${JSON.stringify({ ...outcome, maxGapMs: Math.round(maxGapMs), ms })}\n`);
}

if (kind === "ticks") {
  await ticking(path!);
} else {
  const result = kind === "agent" ? readAgentAuthRowsLive(path!) : readSharedStateAuthRowsLive(path!);
  const store = result.ok ? (result.value.store as { profiles?: Record<string, unknown> } | undefined) : undefined;
  process.stdout.write(
    `${JSON.stringify({
      ok: result.ok,
      mode: result.ok ? result.mode : undefined,
      reason: result.ok ? undefined : result.reason,
      message: result.ok ? undefined : result.message,
      profileIds: store?.profiles ? Object.keys(store.profiles).sort() : undefined,
    })}\n`,
  );
}
