/**
 * A test-only plugin for tests/integration/host-readers-gateway.test.ts: `/h4probe read <n>` times the
 * host's own readers (openclaw/plugin-sdk/agent-runtime and api.runtime.modelAuth) against the in-place
 * reader, from inside the running gateway; `/h4probe sets` builds codex-profiler's profile set twice, through
 * the plugin's host reader (src/plugin/host-store.ts, feature-detected as the plugin does) and from the files in
 * place; `/h4probe renew <profileId>` asks OpenClaw to resolve that profile through resolveApiKeyForProfile
 * (its own refresh path and lock). Replies carry no secret (a profile set prints its tokens as "[redacted]").
 */
import { join } from "node:path";
import {
  loadAuthProfileStoreWithoutExternalProfiles,
  resolveApiKeyForProfile,
  resolveAuthProfileOrder,
} from "openclaw/plugin-sdk/agent-runtime";
import { hostAuthReader } from "../../../src/plugin/host-store.ts";
import { loadProfileSet, type ProfileSet } from "../../../src/profiles/index.ts";
import { readSharedStateAuthRowsLive } from "../../../src/profiles/sqlite-store.ts";

type Store = { profiles: Record<string, { expires?: number }> };
type Ensure = (agentDir?: string, options?: Record<string, unknown>) => Store;
interface Command {
  name: string;
  description: string;
  acceptsArgs?: boolean;
  requireAuth?: boolean;
  handler: (ctx: { args?: string }) => Promise<{ text: string }>;
}
interface Api {
  config?: unknown;
  runtime?: { modelAuth?: { ensureAuthProfileStore?: Ensure } };
  registerCommand(c: Command): void;
}

const perCall = (n: number, fn: () => unknown): number => {
  fn();
  const t = performance.now();
  for (let i = 0; i < n; i++) fn();
  return +((performance.now() - t) / n).toFixed(3);
};

export default {
  id: "h4-host-probe",
  name: "Host reader probe (tests only)",
  description: "Measures OpenClaw's own auth-profile readers from inside a real gateway.",
  register(api: Api): void {
    api.registerCommand({
      name: "h4probe",
      description: "test probe",
      acceptsArgs: true,
      requireAuth: false,
      async handler(ctx) {
        const [verb, arg] = (ctx.args ?? "").trim().split(/\s+/);
        const stateDir = process.env.OPENCLAW_STATE_DIR!;
        const agentDir = join(stateDir, "agents/main/agent");
        if (verb === "sets") {
          const reader = await hostAuthReader({ warn() {}, info() {} }, () => api.config)();
          const viaHost = await loadProfileSet({ env: process.env, ...(reader ? { host: reader } : {}) });
          const viaFile = await loadProfileSet({ env: process.env });
          const tokens = (set: ProfileSet) => set.profiles.map((p) => p.access?.reveal() ?? null);
          const sameTokens = JSON.stringify(tokens(viaHost)) === JSON.stringify(tokens(viaFile));
          return { text: JSON.stringify({ hostReader: reader !== null, host: viaHost, file: viaFile, sameTokens }) };
        }
        if (verb === "renew" && arg) {
          const before = loadAuthProfileStoreWithoutExternalProfiles(agentDir) as Store;
          try {
            const params = { store: before, profileId: arg, agentDir, cfg: api.config, allowProfileFallback: false };
            const r = await resolveApiKeyForProfile(params);
            const after = loadAuthProfileStoreWithoutExternalProfiles(agentDir) as Store;
            const expiresBefore = before.profiles[arg]?.expires;
            const expiresAfter = after.profiles[arg]?.expires;
            return { text: JSON.stringify({ resolved: r !== null, expiresBefore, expiresAfter }) };
          } catch (error) {
            return { text: JSON.stringify({ error: (error as Error).name }) };
          }
        }
        const n = Number(arg ?? 20);
        const store = loadAuthProfileStoreWithoutExternalProfiles(agentDir) as Store;
        const ensure = api.runtime?.modelAuth?.ensureAuthProfileStore;
        const noExternal = { readOnly: true, allowKeychainPrompt: false, externalCli: { mode: "none" } };
        const live = readSharedStateAuthRowsLive(join(stateDir, "state/openclaw.sqlite"));
        return {
          text: JSON.stringify({
            ids: Object.keys(store.profiles).sort(),
            order: resolveAuthProfileOrder({ store: store as never, provider: "openai" }),
            runtimeModelAuthHasEnsure: typeof ensure === "function",
            ensureIds: ensure ? Object.keys(ensure(agentDir, noExternal).profiles).sort() : null,
            msPerCall: {
              loadAuthProfileStoreWithoutExternalProfiles: perCall(n, () =>
                loadAuthProfileStoreWithoutExternalProfiles(agentDir),
              ),
              runtimeModelAuthEnsureAuthProfileStore: ensure ? perCall(n, () => ensure(agentDir, noExternal)) : null,
              inPlaceRead: perCall(n, () => readSharedStateAuthRowsLive(join(stateDir, "state/openclaw.sqlite"))),
            },
            inPlaceOk: live.ok,
          }),
        };
      },
    });
  },
};
