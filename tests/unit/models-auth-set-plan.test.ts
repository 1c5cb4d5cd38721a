import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import { planFromSet } from "../../src/models-auth/index.ts";
import { validateOperation } from "../../src/models-auth/operations.ts";
import { parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { Secret } from "../../src/secrets/redact.ts";
import { codexProfile as bare, profileSetOf } from "../support/profile-set.ts";

/** A profile with a token (usable); no real token: plans never see one. */
const codexProfile = (id: string, orderIndex: number | null) => ({ ...bare(id, orderIndex), access: new Secret("t") });

const A = "openai:alice@example.com";
const B = "openai:bob@example.com";
const C = "openai:carol@example.com";
const V = { version: parseOpenclawVersion("2026.9.6"), now: 1_000_000 };

describe("a change planned from the profile set as read (no openclaw call)", () => {
  it("put first: the order set command with the profile first, the basis the stored order", () => {
    const set = profileSetOf([codexProfile(A, 0), codexProfile(B, 1), codexProfile(C, null)]);
    const { plan, basis, agentId } = planFromSet({ kind: "put-first", id: B }, set, V);
    expect(plan.refusal).toBeNull();
    expect(plan.targetOrder).toEqual([B, A]);
    expect(plan.commands).toEqual([
      ["models", "auth", "order", "set", "--provider", "openai", "--agent", "main", B, A],
    ]);
    expect(basis).toEqual([A, B]);
    expect(agentId).toBe("main");
  });

  it("the basis is the stored order as stored, not the order OpenClaw tries (a cooling profile moved last)", () => {
    const set = profileSetOf([codexProfile(A, 0), codexProfile(B, 1)], {
      providerOrder: [B, A],
      effectiveOrder: [B, A],
    });
    expect(planFromSet({ kind: "retire", id: B }, set, V).basis).toEqual([A, B]);
  });

  it("without a stored order the basis is the order OpenClaw would try, API-key profiles included", () => {
    const set = profileSetOf([codexProfile(A, 0), codexProfile(B, 1)], {
      storedOrder: null,
      providerOrder: [A, "openai:api-key", B],
      providerProfileIds: [A, B, "openai:api-key"],
    });
    const { basis } = planFromSet({ kind: "retire", id: A }, set, V);
    expect(basis).toEqual([A, "openai:api-key", B]);
  });

  it("2026.5.28: another provider's API key is neither in the basis nor storable, and the plan says it stops", () => {
    const [X, Y, K] = ["openai-codex:x@example.com", "openai-codex:y@example.com", "openai:backup"];
    const set = profileSetOf([codexProfile(X, 0), codexProfile(Y, 1)], {
      orderProvider: "openai-codex",
      storedOrder: null,
      providerOrder: [X, Y, K],
      providerProfileIds: [X, Y, K],
      otherProviderIds: [K],
    });
    const v5 = { ...V, version: parseOpenclawVersion("2026.5.28") };
    const { plan, basis } = planFromSet({ kind: "retire", id: X }, set, v5);
    // What its `models status` reports, so the confirm's preflight reads the same basis.
    expect(basis).toEqual([X, Y]);
    expect(plan.targetOrder).toEqual([Y]);
    expect(plan.commands).toEqual([
      ["models", "auth", "order", "set", "--provider", "openai-codex", "--agent", "main", Y],
    ]);
    expect(plan.summary).toMatch(/OpenClaw then stops trying openai:backup \(another provider's API key.*order clear/);
    const refused = planFromSet({ kind: "put-first", id: K }, set, v5).plan.refusal;
    expect(refused?.code).toBe("unknown_profile");
    // The saved profiles it lists are the provider's own: the backup is not one to order.
    expect(refused?.message).toMatch(
      /Saved openai-codex profiles: openai-codex:x@example\.com, openai-codex:y@example\.com\.$/,
    );
  });

  it("an order with no usable profile is refused unless forced (the same rule as the CLI path)", () => {
    const set = profileSetOf([bare(A, 0), bare(B, 1)]);
    expect(planFromSet({ kind: "put-first", id: B }, set, V).plan.refusal?.code).toBe("no_usable_profile");
    expect(planFromSet({ kind: "put-first", id: B }, set, { ...V, force: true }).plan.targetOrder).toEqual([B, A]);
  });

  it("a profile whose token expired beyond renewal, or that is disabled or cooling down, is not usable", () => {
    const now = V.now;
    const state = codexProfile(A, 0).state;
    const expired = { ...codexProfile(B, 1), identity: { ...codexProfile(B, 1).identity, expiresAtMs: now } };
    const unusable = [
      { ...expired, renewal: "none" as const },
      { ...expired, renewal: "failed" as const },
      { ...codexProfile(B, 1), state: { ...state, disabledUntilMs: now + 60_000, disabledReason: "billing" } },
      { ...codexProfile(B, 1), state: { ...state, cooldownUntilMs: now + 60_000, cooldownReason: "rate_limit" } },
    ];
    for (const b of unusable) {
      const set = profileSetOf([bare(A, 0), b]);
      expect(planFromSet({ kind: "put-first", id: B }, set, V).plan.refusal?.code).toBe("no_usable_profile");
    }
    const fine = { ...codexProfile(B, 1), identity: { ...codexProfile(B, 1).identity, expiresAtMs: now + 1 } };
    expect(planFromSet({ kind: "put-first", id: B }, profileSetOf([bare(A, 0), fine]), V).plan.refusal).toBeNull();
  });

  it("an idle backup whose token lapsed is usable: OpenClaw renews it on its next use (or is renewing it)", () => {
    const lapsed = {
      ...codexProfile(B, 1),
      identity: { ...codexProfile(B, 1).identity, expiresAtMs: V.now - 11 * 86_400_000 },
    };
    for (const renewal of ["possible", "in_progress"] as const) {
      const set = profileSetOf([bare(A, 0), { ...lapsed, renewal }]);
      const { plan } = planFromSet({ kind: "put-first", id: B }, set, V);
      expect(plan.refusal).toBeNull();
      expect(plan.targetOrder).toEqual([B, A]);
    }
  });

  it("an unknown profile is refused at the plan, with nothing to run", () => {
    const set = profileSetOf([codexProfile(A, 0), codexProfile(B, 1)]);
    const { plan } = planFromSet({ kind: "put-first", id: "openai:nobody@example.com" }, set, V);
    expect(plan.refusal?.code).toBe("unknown_profile");
    expect(plan.commands).toEqual([]);
  });

  it("an invalid id is an InputError before any plan", () => {
    const set = profileSetOf([codexProfile(A, 0)]);
    expect(() => planFromSet({ kind: "retire", id: "openai:a; rm -rf" }, set, V)).toThrow(InputError);
  });

  it("the set's provider is the one planned for (openai-codex on older states)", () => {
    const X = "openai-codex:x@example.com";
    const Y = "openai-codex:y@example.com";
    const set = profileSetOf([codexProfile(X, 0), codexProfile(Y, 1)], { orderProvider: "openai-codex" });
    const { plan, provider } = planFromSet({ kind: "put-first", id: "openai:y@example.com" }, set, V);
    expect(provider).toBe("openai-codex");
    expect(plan.targetOrder).toEqual([Y, X]);
    expect(plan.commands[0]).toContain("openai-codex");
  });
});

describe("an order of OpenClaw's own profiles, as a plan made it", () => {
  const shaped = "openai:PlatformTeam-SharedSeat-Production2026-Primary";

  it("is not refused for a name that looks like a token; the same id typed is", () => {
    const ids = ["openai:bob@example.com", shaped];
    expect(validateOperation({ kind: "order-set", ids, planned: true })).toEqual({
      kind: "order-set",
      ids,
      planned: true,
    });
    expect(() => validateOperation({ kind: "order-set", ids })).toThrow(
      expect.objectContaining({ code: "invalid_profile_id" }),
    );
    // Planned or not, an id that is not one is refused.
    expect(() => validateOperation({ kind: "order-set", ids: ["openai:bob seat"], planned: true })).toThrow(
      expect.objectContaining({ code: "invalid_profile_id" }),
    );
  });
});
