/**
 * The host's own auth-profile readers (openclaw/plugin-sdk/agent-runtime of the pinned openclaw) against
 * the in-place reader, on a copy of the SQLite state the real openclaw wrote: what each returns, what it
 * costs per call once loaded, and whether it changes a byte of the state. Evidence for issue 10; not part
 * of `npm run bench`. Run: node bench/host-reader.ts [calls]
 * With a Codex CLI login in the temporary HOME (~/.codex/auth.json), it also shows which reader overlays
 * that external credential.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { readAgentAuthRowsLive, readSharedStateAuthRowsLive } from "../src/profiles/sqlite-store.ts";
import { fakeAccessToken } from "../tests/support/fake-jwt.ts";
import { copyTemplateState, HARNESS_DIR, removeRoot } from "../tests/support/openclaw.ts";
import { stateBytes } from "../tests/support/state-bytes.ts";

const calls = Number(process.argv[2] ?? 50);
const r = await copyTemplateState("cxp-host-reader-");
const agentDir = join(r.stateDir, "agents/main/agent");
Object.assign(process.env, r.env);
// A Codex CLI login beside OpenClaw, as on a machine where the user also runs `codex`.
mkdirSync(join(r.home, ".codex"), { recursive: true });
const exp = Math.floor(Date.now() / 1000) + 86_400;
const codexToken = fakeAccessToken({ accountId: "acc-cli", userId: "user-cli", email: "cli@example.com", exp });
writeFileSync(
  join(r.home, ".codex/auth.json"),
  JSON.stringify({
    auth_mode: "chatgpt",
    tokens: { access_token: codexToken, refresh_token: "cli-refresh", account_id: "acc-cli" },
  }),
);

const time = <T>(fn: () => T): { value: T; ms: number } => {
  const t = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t };
};
const perCall = (fn: () => unknown): number => {
  const t = performance.now();
  for (let i = 0; i < calls; i++) fn();
  return (performance.now() - t) / calls;
};
const ids = (store: { profiles: Record<string, unknown> }): string[] => Object.keys(store.profiles).sort();

const before = stateBytes(r.root, { exactShm: true });
const sdkPath = createRequire(join(HARNESS_DIR, "package.json")).resolve("openclaw/plugin-sdk/agent-runtime");
const load = performance.now();
type Store = { profiles: Record<string, unknown> };
const sdk = (await import(pathToFileURL(sdkPath).href)) as {
  loadAuthProfileStoreWithoutExternalProfiles: (agentDir?: string) => Store;
  ensureAuthProfileStore: (agentDir?: string, options?: Record<string, unknown>) => Store;
  resolveAuthProfileOrder: (params: { store: Store; provider: string }) => string[];
};
const importMs = performance.now() - load;
const first = time(() => sdk.loadAuthProfileStoreWithoutExternalProfiles(agentDir));
const hostMs = perCall(() => sdk.loadAuthProfileStoreWithoutExternalProfiles(agentDir));
const order = sdk.resolveAuthProfileOrder({ store: first.value, provider: "openai" });
const ensured = sdk.ensureAuthProfileStore(agentDir, { readOnly: true, allowKeychainPrompt: false });
const noExternal = { readOnly: true, allowKeychainPrompt: false, externalCli: { mode: "none" } };
const ensuredNone = sdk.ensureAuthProfileStore(agentDir, noExternal);
const afterHost = stateBytes(r.root, { exactShm: true });

const shared = join(r.stateDir, "state/openclaw.sqlite");
const agentDb = join(agentDir, "openclaw-agent.sqlite");
const liveRead = (): void => {
  readSharedStateAuthRowsLive(shared);
  readAgentAuthRowsLive(agentDb);
};
const liveFirst = time(liveRead);
const liveMs = perCall(liveRead);
const live = readSharedStateAuthRowsLive(shared);

console.log(
  JSON.stringify(
    {
      calls,
      hostImportMs: Math.round(importMs),
      host: { firstMs: +first.ms.toFixed(2), perCallMs: +hostMs.toFixed(3), ids: ids(first.value), order },
      ensureAuthProfileStoreReadOnly: { ids: ids(ensured) },
      ensureAuthProfileStoreNoExternalCli: { ids: ids(ensuredNone) },
      inPlace: {
        firstMs: +liveFirst.ms.toFixed(2),
        perCallMs: +liveMs.toFixed(3),
        ids: live.ok ? ids(live.value.store as Store) : live,
      },
      stateUnchangedByHostReaders: JSON.stringify(before) === JSON.stringify(afterHost),
      stateUnchangedAtEnd: JSON.stringify(before) === JSON.stringify(stateBytes(r.root, { exactShm: true })),
      changed: Object.keys({ ...before, ...afterHost }).filter((k) => before[k] !== afterHost[k]),
    },
    null,
    2,
  ),
);
removeRoot(r);
