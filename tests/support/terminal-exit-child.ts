/**
 * A process that starts a login through the runner and exits while it runs, as a Gateway that stops would:
 * argv = [bin, pty]. Exits 0 once the login said "started".
 */
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";

const [bin, pty] = process.argv.slice(2) as [string, "none" | "script"];
new OpenclawCli({ bin }).startTerminal(["models", "auth", "login"], {
  pty,
  timeoutMs: 600_000,
  onLine: (line) => {
    if (line.includes("started")) process.exit(0);
  },
});
