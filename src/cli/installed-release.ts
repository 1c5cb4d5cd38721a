import { isCodexProfilerError } from "../errors/index.ts";

/**
 * Runs `read` without asking OpenClaw anything, the common case. Where it is refused with agent_required (no
 * agent named, and the releases pick differently or OpenClaw would refuse), the installed release settles it:
 * one `openclaw --version`, then `read` again under that release's rule. When that cannot be asked, the
 * first refusal stands.
 */
export async function withInstalledRelease<T>(
  env: NodeJS.ProcessEnv,
  read: (openclawVersion: string | undefined) => Promise<T>,
): Promise<T> {
  try {
    return await read(undefined);
  } catch (error) {
    if (!isCodexProfilerError(error) || error.code !== "agent_required") throw error;
    const { OpenclawCli } = await import("../openclaw-cli/index.ts");
    const version = await new OpenclawCli({ env }).version().catch(() => null);
    if (!version) throw error;
    return read(version.raw);
  }
}
