import { describe, expect, it } from "vitest";
import { hostAuthReader } from "../../src/plugin/host-store.ts";

const quiet = { warn() {}, info() {} };

describe("the host's auth reader, feature-detected at run time", () => {
  it("is null when the SDK module cannot be imported (hosts before 2026.5.28, or outside a gateway)", async () => {
    const reader = hostAuthReader(
      quiet,
      () => ({}),
      () => Promise.reject(new Error("Cannot find module")),
    );
    expect(await reader()).toBeNull();
  });

  it("is null when the module lacks either function", async () => {
    const only = { loadAuthProfileStoreWithoutExternalProfiles: () => ({ profiles: {} }) };
    expect(
      await hostAuthReader(
        quiet,
        () => ({}),
        async () => only,
      )(),
    ).toBeNull();
    expect(
      await hostAuthReader(
        quiet,
        () => ({}),
        async () => ({ resolveAuthProfileOrder: () => [] }),
      )(),
    ).toBeNull();
  });

  it("imports once, reads through the host, and resolves the order on a copy with the host's config", async () => {
    let imports = 0;
    const seen: unknown[] = [];
    const store = { version: 1, profiles: { "openai:a": { type: "oauth", provider: "openai" } }, usageStats: {} };
    const mod = {
      loadAuthProfileStoreWithoutExternalProfiles: (agentDir: string) => {
        seen.push(agentDir);
        return store;
      },
      resolveAuthProfileOrder: (p: { store: typeof store; provider: string; cfg: unknown }) => {
        p.store.usageStats = { mutated: true } as never; // OpenClaw clears ended cooldowns in what it is given
        seen.push(p.provider, p.cfg);
        return ["openai:a", 7, "openai:b"];
      },
    };
    const cfg = { auth: {} };
    const reader = hostAuthReader(
      quiet,
      () => cfg,
      async () => {
        imports++;
        return mod;
      },
    );
    const [first, second] = await Promise.all([reader(), reader()]);
    expect(imports).toBe(1);
    expect(first).toBe(second);
    const loaded = first!.loadStore("/state/agents/main/agent");
    expect(first!.resolveOrder(loaded, "openai")).toEqual(["openai:a", "openai:b"]);
    expect(store.usageStats).toEqual({});
    expect(seen).toEqual(["/state/agents/main/agent", "openai", cfg]);
  });
});
