import { afterAll, describe, expect, it } from "vitest";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { addEraProfiles, type EraState, eraState, removeEraState } from "../support/era-state.ts";
import { type EraVersion, oracleOrder } from "../support/eras.ts";

/**
 * openai API keys whose key material is a reference (keyRef) or missing, as a broken store holds them: which the
 * release tries is its own resolveAuthProfileOrder's answer (2026.5.28 tries them after the Codex profiles as its
 * backup, 2026.9.6 in the openai order itself). A reference counts only in the shapes the release's
 * coerceSecretRef takes; `{}`, an unknown source, a blank id or an extra key are no key material.
 */
const ENV_TEMPLATE = ["$", "{OPENAI_API_KEY}"].join("");
const key = (extra: Record<string, unknown>) => ({ type: "api_key", provider: "openai", ...extra });
const KEYS = {
  "openai:ref-full": key({ keyRef: { source: "env", provider: "default", id: "OPENAI_API_KEY" } }),
  "openai:ref-no-provider": key({ keyRef: { source: "env", id: "OPENAI_API_KEY" } }),
  "openai:ref-template": key({ keyRef: ENV_TEMPLATE }),
  "openai:ref-shorthand": key({ keyRef: "$OPENAI_API_KEY" }),
  "openai:ref-store": key({ keyRef: { source: "store", id: "openai" } }),
  "openai:ref-empty": key({ keyRef: {} }),
  "openai:ref-extra": key({ keyRef: { source: "env", provider: "default", id: "OPENAI_API_KEY", note: "x" } }),
  "openai:ref-source": key({ keyRef: { source: "vault", provider: "default", id: "OPENAI_API_KEY" } }),
  "openai:ref-blank-id": key({ keyRef: { source: "env", provider: "default", id: " " } }),
  "openai:no-key": key({}),
  "openai:blank-key": key({ key: "   " }),
  "openai:key": key({ key: "sk-test-0000000000" }),
};

const states: EraState[] = [];
afterAll(() => {
  for (const s of states) removeEraState(s);
});

describe("API keys without usable key material are left out as the release leaves them out", () => {
  it.each(["2026.5.28", "2026.9.6"] as const)(
    "openclaw %s: our order equals its own resolveAuthProfileOrder",
    async (version: EraVersion) => {
      const s = await eraState(version, { order: null });
      states.push(s);
      addEraProfiles(s, KEYS);
      const theirs = await oracleOrder(version, s.root, s.provider);
      expect(theirs).toContain("openai:ref-full");
      expect(theirs).not.toContain("openai:ref-empty");
      const ours = await loadProfileSet({ env: s.root.env, openclawVersion: version });
      expect(ours.providerOrder).toEqual(theirs);
    },
    600_000,
  );
});
