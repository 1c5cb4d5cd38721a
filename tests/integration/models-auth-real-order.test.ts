import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodeFor } from "../../src/cli/exit-codes.ts";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { lapseAccessToken } from "../support/lapse-profile.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  removeRoot,
  storedOrderOf,
} from "../support/openclaw.ts";

/**
 * Order changes through the pipeline against the real openclaw 2026.9.6 on one private copy of the
 * template state; the tests run in sequence and build on each other (set → retire → restore → clear).
 * Each is checked afterwards with a direct `order get --json`, outside the code under test.
 */
const A = "openai:alice@example.com";
const B = "openai:bob@example.com";
const C = "openai:carol@example.com";
const D = "openai:dave@example.com";
const SLOW = 600_000;

let root: OpenclawRoot;
let cli: OpenclawCli;

beforeAll(async () => {
  root = await copyTemplateState("cxp-gw-order-");
  cli = new OpenclawCli({ env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() }, timeoutMs: 300_000 });
}, SLOW);
afterAll(() => removeRoot(root));

describe("order changes against the real openclaw", () => {
  it(
    "order set with legacy openai-codex: ids typed on 2026.9 maps them and verifies",
    async () => {
      const r = await runAuthOperation(
        { kind: "order-set", ids: ["openai-codex:bob@example.com", "alice@example.com"] },
        { confirm: true, cli },
      );
      expect(r.error).toBeNull();
      expect(r).toMatchObject({ ok: true, provider: "openai", openclawVersion: "2026.9.6" });
      expect(exitCodeFor(r.outcome)).toBe(0);
      expect(r.plan?.commands).toEqual([["models", "auth", "order", "set", "--provider", "openai", B, A]]);
      expect(r.verify).toMatchObject({ matches: true, observed: { storedOrder: [B, A] } });
      expect(r.verify?.observed.effectiveOrder.slice(0, 2)).toEqual([B, A]);
      expect(r.notes.join(" ")).toMatch(/\/new or \/reset/);
      expect(await storedOrderOf(root)).toEqual([B, A]);
    },
    SLOW,
  );

  it(
    "retire (with an explicit --agent main) takes a profile out of the stored order and keeps its credentials",
    async () => {
      const r = await runAuthOperation({ kind: "retire", id: B }, { agentId: "main", confirm: true, cli });
      expect(r.plan?.commands).toEqual([
        ["models", "auth", "order", "set", "--provider", "openai", "--agent", "main", A],
      ]);
      expect(r.error).toBeNull();
      expect(r.verify).toMatchObject({ matches: true, observed: { storedOrder: [A] } });
      expect(r.verify?.observed.knownIds).toEqual(expect.arrayContaining([A, B, C, D]));
    },
    SLOW,
  );

  it(
    "restore puts it back at the end",
    async () => {
      const r = await runAuthOperation({ kind: "restore", id: "bob@example.com" }, { confirm: true, cli });
      expect(r.error).toBeNull();
      expect(r.verify).toMatchObject({ matches: true, observed: { storedOrder: [A, B] } });
    },
    SLOW,
  );

  it(
    "order clear drops the override and verify sees none",
    async () => {
      const r = await runAuthOperation({ kind: "order-clear" }, { confirm: true, cli });
      expect(r.error).toBeNull();
      expect(r.verify).toMatchObject({ matches: true, observed: { storedOrder: null } });
      expect(await storedOrderOf(root)).toBeNull();
    },
    SLOW,
  );

  it(
    "an idle backup (access token lapsed twelve days ago) may be the whole order: OpenClaw renews it on use",
    async () => {
      lapseAccessToken(join(root.stateDir, "state/openclaw.sqlite"), D);
      const r = await runAuthOperation({ kind: "order-set", ids: [D] }, { confirm: true, cli });
      // OpenClaw's `models status` says only "expired"; the store, read in place, says it renews.
      expect(r.preflight?.profiles.find((p) => p.id === D)).toMatchObject({ status: "expired", renewable: true });
      expect(r.error).toBeNull();
      expect(r.verify).toMatchObject({ matches: true, observed: { storedOrder: [D] } });
      expect(await storedOrderOf(root)).toEqual([D]);
    },
    SLOW,
  );
});
