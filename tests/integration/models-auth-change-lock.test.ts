import { describe, expect, it } from "vitest";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { fakeOpenclawPerTest } from "../support/fake-openclaw.ts";

/**
 * Two changes of ours at once (a chat confirm and the job's tick, or two chats), each planned from the same order,
 * against a fake `openclaw` whose `order set` takes a second to start, as the real one's start-up does.
 */
const A = "openai:alice@example.com";
const B = "openai:bob@example.com";
const C = "openai:carol@example.com";
const fake = fakeOpenclawPerTest();

describe("the change lock", () => {
  it("two confirmed changes from one plan's order: the first applies, the second sees it and is refused", async () => {
    const f = fake({ setDelayMs: 1_000 }, { profiles: [A, B, C], order: [A, B, C] });
    const change = (ids: string[]) =>
      runAuthOperation(
        { kind: "order-set", ids, planned: true },
        { agentId: "main", confirm: true, env: f.env, expectOrder: [A, B, C] },
      );
    const [first, second] = await Promise.all([change([C, A, B]), change([B, A, C])]);
    expect(first).toMatchObject({ ok: true, outcome: "ok", verify: { matches: true } });
    expect(second).toMatchObject({ ok: false, outcome: "refused", error: { code: "order_changed" } });
    expect(f.state().order).toEqual([C, A, B]);
    expect(f.calls().filter((c) => c.includes("set"))).toHaveLength(1);
  });
});
