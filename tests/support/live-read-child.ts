/**
 * Runs one in-place read in its own process and prints the result without its value (which holds
 * secrets): {ok, mode, reason, message, profileIds}. The integration test runs it as another user to
 * try a read-only directory, since root ignores directory permissions.
 * Usage: node live-read-child.ts <shared|agent> <db path>
 */
import { readAgentAuthRowsLive, readSharedStateAuthRowsLive } from "../../src/profiles/sqlite-store.ts";

const [kind, path] = process.argv.slice(2);
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
