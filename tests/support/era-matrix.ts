import { spawnSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import type { AuthOperation, AuthResult } from "../../src/models-auth/operations.ts";
import type { StatusReport } from "../../src/models-auth/status-report.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { captureRuntime } from "./capture-runtime.ts";

import { describeBackupCheck } from "./era-backup.ts";
import { describeDefaultAgentCheck } from "./era-default-agent.ts";
import { describeGoneProfileCheck } from "./era-gone-profile.ts";
import { describeOrderRulesCheck } from "./era-order-rules.ts";
import { describeRenamedIdCheck } from "./era-renamed-id.ts";
import { describeSecondAgentCheck } from "./era-second-agent.ts";
import { describeSideBySideCheck } from "./era-side-by-side.ts";
import { ERA_LAYOUT, type EraState, eraState, removeEraState } from "./era-state.ts";
import {
  type EraDepth,
  type EraVersion,
  jsonOut,
  makeEraRoot,
  oracleOrder,
  runEra,
  skipsChanges,
  skipsReleaseRules,
  writeEraBaseConfig,
} from "./eras.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles } from "./fixtures.ts";

import { type OpenclawRoot, seedLegacyStore } from "./openclaw.ts";
import { stateDigest } from "./state-digest.ts";

/**
 * The operation matrix of one OpenClaw release (one test file per release, so vitest's workers interleave
 * them): the release itself (its `--version` through its launcher, the layout its own doctor and order set settle
 * a legacy file into, what its order get and status report), its capability row checked against its own binary,
 * `codex_usage`'s read, and every `codex_auth`
 * operation through the real pipeline, whose verify step re-reads with THAT release's own `models auth order
 * get` and `models status`. Where the release reports no effective order (2026.4.x) ours is checked against the
 * release's own resolveAuthProfileOrder (era-order-oracle.mjs).
 *
 * `depth`: how much of it runs for this release (eras.ts EraDepth).
 */
const SLOW = 1_200_000;
const [ALICE, BOB, CAROL] = ["alice@example.com", "bob@example.com", "carol@example.com"];
interface StatusJson {
  auth: {
    oauth: {
      profiles: Array<{ profileId: string }>;
      providers: Array<{ provider: string; effectiveProfiles?: Array<{ profileId: string }> }>;
    };
  };
}

export function describeEraMatrix(version: EraVersion, depth: EraDepth = "full"): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  const state = async (order?: string[] | null): Promise<EraState> => {
    const s = await eraState(version, order === undefined ? {} : { order });
    cleanups.push(() => removeEraState(s));
    return s;
  };
  const id = (name: string): string => `${caps.provider}:${name}`;
  // The agent taken when none is named is a rule of the config and the capability row, not of the store.
  if (!skipsChanges(depth)) describeDefaultAgentCheck(version);
  if (!skipsReleaseRules(depth)) describeOrderRulesCheck(version);
  describeBackupCheck(version);
  describeGoneProfileCheck(version, depth);
  describeRenamedIdCheck(version, depth);
  describeSecondAgentCheck(version, depth);
  describeSideBySideCheck(version);

  describe(`openclaw ${version}: capability row ${caps.observedOn} against the binary`, () => {
    it(
      "models auth --help and models auth login --help list exactly what the row says",
      async () => {
        const r = makeEraRoot(version);
        cleanups.push(() => removeRoot(r));
        writeEraBaseConfig(r, version);
        const auth = await runEra(version, ["models", "auth", "--help"], r);
        expect(auth.code).toBe(0);
        expect(/^\s+logout\b/m.test(auth.stdout)).toBe(caps.logout);
        expect(/^\s+list\b/m.test(auth.stdout)).toBe(caps.authList);
        const login = await runEra(version, ["models", "auth", "login", "--help"], r);
        expect(login.code).toBe(0);
        expect(login.stdout.includes("--device-code")).toBe(caps.deviceCode);
        expect(login.stdout.includes("--profile-id")).toBe(caps.profileIdFlag);
        const cron = await runEra(version, ["cron", "add", "--help"], r);
        expect(cron.code === 0 && cron.stdout.includes("--declaration-key")).toBe(caps.cronDeclarationKey);
        if (!caps.cronDeclarationKey) {
          // The job's install refuses before it asks this release's scheduler for anything.
          const rt = captureRuntime();
          await rotateCommand(["job", "install", "--yes", "--format", "json"], rt, { env: r.env });
          expect(rt.code).toBe(4);
          expect(rt.json[0]).toMatchObject({ error: { code: "job_unsupported" } });
        }
      },
      SLOW,
    );

    it(
      "says which release it is; its own layout, provider id, stored order and effectiveProfiles",
      async () => {
        const s = await state();
        const direct = await runEra(version, ["--version"], s.root);
        const viaLauncher = spawnSync("openclaw", ["--version"], { env: s.root.env, encoding: "utf8" });
        for (const said of [direct.stdout, viaLauncher.stdout]) expect(said).toContain(`OpenClaw ${version}`);
        expect([s.layout, s.provider]).toEqual([ERA_LAYOUT[version], caps.provider]);
        expect(s.profileIds.toSorted()).toEqual([id(ALICE), id(BOB), id(CAROL)]);
        const wanted = [id(CAROL), id(ALICE)];
        expect(s.storedOrder).toEqual(wanted);
        // The copy handed out is as good as the template: the release reads it back the same way.
        const scope = ["--provider", s.provider, "--agent", "main", "--json"];
        const get = await runEra(version, ["models", "auth", "order", "get", ...scope], s.root);
        expect(jsonOut<{ order: string[] | null }>(get).order).toEqual(wanted);
        const oauth = jsonOut<StatusJson>(await runEra(version, ["models", "status", "--json"], s.root)).auth.oauth;
        expect(oauth.profiles.map((p) => p.profileId).toSorted()).toEqual(s.profileIds.toSorted());
        const mine = oauth.providers.find((p) => p.provider === caps.provider);
        if (caps.statusEffectiveProfiles) expect(mine?.effectiveProfiles?.map((p) => p.profileId)).toEqual(wanted);
        else expect(mine).not.toHaveProperty("effectiveProfiles");
      },
      SLOW,
    );

    it.runIf(caps.sqliteStore)(
      "a legacy file before doctor --fix: ignored (hint) or refused",
      async () => {
        const r = makeEraRoot(version);
        cleanups.push(() => removeRoot(r));
        writeEraBaseConfig(r, version);
        seedLegacyStore(r, legacyAuthProfiles({ accounts: FIXTURE_ACCOUNTS.slice(0, 2) }));
        const status = await auth(r.env, { kind: "status" });
        const doctor = await auth(r.env, { kind: "doctor" });
        if (caps.legacyFileIgnored) {
          expect({ outcome: status.outcome, error: status.error }).toEqual({ outcome: "ok", error: null });
          const report = status.details as StatusReport;
          expect(report.first).toBeNull();
          expect(report.hint).toMatch(/openclaw doctor --fix/);
          expect(doctor.details).toMatchObject([{ code: "legacy_file_ignored", fix: "openclaw doctor --fix" }]);
        } else {
          expect(status.outcome).not.toBe("ok");
          expect(status.error?.code).toBe("migration_required");
          expect(status.error?.hint).toMatch(/openclaw doctor --fix/);
          expect(doctor.details).toMatchObject([{ code: "legacy_files_present", fix: "openclaw doctor --fix" }]);
        }
      },
      SLOW,
    );
  });

  describe(`openclaw ${version}: codex_usage and codex_auth with an order set by its own CLI`, () => {
    it(
      "codex_usage reads profiles, order, default and layout, and changes nothing",
      async () => {
        const s = await state();
        const before = stateDigest(s.root.root);
        const set = await loadProfileSet({ env: s.root.env });
        expect(set.profiles.map((p) => p.id).toSorted()).toEqual(s.profileIds.toSorted());
        expect(set.effectiveOrder).toEqual(s.storedOrder);
        expect(set.defaultProfileId).toBe(id(CAROL));
        expect(set.location.layout).toBe(
          s.layout === "auth-profiles.json"
            ? "json-single"
            : s.layout === "auth-profiles.json+auth-state.json"
              ? "json-split"
              : "sqlite",
        );
        expect(stateDigest(s.root.root)).toEqual(before);
      },
      SLOW,
    );

    it(
      "status: real positions, and where the order came from",
      async () => {
        const s = await state();
        const res = await auth(s.root.env, { kind: "status" });
        expect({ outcome: res.outcome, error: res.error }).toEqual({ outcome: "ok", error: null });
        const report = res.details as StatusReport;
        expect(report.first).toBe(id(CAROL));
        expect(report.effectiveOrderSource).toBe(caps.statusEffectiveProfiles ? "openclaw" : "store");
        expect(report.rows.map((r) => [r.id, r.position])).toEqual([
          [id(CAROL), 0],
          [id(ALICE), 1],
          [id(BOB), null],
        ]);
      },
      SLOW,
    );

    it.skipIf(skipsChanges(depth))(
      "put-first, then order clear, each verified by its own order get",
      async () => {
        const s = await state();
        const cli = new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 });
        const first = await auth(s.root.env, { kind: "put-first", id: BOB }, cli);
        expect({ outcome: first.outcome, error: first.error }).toEqual({ outcome: "ok", error: null });
        expect(first.verify?.observed.storedOrder).toEqual([id(BOB), id(CAROL), id(ALICE)]);
        const clear = await auth(s.root.env, { kind: "order-clear" }, cli);
        expect({ outcome: clear.outcome, error: clear.error }).toEqual({ outcome: "ok", error: null });
        expect(clear.verify?.observed.storedOrder).toBeNull();
      },
      SLOW,
    );

    it.skipIf(skipsChanges(depth))(
      `delete --hard: ${caps.logout ? "logout, gone from the store and the order" : "refused, 2026.8 named"}`,
      async () => {
        const s = await state();
        // OpenClaw itself rewrites logs/config-health.json on every command (and 2026.6.11/7.1 their whole-state
        // DB, which holds no auth there): only the files holding this release's auth must stay.
        const holdsAuth = (f: string): boolean =>
          s.authFiles.includes(f) && (s.layout === "state-sqlite" || !f.endsWith("state/openclaw.sqlite"));
        const authDigest = (): Record<string, string> =>
          Object.fromEntries(Object.entries(stateDigest(s.root.root)).filter(([f]) => holdsAuth(f)));
        const before = authDigest();
        expect(Object.keys(before).length).toBeGreaterThan(0);
        const res = await auth(s.root.env, { kind: "delete", id: ALICE, hard: true });
        if (caps.logout) {
          expect({ outcome: res.outcome, error: res.error }).toEqual({ outcome: "ok", error: null });
          expect(res.verify?.observed.knownIds).not.toContain(id(ALICE));
          expect(res.verify?.observed.storedOrder).toEqual([id(CAROL)]);
        } else {
          expect(res.outcome).toBe("refused");
          expect(res.error?.code).toBe("unsupported_by_version");
          expect(res.error?.message).toMatch(/2026\.8 or later/);
          expect(authDigest()).toEqual(before);
        }
      },
      SLOW,
    );

    it(
      "doctor: no finding on a settled state",
      async () => {
        const s = await state();
        const res = await auth(s.root.env, { kind: "doctor" });
        expect({ outcome: res.outcome, error: res.error }).toEqual({ outcome: "ok", error: null });
        expect(res.details).toEqual([]);
      },
      SLOW,
    );
  });

  describe(`openclaw ${version}: no stored order (the effective order is the starting point)`, () => {
    it(
      "the effective order is the release's own, and codex_usage's",
      async () => {
        const s = await state(null);
        const show = await auth(s.root.env, { kind: "order-show" });
        const effective = show.preflight?.effectiveOrder ?? [];
        expect(effective.toSorted()).toEqual(s.profileIds.toSorted());
        expect(show.preflight?.effectiveOrderSource).toBe(caps.statusEffectiveProfiles ? "openclaw" : "store");
        // Reported by the release (5.28+) or its own resolveAuthProfileOrder (4.x) = what codex_usage computes.
        const reference = caps.statusEffectiveProfiles ? effective : await oracleOrder(version, s.root, s.provider);
        expect(reference).toEqual(effective);
        expect((await loadProfileSet({ env: s.root.env })).effectiveOrder).toEqual(effective);
      },
      SLOW,
    );

    it.skipIf(skipsChanges(depth))(
      "retire stores the effective order without the profile; restore appends it",
      async () => {
        const s = await state(null);
        const cli = new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 });
        // codex_usage's effective order: the release's own, as the test above checks.
        const effective = (await loadProfileSet({ env: s.root.env })).effectiveOrder;
        const retire = await auth(s.root.env, { kind: "retire", id: effective[0]! }, cli);
        expect({ outcome: retire.outcome, error: retire.error }).toEqual({ outcome: "ok", error: null });
        const kept = effective.slice(1);
        expect(retire.verify?.observed.storedOrder).toEqual(kept);
        const restore = await auth(s.root.env, { kind: "restore", id: effective[0]! }, cli);
        expect({ outcome: restore.outcome, error: restore.error }).toEqual({ outcome: "ok", error: null });
        expect(restore.verify?.observed.storedOrder).toEqual([...kept, effective[0]]);
      },
      SLOW,
    );
  });

  function auth(env: NodeJS.ProcessEnv, op: AuthOperation, cli?: OpenclawCli): Promise<AuthResult> {
    return runAuthOperation(op, { env, confirm: true, cli: cli ?? new OpenclawCli({ env, timeoutMs: 300_000 }) });
  }
}

function removeRoot(r: OpenclawRoot): void {
  removeEraState({ root: r } as EraState);
}
