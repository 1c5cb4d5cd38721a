import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { storedKey } from "../../src/secrets/redact.ts";
import { webchatContext } from "../support/chat-fakes.ts";
import { makeFakeOpenclaw } from "../support/fake-openclaw.ts";
import { hostileEndpoint, json } from "../support/hostile-endpoint.ts";

/**
 * Chat's "Optimize order" is rotation: the profile it leaves out for being unusable is remembered as parked, so that
 * the rotation job puts it back once it answers again (as after codex_rotate apply). The chat's real services, the
 * loopback usage endpoint (bob's token refused) and a fake openclaw 2026.9.6 for the order change.
 */
const ids = ["alice", "bob", "carol", "dave"].map((n) => `openai:${n}@example.com`);
const endpoint = hostileEndpoint();
beforeAll(() => endpoint.start());
afterAll(() => endpoint.close());

describe("/codex_auth optimize", () => {
  it("parks the unusable profile it leaves out of the order", async () => {
    endpoint.answers.set("user-bob", (_req, res) => json(res, 401, { error: { code: "token_invalid" } }));
    const fake = makeFakeOpenclaw({ mode: "ok", version: "2026.9.6" }, { profiles: ids, order: ids });
    try {
      const env = { ...endpoint.env(), OPENCLAW_BIN: fake.bin, FAKE_OPENCLAW_DIR: fake.dir };
      const app = createChatApp({
        services: realServices(parseSettings({}), env, { version: "2026.9.6" }),
        settings: parseSettings({}),
        progress: { send: async () => true },
        logger: { warn: () => {} },
      });
      const plan = await app.codexAuth(webchatContext("optimize"));
      expect(plan.text).toContain(`set the order to ${ids.filter((id) => !id.includes("bob")).join(", ")}`);
      const done = await app.codexAuth(webchatContext("yes"));
      expect(done.text).toContain("Done and verified");
      expect(fake.state().order).not.toContain("openai:bob@example.com");
      const statePath = join(endpoint.tmp, "cache", "rotation-state.json");
      expect(existsSync(statePath)).toBe(true);
      const state = JSON.parse(readFileSync(statePath, "utf8"));
      expect(state.agents.main.parked).toEqual([storedKey("openai:bob@example.com")]);
    } finally {
      fake.remove();
    }
  }, 120_000);
});
