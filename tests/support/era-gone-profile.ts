import { afterAll, describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { runAuthOperation } from "../../src/models-auth/index.ts";
import type { AuthOperation, AuthResult } from "../../src/models-auth/operations.ts";
import { capabilitiesFor, parseOpenclawVersion } from "../../src/openclaw/version.ts";
import { OpenclawCli } from "../../src/openclaw-cli/index.ts";
import { buttonRows, callbackValue, recordingProgress, telegramContext } from "./chat-fakes.ts";
import { dropEraProfile, type EraState, eraState, removeEraState } from "./era-state.ts";
import {
  type EraDepth,
  type EraVersion,
  jsonOut,
  oracleOrder,
  runEra,
  skipsChanges,
  skipsReleaseRules,
} from "./eras.ts";

const SLOW = 1_200_000;

/**
 * A stored order naming a profile that is no longer saved: before 2026.8 had `models auth logout`, removing it
 * from the store by hand was the only way to delete one (codex_auth's own delete refusal says so). The release's
 * own binary is the oracle: its `order get` still lists the id, its effective order (`models status`, or its own
 * resolveAuthProfileOrder on 4.x) skips it, and its `order set` refuses it. Put-first (from chat, whose confirm runs
 * the pipeline's put-first) and retire of the gone id must still go through the release's own `order set`, leaving
 * the gone id out and saying so.
 */
export function describeGoneProfileCheck(version: EraVersion, depth: EraDepth): void {
  const caps = capabilitiesFor(parseOpenclawVersion(version)!);
  const cleanups: Array<() => void> = [];
  afterAll(() => {
    for (const c of cleanups) c();
  });
  const id = (name: string): string => `${caps.provider}:${name}`;
  const [ALICE, BOB, CAROL] = [id("alice@example.com"), id("bob@example.com"), id("carol@example.com")];
  /** The default state (order carol, alice set by the release) with alice then removed from its store by hand. */
  const stateWithoutAlice = async (): Promise<EraState> => {
    const s = await eraState(version);
    cleanups.push(() => removeEraState(s));
    expect(s.storedOrder).toEqual([CAROL, ALICE]);
    dropEraProfile(s, ALICE);
    return s;
  };
  const auth = (s: EraState, op: AuthOperation): Promise<AuthResult> =>
    runAuthOperation(op, {
      env: s.root.env,
      confirm: true,
      cli: new OpenclawCli({ env: s.root.env, timeoutMs: 300_000 }),
    });

  describe(`openclaw ${version}: a stored order naming a profile removed from the store`, () => {
    it.skipIf(skipsReleaseRules(depth))(
      "the release still lists it in order get, skips it and refuses it in order set",
      async () => {
        const s = await stateWithoutAlice();
        const scope = ["--provider", caps.provider, "--agent", "main"];
        const get = await runEra(version, ["models", "auth", "order", "get", ...scope, "--json"], s.root);
        expect(jsonOut<{ order: string[] | null }>(get).order).toEqual([CAROL, ALICE]);
        type Providers = {
          auth: { oauth: { providers: Array<{ provider: string; effectiveProfiles?: Array<{ profileId: string }> }> } };
        };
        const status = jsonOut<Providers>(await runEra(version, ["models", "status", "--json"], s.root));
        const reported = status.auth.oauth.providers.find((p) => p.provider === caps.provider)?.effectiveProfiles;
        const effective = reported
          ? reported.map((p) => p.profileId)
          : await oracleOrder(version, s.root, caps.provider);
        expect(effective).toEqual([CAROL]);
        const refused = await runEra(version, ["models", "auth", "order", "set", ...scope, BOB, ALICE], s.root);
        expect(refused.code).not.toBe(0);
        expect(refused.stderr + refused.stdout).toContain(`Auth profile "${ALICE}" not found`);
      },
      SLOW,
    );

    it.skipIf(skipsChanges(depth))(
      "retire of the gone profile itself takes it out of the stored order",
      async () => {
        const s = await stateWithoutAlice();
        const retire = await auth(s, { kind: "retire", id: ALICE });
        expect({ outcome: retire.outcome, error: retire.error }).toEqual({ outcome: "ok", error: null });
        expect(retire.verify?.observed.storedOrder).toEqual([CAROL]);
      },
      SLOW,
    );

    it.skipIf(skipsChanges(depth))(
      "put-first from chat: /codex_auth plans from the set, leaving it out and saying so; the confirm applies it",
      async () => {
        const s = await stateWithoutAlice();
        const app = createChatApp({
          services: realServices(parseSettings({}), s.root.env, { version }),
          settings: parseSettings({}),
          progress: recordingProgress(),
          logger: { warn: () => {} },
          now: () => Date.now(),
        });
        const plan = await app.codexAuth(telegramContext("first bob@example.com"));
        expect(plan.text).toContain(`${ALICE} is no longer saved`);
        expect(plan.text).toContain(`order set --provider ${caps.provider} --agent main ${BOB} ${CAROL}`);
        const confirm = buttonRows(plan)
          .flat()
          .find((b) => b.label === "Confirm")!;
        const tapped = await app.onCallback({
          channel: "telegram",
          auth: { isAuthorizedSender: true },
          callback: { payload: callbackValue(confirm).slice(4) },
        });
        const done = await app.codexAuth(telegramContext(tapped.submitText!.replace(/^\/codex_auth ?/, "")));
        expect(done.text).toMatch(/^✅ Done and verified\. Order now: /);
        const get = await runEra(
          version,
          ["models", "auth", "order", "get", "--provider", caps.provider, "--json"],
          s.root,
        );
        expect(jsonOut<{ order: string[] | null }>(get).order).toEqual([BOB, CAROL]);
      },
      SLOW,
    );
  });
}
