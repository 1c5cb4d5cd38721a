import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { type EraState, eraState, removeEraState } from "../support/era-state.ts";
import { type EraVersion, jsonOut, runEra } from "../support/eras.ts";

/**
 * Another writer (a Gateway, a second tool) changing the order right after codex_auth's own `order set`, with the
 * real releases on each side of the store change (JSON 2026.5.28, SQLite 2026.9.6). The writer is the release's
 * own `order set`, run by a wrapper around its launcher once the apply has returned. The verify must read the
 * writer's order back, report verify_mismatch with both states and re-apply nothing.
 */
const SLOW = 1_200_000;
const states: EraState[] = [];
afterAll(() => {
  for (const s of states) removeEraState(s);
});

describe.each<EraVersion>(["2026.5.28", "2026.9.6"])("openclaw %s: another writer right after the apply", (version) => {
  it(
    "verify_mismatch with the writer's order, one order set of ours, nothing patched",
    async () => {
      const s = await eraState(version);
      states.push(s);
      const id = (name: string): string => `${s.provider}:${name}@example.com`;
      const writer = ["models", "auth", "order", "set", "--provider", s.provider, "--agent", "main", id("alice")];
      const wrapper = join(s.root.root, "openclaw-with-writer");
      const log = join(s.root.root, "calls.log");
      writeFileSync(
        wrapper,
        `#!/bin/sh\necho "$*" >> '${log}'\n'${s.bin}' "$@"\nrc=$?\n` +
          `case "$*" in "models auth order set"*) '${s.bin}' ${writer.join(" ")} >/dev/null 2>&1 ;; esac\nexit $rc\n`,
      );
      chmodSync(wrapper, 0o755);
      const env = { ...s.root.env, OPENCLAW_BIN: wrapper };
      const cli = new OpenclawCli({ env, timeoutMs: 300_000 });

      const res = await runAuthOperation({ kind: "put-first", id: "bob@example.com" }, { env, confirm: true, cli });
      expect(res.outcome).toBe("verify_mismatch");
      expect(res.error?.code).toBe("verify_mismatch");
      expect(res.verify?.expected.storedOrder).toEqual([id("bob"), id("carol"), id("alice")]);
      expect(res.verify?.observed.storedOrder).toEqual([id("alice")]);
      expect(res.notes.join(" ")).toMatch(/Another writer/);
      expect(res.applied).toHaveLength(1);
      const sets = readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("models auth order set"));
      expect(sets).toEqual([
        `models auth order set --provider ${s.provider} ${[id("bob"), id("carol"), id("alice")].join(" ")}`,
      ]);
      // The release itself reads the writer's order: codex_auth did not set its own again.
      const get = await runEra(version, ["models", "auth", "order", "get", "--provider", s.provider, "--json"], s.root);
      expect(jsonOut<{ order: string[] | null }>(get).order).toEqual([id("alice")]);
    },
    SLOW,
  );
});
