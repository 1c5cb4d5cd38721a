import { describe, expect, it } from "vitest";
import { resultView, statusLines } from "../../src/chat/auth-services.ts";
import type { AuthResult } from "../../src/models-auth/index.ts";

const observed = {
  storedOrder: ["openai:b", "openai:a"],
  effectiveOrder: ["openai:b", "openai:a"],
  knownIds: ["openai:a", "openai:b"],
};

function result(over: Partial<AuthResult>): AuthResult {
  return {
    ok: true,
    action: "order-set",
    outcome: "ok",
    agentId: "main",
    provider: "openai",
    openclawVersion: "2026.9.6",
    preflight: null,
    plan: null,
    confirmed: true,
    applied: [
      { command: ["models", "auth", "order", "set"], ok: true, exitCode: 0, error: null, gatewayNotRefreshed: false },
    ],
    verify: { matches: true, expected: { storedOrder: ["openai:b", "openai:a"] }, observed, differences: [] },
    notes: ["Running chats keep the profile they are pinned to until /new or /reset."],
    details: null,
    error: null,
    ...over,
  };
}

describe("models-auth result → chat lines", () => {
  it("a verified change says so and names the new order", () => {
    const v = resultView(result({}));
    expect(v).toMatchObject({ applied: true, verified: true });
    expect(v.lines[0]).toBe("✅ Done and verified. Order now: openai:b, openai:a.");
    expect(v.lines).toContain("Running chats keep the profile they are pinned to until /new or /reset.");
  });

  it("a long new order is told in lines of whole names that a Discord message does not split", () => {
    const ids = Array.from({ length: 60 }, (_, i) => `openai:${"work-account-".repeat(6)}${i}`);
    const v = resultView(result({ verify: { ...result({}).verify!, observed: { ...observed, effectiveOrder: ids } } }));
    const orderLines = v.lines.slice(0, v.lines.findIndex((l) => l.endsWith(`${ids.at(-1)}.`)) + 1);
    expect(orderLines.length).toBeGreaterThan(3);
    expect(orderLines[0]).toMatch(/^✅ Done and verified\. Order now: openai:/);
    for (const line of orderLines) expect(line.length).toBeLessThanOrEqual(1000);
    expect(orderLines.join(" ")).toBe(`✅ Done and verified. Order now: ${ids.join(", ")}.`);
  });

  it("a verify mismatch is reported with both states' differences and nothing claims success", () => {
    const v = resultView(
      result({
        ok: false,
        outcome: "verify_mismatch",
        verify: {
          matches: false,
          expected: { storedOrder: ["openai:b", "openai:a"] },
          observed: { ...observed, storedOrder: ["openai:a", "openai:b"] },
          differences: ["stored order: expected openai:b, openai:a, observed openai:a, openai:b"],
        },
        error: { code: "verify_mismatch", message: "differs", hint: null },
      }),
    );
    expect(v).toMatchObject({ applied: true, verified: false });
    expect(v.lines[0]).toContain("verify read a different state (nothing was patched)");
    expect(v.lines[1]).toContain("expected openai:b, openai:a, observed openai:a, openai:b");
    expect(v.lines.join("\n")).not.toContain("✅");
  });

  it("a failed apply carries its code, redacted", () => {
    const v = resultView(
      result({
        ok: false,
        outcome: "apply_failed",
        verify: null,
        applied: [
          {
            command: ["models"],
            ok: false,
            exitCode: 1,
            error: { code: "openclaw_failed", message: "x" },
            gatewayNotRefreshed: false,
          },
        ],
        error: {
          code: "openclaw_failed",
          message: "failed at https://auth.openai.com/cb?code=SECRET123&state=s",
          hint: null,
        },
      }),
    );
    expect(v.applied).toBe(false);
    expect(v.lines[0]).toContain("(openclaw_failed)");
    expect(v.lines.join("\n")).not.toContain("SECRET123");
  });

  it("status rows become short numbered lines", () => {
    expect(
      statusLines({
        agentId: "main",
        provider: "openai",
        first: "openai:b",
        orderSource: "stored-override",
        effectiveOrderSource: "openclaw",
        hint: null,
        rows: [
          { id: "openai:b", status: "ok", position: 0, expiresAtMs: null, unusableUntilMs: null, reason: null },
          {
            id: "openai:a",
            status: "cooldown",
            position: null,
            expiresAtMs: null,
            unusableUntilMs: 1,
            reason: "rate_limit",
          },
        ],
      }),
    ).toEqual(["First: openai:b (order: stored-override)", "1. openai:b: ok", "–. openai:a: cooldown (rate_limit)"]);
  });
});
