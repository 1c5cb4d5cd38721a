import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The absolute path of scripts/codex_rotate in this installation: what the job runs. */
export function launcherPath(): string {
  return resolve(join(dirname(fileURLToPath(import.meta.url)), "../../scripts/codex_rotate"));
}
