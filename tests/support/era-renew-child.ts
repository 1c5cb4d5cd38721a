/**
 * Our plugin's renewer (src/plugin/host-renewal.ts) run against one release's own plugin SDK, as a gateway of that
 * release would hand it over: asks OpenClaw to renew one profile and prints {"result": "renewed" | "failed" |
 * "unavailable"}. Usage (env points at the state): node era-renew-child.ts <release harness dir> <profileId>
 */
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { hostRenewer } from "../../src/plugin/host-renewal.ts";
import type { ProfileSet } from "../../src/profiles/index.ts";

const [harness, profileId] = process.argv.slice(2) as [string, string];
const agentDir = join(process.env.OPENCLAW_STATE_DIR!, "agents/main/agent");
const sdkPath = createRequire(join(harness, "package.json")).resolve("openclaw/plugin-sdk/agent-runtime");
const renew = hostRenewer({ config: () => ({}), load: () => import(pathToFileURL(sdkPath).href) });
const result = await renew(profileId, { location: { agentDir } } as ProfileSet);
process.stdout.write(`${JSON.stringify({ result })}\n`);
process.exit(0);
