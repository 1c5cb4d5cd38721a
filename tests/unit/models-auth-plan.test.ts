import { describe, expect, it } from "vitest";
import type { AuthOperation } from "../../src/models-auth/operations.ts";
import { backupNotes, compareState, type PlanContext, planOperation } from "../../src/models-auth/plan.ts";
import type { AuthSnapshot, ProfileHealth } from "../../src/models-auth/state.ts";
import { healthText, statusReport } from "../../src/models-auth/status-report.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";

const caps = capabilitiesFor(parseOpenclawVersion("2026.9.6")!);
const ctx: PlanContext = { caps, agentId: null, force: false };
const [A, B, C] = ["openai:a@x.io", "openai:b@x.io", "openai:c@x.io"] as const;

function snap(
  over: Partial<AuthSnapshot> = {},
  health: Partial<Record<string, ProfileHealth["status"]>> = {},
): AuthSnapshot {
  const ids = over.knownIds ?? [A, B, C];
  return {
    agentId: "main",
    provider: "openai",
    storedOrder: null,
    effectiveOrder: ids,
    effectiveOrderSource: "openclaw",
    unstorableIds: [],
    knownIds: ids,
    profiles: ids.map((id) => ({
      id,
      status: health[id] ?? "ok",
      expiresAtMs: null,
      unusableUntilMs: null,
      reason: null,
    })),
    configPath: null,
    agentDir: "/nowhere",
    ignoredLegacyFile: null,
    configuredAgents: ["main"],
    ...over,
  };
}

describe("planOperation", () => {
  it("order set: one command with the exact argv and the expected stored order", () => {
    const plan = planOperation({ kind: "order-set", ids: [B, A] }, snap(), ctx);
    expect(plan.refusal).toBeNull();
    expect(plan.commands).toEqual([["models", "auth", "order", "set", "--provider", "openai", B, A]]);
    expect(plan.expected).toEqual({ storedOrder: [B, A] });
    // An id named twice is set once, at its first place.
    const twice = planOperation({ kind: "order-set", ids: [B, A, B] }, snap(), ctx);
    expect(twice.commands).toEqual([["models", "auth", "order", "set", "--provider", "openai", B, A]]);
    expect(twice.expected).toEqual({ storedOrder: [B, A] });
  });

  it("passes --agent on every command when given", () => {
    const plan = planOperation({ kind: "order-clear" }, snap(), { ...ctx, agentId: "work" });
    expect(plan.commands).toEqual([["models", "auth", "order", "clear", "--provider", "openai", "--agent", "work"]]);
    expect(plan.expected).toEqual({ storedOrder: null });
  });

  it("refuses unknown profiles and names the saved ones", () => {
    const plan = planOperation({ kind: "order-set", ids: [A, "openai:ghost"] }, snap(), ctx);
    expect(plan.refusal?.code).toBe("unknown_profile");
    expect(plan.refusal?.message).toContain("openai:ghost");
    expect(plan.commands).toEqual([]);
  });

  it("describes an unknown id the user typed that reads as a piece of a token, never repeats it", () => {
    const piece = "Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re"; // too short for the redactor, token-shaped all the same
    for (const op of [
      { kind: "retire", id: `openai:${piece}` },
      { kind: "order-set", ids: [A, `openai:${piece}`] },
    ] as AuthOperation[]) {
      const plan = planOperation(op, snap(), ctx);
      expect(plan.refusal?.code).toBe("unknown_profile");
      expect(plan.refusal?.message).toContain("looks like a token");
      expect(plan.refusal?.message).not.toContain(piece.slice(0, 8));
    }
  });

  it("refuses an order with no usable profile unless forced", () => {
    const s = snap({}, { [B]: "expired" });
    const refused = planOperation({ kind: "order-set", ids: [B] }, s, ctx).refusal;
    expect(refused?.code).toBe("no_usable_profile");
    // Chat shows this message as it is, and chat has no --force: it says what to wait for and where the flag is.
    expect(refused?.message).toBe(
      `None of ${B} is usable right now: wait until one is (a cooldown ends, a login is renewed). ` +
        "To do it anyway, run codex_auth from a shell with --force.",
    );
    expect(planOperation({ kind: "order-set", ids: [B] }, s, { ...ctx, force: true }).refusal).toBeNull();
    // A saved profile whose health was not reported is not taken for an unusable one.
    const unreported = { ...s, profiles: s.profiles.filter((p) => p.id !== C) };
    expect(planOperation({ kind: "order-set", ids: [B, C] }, unreported, ctx).refusal).toBeNull();
  });

  it("an expired profile OpenClaw renews on its next use (an idle backup) is usable; its status says so", () => {
    const s = snap({ storedOrder: [A, B] }, { [A]: "cooldown", [B]: "expired" });
    const renewable = { ...s, profiles: s.profiles.map((p) => (p.id === B ? { ...p, renewable: true as const } : p)) };
    expect(planOperation({ kind: "put-first", id: B }, s, ctx).refusal?.code).toBe("no_usable_profile");
    expect(planOperation({ kind: "put-first", id: B }, renewable, ctx).refusal).toBeNull();
    expect(planOperation({ kind: "retire", id: A }, renewable, ctx).expected).toEqual({ storedOrder: [B] });
    const rows = statusReport(renewable).rows;
    expect(rows.map(healthText)).toEqual(["cooldown", "expired, renewed by OpenClaw on its next use", "ok"]);
  });

  it("retire without a stored override = the effective order minus the id", () => {
    const plan = planOperation({ kind: "retire", id: B }, snap(), ctx);
    expect(plan.expected).toEqual({ storedOrder: [A, C] });
    expect(plan.commands[0]?.slice(-2)).toEqual([A, C]);
  });

  it("retire from a stored override keeps its order; retiring the last usable one is refused", () => {
    expect(planOperation({ kind: "retire", id: A }, snap({ storedOrder: [C, A] }), ctx).expected).toEqual({
      storedOrder: [C],
    });
    expect(planOperation({ kind: "retire", id: A }, snap({ storedOrder: [A] }), ctx).refusal?.code).toBe(
      "no_usable_profile",
    );
    expect(
      planOperation({ kind: "retire", id: A }, snap({ storedOrder: [A, B] }, { [B]: "cooldown" }), ctx).refusal?.code,
    ).toBe("no_usable_profile");
  });

  it("retire of a profile already out of the order and restore of one in it are no-ops", () => {
    expect(planOperation({ kind: "retire", id: B }, snap({ storedOrder: [A] }), ctx).commands).toEqual([]);
    expect(planOperation({ kind: "restore", id: B }, snap(), ctx).commands).toEqual([]);
    expect(planOperation({ kind: "restore", id: B }, snap(), ctx).summary).toMatch(/effective order \(none is stored/);
  });

  it("with no stored order, retire/restore/put-first start from the effective order and store the result", () => {
    const none = snap({ storedOrder: null, effectiveOrder: [C, A, B] });
    expect(planOperation({ kind: "retire", id: A }, none, ctx).expected).toEqual({ storedOrder: [C, B] });
    expect(planOperation({ kind: "put-first", id: B }, none, ctx).expected).toEqual({ storedOrder: [B, C, A] });
    // A profile left out of an automatic order (e.g. by config auth.order) is restored at its end.
    const configured = snap({ storedOrder: null, effectiveOrder: [C, A] });
    expect(planOperation({ kind: "restore", id: B }, configured, ctx).commands).toEqual([
      ["models", "auth", "order", "set", "--provider", "openai", C, A, B],
    ]);
  });

  it("restore appends to the stored order", () => {
    expect(planOperation({ kind: "restore", id: B }, snap({ storedOrder: [C, A] }), ctx).expected).toEqual({
      storedOrder: [C, A, B],
    });
  });

  it("delete uses logout --yes on 2026.8+ and is refused with the maintenance-window route before", () => {
    const plan = planOperation({ kind: "delete", id: B, hard: true }, snap(), ctx);
    expect(plan.commands).toEqual([["models", "auth", "logout", B, "--yes"]]);
    expect(plan.expected).toEqual({ absent: [B], storedOrder: null });
    // logout also drops the id from a stored order.
    const stored = planOperation({ kind: "delete", id: B, hard: true }, snap({ storedOrder: [C, B, A] }), ctx);
    expect(stored.expected).toEqual({ absent: [B], storedOrder: [C, A] });
    // An order it empties is left unchecked (whether OpenClaw keeps [] or drops it was not seen).
    const only = planOperation({ kind: "delete", id: B, hard: true }, snap({ storedOrder: [B] }), ctx);
    expect(only.expected).toEqual({ absent: [B] });
    // Deleting the last usable profile is refused unless forced.
    const last = snap({}, { [A]: "expired", [C]: "disabled" });
    expect(planOperation({ kind: "delete", id: B, hard: true }, last, ctx)).toMatchObject({
      refusal: { code: "no_usable_profile" },
      commands: [],
    });
    expect(planOperation({ kind: "delete", id: B, hard: true }, last, { ...ctx, force: true }).commands).toEqual([
      ["models", "auth", "logout", B, "--yes"],
    ]);
    for (const v of ["2026.6.2", "2026.7.1"]) {
      const old = capabilitiesFor(parseOpenclawVersion(v)!);
      const refused = planOperation({ kind: "delete", id: B, hard: true }, snap(), { ...ctx, caps: old });
      expect(refused.refusal?.code).toBe("unsupported_by_version");
      expect(refused.refusal?.message).toMatch(/maintenance window/);
      expect(refused.refusal?.message).toMatch(/upgrade OpenClaw to 2026\.8 or later/);
    }
  });

  it("refuses a mutation without --agent when several agents are configured", () => {
    const plan = planOperation({ kind: "order-clear" }, snap({ configuredAgents: ["main", "work"] }), ctx);
    expect(plan.refusal?.code).toBe("agent_required");
    expect(
      planOperation({ kind: "order-clear" }, snap({ configuredAgents: ["main", "work"] }), { ...ctx, agentId: "work" })
        .refusal,
    ).toBeNull();
  });
});

describe("2026.5.28's API-key backup, which no stored openai-codex order can hold", () => {
  const v5: PlanContext = { ...ctx, caps: capabilitiesFor(parseOpenclawVersion("2026.5.28")!) };
  const [X, Y, K] = ["openai-codex:x@y.io", "openai-codex:y@y.io", "openai:backup"];
  const s5 = (unstorableIds: string[]) => snap({ provider: "openai-codex", knownIds: [X, Y], unstorableIds });

  it("an order change says before it runs that OpenClaw then stops trying it; clear and no-ops do not", () => {
    const ops: AuthOperation[] = [
      { kind: "retire", id: X },
      { kind: "put-first", id: Y },
      { kind: "order-set", ids: [Y] },
    ];
    for (const op of ops) {
      const plan = planOperation(op, s5([K]), v5);
      expect(plan.commands[0]).not.toContain(K);
      expect(plan.summary).toMatch(
        /; OpenClaw then stops trying openai:backup .*`codex_auth order clear` brings it back$/,
      );
      expect(planOperation(op, s5([]), v5).summary).not.toContain(K);
    }
    const restore = planOperation({ kind: "restore", id: X }, s5([K]), v5);
    expect(restore.summary).toBe(`${X} is already in the effective order (none is stored)`);
    expect(planOperation({ kind: "order-clear" }, s5([K]), v5).summary).not.toContain(K);
  });

  it("unattended (the rotation job): a change that would end it is refused, backup_would_end; none else is", () => {
    const job: PlanContext = { ...v5, keepBackups: true };
    const ops: AuthOperation[] = [
      { kind: "retire", id: X },
      { kind: "put-first", id: Y },
      { kind: "order-set", ids: [Y, X] },
    ];
    for (const op of ops) {
      const plan = planOperation(op, s5([K]), job);
      expect(plan.commands).toEqual([]);
      expect(plan.refusal).toEqual({
        code: "backup_would_end",
        message: expect.stringMatching(/^Storing an order would end OpenClaw's use of openai:backup \(/),
      });
      expect(planOperation(op, s5([]), job).refusal).toBeNull();
    }
    const stored = snap({ provider: "openai-codex", knownIds: [X, Y], storedOrder: [Y], unstorableIds: [K] });
    expect(planOperation({ kind: "restore", id: X }, stored, job).refusal?.code).toBe("backup_would_end");
    expect(planOperation({ kind: "order-clear" }, s5([K]), job).refusal).toBeNull();
  });

  it("after the change: a note only for a backup OpenClaw tried before and no longer tries", () => {
    expect(backupNotes(s5([K]), s5([]))).toEqual([expect.stringMatching(/^OpenClaw no longer tries openai:backup \(/)]);
    expect(backupNotes(s5([K]), s5([K]))).toEqual([]);
    expect(backupNotes(s5([K, "openai:spare"]), s5([]))).toEqual([
      expect.stringMatching(
        /^OpenClaw no longer tries openai:backup, openai:spare \(another provider's API keys, .* them back\.$/,
      ),
    ]);
    expect(backupNotes(s5([]), s5([]))).toEqual([]);
  });
});

describe("a stored order naming a profile no longer saved (removed by hand before 2026.8 had logout)", () => {
  // Seen on 2026.4.12, 5.28 and 9.6: `order get` still lists it, `models status` leaves it out of the effective
  // order, and `order set` refuses it ("Auth profile … not found"): a plan keeping it could never apply.
  const D = "openai:d@x.io";
  const s = snap({ knownIds: [B, C, D], storedOrder: [C, A, B] });
  it.each<[string, AuthOperation, string[]]>([
    ["put-first", { kind: "put-first", id: B }, [B, C]],
    ["retire of another profile", { kind: "retire", id: C }, [B]],
    ["restore", { kind: "restore", id: D }, [C, B, D]],
    ["retire of the gone profile itself", { kind: "retire", id: A }, [C, B]],
  ])("%s leaves it out and says so", (_, op, order) => {
    const plan = planOperation(op, s, ctx);
    expect(plan.refusal).toBeNull();
    expect(plan.expected).toEqual({ storedOrder: order });
    expect(plan.commands).toEqual([["models", "auth", "order", "set", "--provider", "openai", ...order]]);
    expect(plan.summary).toContain(`${A} is no longer saved`);
  });
  it("an order set naming it is still refused as unknown", () => {
    expect(planOperation({ kind: "order-set", ids: [A, B] }, s, ctx).refusal?.code).toBe("unknown_profile");
  });
});

describe("compareState", () => {
  const observed = { storedOrder: [A, B], effectiveOrder: [A, B], knownIds: [A, B] };
  it("matches when the stored order is as planned", () => {
    expect(compareState({ storedOrder: [A, B] }, observed)).toEqual([]);
  });
  it("reports both states on drift", () => {
    const diffs = compareState({ storedOrder: null }, observed);
    expect(diffs).toEqual([`stored order is [${A}, ${B}], expected none (automatic)`]);
    expect(compareState({ absent: [B], present: [C] }, observed)).toEqual([`${C} is missing`, `${B} is still saved`]);
    // The same ids in another order are drift: the order is what was changed.
    expect(compareState({ storedOrder: [B, A] }, observed)).toEqual([
      `stored order is [${A}, ${B}], expected [${B}, ${A}]`,
    ]);
  });
});

describe("verify", () => {
  it("matches only when what was read back is what the plan promised, and says what differs", async () => {
    const { verify } = await import("../../src/models-auth/verify.ts");
    const plan = planOperation({ kind: "put-first", id: B }, snap({ storedOrder: [A, B] }), ctx);
    expect(verify(plan, snap({ storedOrder: [B, A] }))).toMatchObject({ matches: true, differences: [] });
    expect(verify(plan, snap({ storedOrder: [A, B] }))).toMatchObject({
      matches: false,
      differences: [`stored order is [${A}, ${B}], expected [${B}, ${A}]`],
    });
  });
});

describe("pinNote", () => {
  it("names the profiles that left the order", async () => {
    const { pinNote } = await import("../../src/models-auth/verify.ts");
    expect(pinNote([A, B], [B, A])).toMatch(/until \/new or \/reset; new chats start with openai:b@x.io/);
    expect(pinNote([A, B], [A])).toMatch(/except chats pinned to openai:b@x.io/);
  });
});

describe("mapIds across the 2026.6 rename", () => {
  it("order changes take either prefix; a delete takes only the installed release's own id", async () => {
    const { mapIds } = await import("../../src/models-auth/operations.ts");
    expect(mapIds({ kind: "retire", id: "openai-codex:a@x.io" }, "openai")).toEqual({ kind: "retire", id: A });
    expect(mapIds({ kind: "put-first", id: "openai:a@x.io" }, "openai-codex")).toEqual({
      kind: "put-first",
      id: "openai-codex:a@x.io",
    });
    expect(mapIds({ kind: "delete", id: "a@x.io", hard: true }, "openai")).toEqual({
      kind: "delete",
      id: A,
      hard: true,
    });
    expect(mapIds({ kind: "delete", id: A, hard: true }, "openai")).toEqual({ kind: "delete", id: A, hard: true });
    expect(() => mapIds({ kind: "delete", id: "openai-codex:a@x.io", hard: true }, "openai")).toThrow(
      expect.objectContaining({
        code: "other_provider_id",
        message: expect.stringMatching(/exactly as OpenClaw lists it: openai:a@x\.io.*`openclaw doctor --fix`/),
      }),
    );
  });
});

describe("driftNotes", () => {
  it("an order read back unchanged says the command had no effect; a different one names another writer", async () => {
    const { driftNotes } = await import("../../src/models-auth/verify.ts");
    const op: AuthOperation = { kind: "put-first", id: B };
    const before = snap({ agentId: "work", storedOrder: [C, A] });
    const planned = { storedOrder: [B, C, A] };
    const same = driftNotes(op, before, snap({ agentId: "work", storedOrder: [C, A] }), planned).join(" ");
    expect(same).toMatch(/exited 0, yet the order it reads back for agent work is the one from before the change/);
    expect(same).not.toMatch(/Another writer/);
    const other = driftNotes(op, before, snap({ agentId: "work", storedOrder: [A, C] }), planned).join(" ");
    expect(other).toMatch(/Another writer/);
    expect(other).not.toMatch(/had no effect/);
  });

  it("an order clear that leaves an order names the imported legacy order and how to set one", async () => {
    const { driftNotes } = await import("../../src/models-auth/verify.ts");
    const before = snap({ storedOrder: [C, A] });
    const notes = driftNotes({ kind: "order-clear" }, before, snap({ storedOrder: [C, A] }), { storedOrder: null });
    expect(notes.join(" ")).toMatch(
      /legacy auth file imported by `openclaw doctor --fix`.*order set --provider openai/,
    );
    expect(notes.join(" ")).not.toMatch(/had no effect|Another writer/);
    expect(
      driftNotes({ kind: "order-clear" }, before, snap({ storedOrder: null }), { storedOrder: null }),
    ).toHaveLength(1);
  });

  it("an order read back as planned says nothing of the order: a delete of a retired profile still saved", async () => {
    const { driftNotes } = await import("../../src/models-auth/verify.ts");
    const op: AuthOperation = { kind: "delete", id: B, hard: true };
    // B was out of the order: the order was to stay as it is, and it did; B is what differs (still saved).
    const before = snap({ knownIds: [A, B, C], storedOrder: [C, A] });
    const after = snap({ knownIds: [A, B, C], storedOrder: [C, A] });
    const notes = driftNotes(op, before, after, { absent: [B], storedOrder: [C, A] }).join(" ");
    expect(notes).not.toMatch(/had no effect|Another writer/);
    expect(notes).toMatch(/does not edit OpenClaw's state/);
  });
});
