import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { defaultRotationDeps } from "../../src/rotation/default-deps.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  removeRoot,
  storedOrderOf,
} from "../support/openclaw.ts";

/**
 * The job's order change against a user's change made mid-tick, with the real openclaw 2026.9.6, while no order is
 * stored (a fresh setup, or after an order clear): the job's plan was read before the user's change landed.
 */
const B = "openai:bob@example.com";
const C = "openai:carol@example.com";
const SLOW = 600_000;

let root: OpenclawRoot;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  root = await copyTemplateState("cxp-rot-race-");
  env = { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() };
}, SLOW);
afterAll(() => removeRoot(root));

async function jobPlansBobFirst() {
  const job = defaultRotationDeps(env);
  const current = await job.order.readOrder("main", "openai");
  const ids = [B, ...current.filter((id) => id !== B)];
  return { apply: () => job.order.setOrder({ agentId: "main", provider: "openai", ids }), ids };
}

describe("the rotation job and a change made during its tick, no order stored", () => {
  it(
    "with nothing changed since its read, the job's order applies: its basis is what the preflight reads",
    async () => {
      expect(await storedOrderOf(root)).toBeNull();
      const job = await jobPlansBobFirst();
      expect(await job.apply()).toMatchObject({ ok: true, applied: true, error: null });
      expect(await storedOrderOf(root)).toEqual(job.ids);
    },
    SLOW,
  );

  it(
    "a put-first the user confirmed mid-tick is kept: the job's write is refused as order_changed",
    async () => {
      expect((await runAuthOperation({ kind: "order-clear" }, { confirm: true, env })).ok).toBe(true);
      expect(await storedOrderOf(root)).toBeNull();
      const job = await jobPlansBobFirst();
      const user = await runAuthOperation({ kind: "put-first", id: C }, { confirm: true, env });
      expect(user.ok).toBe(true);
      const users = await storedOrderOf(root);
      expect(users?.[0]).toBe(C);
      expect(await job.apply()).toMatchObject({ ok: false, applied: false, error: { code: "order_changed" } });
      expect(await storedOrderOf(root)).toEqual(users);
    },
    SLOW,
  );
});
