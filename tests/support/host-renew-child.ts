/**
 * Asks OpenClaw's own code, as a plugin would, for a usable credential of one profile:
 * `resolveApiKeyForProfile` from openclaw/plugin-sdk/agent-runtime, which renews an expired OAuth access
 * token under OpenClaw's refresh lock and stores the result. Prints what happened without any secret.
 * Usage (env points at the state): node host-renew-child.ts <profileId>
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { HARNESS_DIR } from "./openclaw.ts";

type Store = { profiles: Record<string, { expires?: number; access?: string }> };
type Resolved = { apiKey: string };
type ResolveParams = { store: Store; profileId: string; agentDir?: string; allowProfileFallback?: boolean };
const profileId = process.argv[2]!;
const agentDir = join(process.env.OPENCLAW_STATE_DIR!, "agents/main/agent");
const sdkPath = createRequire(join(HARNESS_DIR, "package.json")).resolve("openclaw/plugin-sdk/agent-runtime");
const sdk = (await import(pathToFileURL(sdkPath).href)) as {
  loadAuthProfileStoreWithoutExternalProfiles: (agentDir?: string) => Store;
  resolveApiKeyForProfile: (p: ResolveParams) => Promise<Resolved | null>;
};
const before = sdk.loadAuthProfileStoreWithoutExternalProfiles(agentDir).profiles[profileId];
let outcome: Record<string, unknown>;
try {
  const store = sdk.loadAuthProfileStoreWithoutExternalProfiles(agentDir);
  // No fallback: the profile is an account boundary; renew this one or fail.
  const resolved = await sdk.resolveApiKeyForProfile({ store, profileId, agentDir, allowProfileFallback: false });
  const after = sdk.loadAuthProfileStoreWithoutExternalProfiles(agentDir).profiles[profileId];
  outcome = {
    resolved: resolved !== null,
    keyIsStoredAccess: resolved !== null && resolved.apiKey === after?.access,
    keyChanged: resolved !== null && resolved.apiKey !== before?.access,
    expiresBefore: before?.expires,
    expiresAfter: after?.expires,
  };
} catch (error) {
  outcome = { error: (error as Error).name, code: (error as { code?: string }).code };
}
process.stdout.write(`${JSON.stringify(outcome)}\n`);
process.exit(0);
