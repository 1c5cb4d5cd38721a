import { isCodexProfilerError } from "../errors/index.ts";

const VERSION_TIMEOUT_MS = 15_000;

/**
 * Runs `read` without asking OpenClaw anything, the common case. Where it is refused with agent_required (no
 * agent named, and the releases pick differently or OpenClaw would refuse), the installed release settles it:
 * one `openclaw --version`, then `read` again under that release's rule. When that cannot be asked, the
 * first refusal stands. With OPENCLAW_INCLUDE_ROOTS set, the release is asked first: only 2026.4.29 and later
 * follow `$include` into those folders (when it cannot be asked, they are followed).
 */
export async function withInstalledRelease<T>(
  env: NodeJS.ProcessEnv,
  read: (openclawVersion: string | undefined) => Promise<T>,
): Promise<T> {
  const version = async () => {
    const { OpenclawCli } = await import("../openclaw-cli/index.ts");
    // A real `openclaw --version` answers within seconds, even on a loaded machine; a hung one costs no more.
    return (await new OpenclawCli({ env, timeoutMs: VERSION_TIMEOUT_MS }).version().catch(() => null))?.raw;
  };
  if (env.OPENCLAW_INCLUDE_ROOTS?.trim()) return read(await version());
  try {
    return await read(undefined);
  } catch (error) {
    if (!isCodexProfilerError(error) || error.code !== "agent_required") throw error;
    const raw = await version();
    if (!raw) throw error;
    return read(raw);
  }
}
