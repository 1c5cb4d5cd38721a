import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfileSet, resolveSelection } from "../../src/profiles/index.ts";
import { runUsageCheck } from "../../src/usage/check.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles } from "../support/fixtures.ts";
import { startUsageSimulator, type UsageSimulator } from "../support/usage-simulator.ts";

let sim: UsageSimulator;
let tmp: string;

beforeAll(async () => {
  sim = await startUsageSimulator({ scenarios: { "user-alice": "ok", "user-bob": "ok" } });
  tmp = mkdtempSync(join(tmpdir(), "cxp-usage-selection-"));
});

afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe("a usage check of a selection its caller resolved (the chat's way)", () => {
  it("reads exactly the profiles the selection holds, under its key, without resolving it again", async () => {
    const authPath = join(tmp, "auth-profiles.json");
    const store = legacyAuthProfiles({ provider: "openai", accounts: FIXTURE_ACCOUNTS.slice(0, 2) });
    writeFileSync(authPath, JSON.stringify(store), { mode: 0o600 });
    const env = { CODEX_PROFILER_USAGE_URL: sim.url, HOME: join(tmp, "home") };
    const set = await loadProfileSet({ env, authPath });
    const second = set.profiles[1]!;
    // A key no typed selection resolves to: only a check that takes the selection as given reads it.
    const selection = { kind: "profile" as const, key: "resolved-by-the-caller", profiles: [second] };
    sim.clearRequests();
    const check = await runUsageCheck({ set, selection, useCache: false, env });
    expect(check.profiles.map((p) => p.profileId)).toEqual([second.id]);
    expect(check.selection).toBe("resolved-by-the-caller");
    expect(sim.requests).toHaveLength(1);
    // The same as typed is resolved in the set.
    const typed = await runUsageCheck({ set, selection: "2", useCache: false, env });
    expect(typed.profiles.map((p) => p.profileId)).toEqual([second.id]);
    expect(typed.selection).toBe(second.id);
    expect(resolveSelection(set, "2").profiles).toEqual([second]);
  });
});
