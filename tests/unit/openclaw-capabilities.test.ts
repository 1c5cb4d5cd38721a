import { describe, expect, it } from "vitest";
import { CAPABILITY_TABLE, capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";

const caps = (v: string) => capabilitiesFor(parseOpenclawVersion(v)!);

describe("capability table (each row checked against its own binary in tests/integration/era-*.test.ts)", () => {
  it("rows are in release order, one per release run", () => {
    const seen = CAPABILITY_TABLE.map((r) => r.observedOn);
    expect(seen).toEqual(["2026.4.5", "2026.4.12", "2026.5.28", "2026.6.11", "2026.7.1", "2026.8.2", "2026.9.6"]);
  });

  it("a binary takes the newest row at or below its version; older than the first takes the first", () => {
    expect(caps("OpenClaw 2026.9.6 (eb377ac)").observedOn).toBe("2026.9.6");
    expect(caps("2026.10.1").observedOn).toBe("2026.9.6");
    expect(caps("2026.7.30").observedOn).toBe("2026.7.1");
    expect(caps("2026.4.11").observedOn).toBe("2026.4.5");
    expect(caps("2026.4.12-beta.1").observedOn).toBe("2026.4.12");
    expect(caps("2026.3.1").observedOn).toBe("2026.4.5");
  });

  it("order rules: 2026.4 to 4.x, 2026.5 to 5.x, 2026.6 to 6.11 and 7.1, 2026.9 from 8.2", () => {
    const rules = CAPABILITY_TABLE.map((r) => [r.observedOn, r.orderRules]);
    expect(rules).toEqual([
      ["2026.4.5", "2026.4"],
      ["2026.4.12", "2026.4"],
      ["2026.5.28", "2026.5"],
      ["2026.6.11", "2026.6"],
      ["2026.7.1", "2026.6"],
      ["2026.8.2", "2026.9"],
      ["2026.9.6", "2026.9"],
    ]);
  });

  it("logout from 2026.8, the openai id and SQLite from 2026.6, effectiveProfiles from 2026.5", () => {
    expect(caps("2026.7.1").logout).toBe(false);
    expect(caps("2026.8.2").logout).toBe(true);
    expect(caps("2026.5.28").provider).toBe("openai-codex");
    expect(caps("2026.6.11")).toMatchObject({ provider: "openai", sqliteStore: true, legacyFileIgnored: true });
    expect(caps("2026.8.2").legacyFileIgnored).toBe(false);
    expect(caps("2026.4.12").statusEffectiveProfiles).toBe(false);
    expect(caps("2026.5.28").statusEffectiveProfiles).toBe(true);
  });
});
