import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { defaultRotationDeps } from "../../src/rotation/default-deps.ts";
import { legacyAuthProfiles } from "../support/fixtures.ts";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function envWith(store: unknown): NodeJS.ProcessEnv {
  const root = mkdtempSync(join(tmpdir(), "cxp-rot-deps-"));
  roots.push(root);
  const agentDir = join(root, "state/agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
  return { HOME: join(root, "home"), OPENCLAW_STATE_DIR: join(root, "state") };
}

describe("the order rotation starts from", () => {
  it("is OpenClaw's whole order for the provider: an API-key backup stays in it when nothing is stored", async () => {
    const env = envWith(
      legacyAuthProfiles({
        provider: "openai",
        extra: { "openai:backup-key": { type: "api_key", provider: "openai", key: "sk-test-0123456789abcdef" } },
      }),
    );
    const order = await defaultRotationDeps(env).order.readOrder("main", "openai");
    expect(order).toContain("openai:backup-key");
    expect(order.filter((id) => id !== "openai:backup-key").length).toBeGreaterThan(1);
    expect(await defaultRotationDeps(env).order.backupsEndedByOrder("main")).toEqual([]);
  });

  it("skips 2026.5.28's openai API-key backup (no openai-codex order holds it) until an order ends it", async () => {
    const store = legacyAuthProfiles({
      provider: "openai-codex",
      extra: { "openai:backup-key": { type: "api_key", provider: "openai", key: "sk-test-0123456789abcdef" } },
    });
    const deps = defaultRotationDeps(envWith(store));
    const order = await deps.order.readOrder("main", "openai-codex");
    expect(order.length).toBeGreaterThan(1);
    expect(order.every((id) => id.startsWith("openai-codex:"))).toBe(true);
    expect(await deps.order.backupsEndedByOrder("main")).toEqual(["openai:backup-key"]);

    const stored = defaultRotationDeps(envWith({ ...store, order: { "openai-codex": order } }));
    expect(await stored.order.readOrder("main", "openai-codex")).toEqual(order);
    expect(await stored.order.backupsEndedByOrder("main")).toEqual([]);
  });

  it("is the stored override as written, when there is one, less a profile no longer saved", async () => {
    const store = legacyAuthProfiles({ provider: "openai" });
    const saved = Object.keys(store.profiles).reverse();
    const stored = [saved[0]!, "openai:gone", ...saved.slice(1)];
    const env = envWith({ ...store, order: { openai: stored } });
    // Every release's `order set` refuses an id not saved ("Auth profile … not found"): an order rotation wrote
    // from one naming it would fail on every tick. OpenClaw skips it anyway (models-auth/plan.ts leaves it out too).
    expect(await defaultRotationDeps(env).order.readOrder("main", "openai")).toEqual(saved);
  });
});
