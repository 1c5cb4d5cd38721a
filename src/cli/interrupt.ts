import type { RuntimeEnv } from "./runtime.ts";

/**
 * Runs a confirmed change so that Ctrl-C (or SIGTERM) does not cut it between its apply and its verify: openclaw
 * runs in a process group of its own, so the signal never reached it, and the change landed after this process
 * had gone, never verified. The first signal says so and lets the change finish and be verified; a second stops
 * it at once (exit 130), the openclaw calls under way with it (openclaw-cli stops its children on exit).
 */
export async function finishingChange<T>(
  cli: string,
  check: string,
  rt: RuntimeEnv,
  change: () => Promise<T>,
): Promise<T> {
  let interrupted = false;
  const onSignal = (): void => {
    if (!interrupted) {
      interrupted = true;
      rt.error(`${cli}: interrupted: the change under way is finished and verified first; again to stop it now`);
      return;
    }
    rt.error(`${cli}: stopped; the change may or may not have been applied: check with \`${check}\``);
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    return await change();
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
