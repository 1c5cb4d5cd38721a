import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authCommand } from "../../src/cli/auth-command.ts";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.ts";
import type { AuthResult } from "../../src/models-auth/operations.ts";
import { runAuthOperation } from "../../src/models-auth/pipeline.ts";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles, secretsOf } from "../support/fixtures.ts";
import {
  ensureOpenclawBin,
  makeOpenclawRoot,
  type OpenclawRoot,
  removeRoot,
  runOpenclaw,
  seedLegacyStore,
  writeBaseConfig,
} from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";

/**
 * The gotcha of openclaw-cli-offline.md §4.5: an order imported from a legacy auth-profiles.json by
 * `doctor --fix` lives in the shared state and survives `order clear`. Verify must catch that drift,
 * report both states (exit 6) and change nothing by itself.
 */
const SLOW = 600_000;
let root: OpenclawRoot;
let cli: OpenclawCli;
const imported = ["openai:dave@example.com", "openai:alice@example.com"];
const store = legacyAuthProfiles({
  accounts: FIXTURE_ACCOUNTS,
  inline: { order: { "openai-codex": ["openai-codex:dave@example.com", "openai-codex:alice@example.com"] } },
});

beforeAll(async () => {
  root = makeOpenclawRoot("cxp-gw-legacy-");
  writeBaseConfig(root);
  seedLegacyStore(root, store);
  const doctor = await runOpenclaw(["doctor", "--fix", "--non-interactive", "--yes"], root, 300_000);
  expect(doctor.code).toBe(0);
  cli = new OpenclawCli({ env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() }, timeoutMs: 300_000 });
}, SLOW);
afterAll(() => removeRoot(root));

describe("an order imported from a legacy file", () => {
  it(
    "survives order clear; verify reports the drift with both states and a gateway-native way out",
    async () => {
      const r = await runAuthOperation({ kind: "order-clear" }, { confirm: true, cli });
      expect(r.preflight?.storedOrder).toEqual(imported);
      expect(r.applied).toMatchObject([{ ok: true }]);
      expect(exitCodeFor(r.outcome)).toBe(ExitCode.verifyMismatch);
      expect(r.verify).toMatchObject({
        matches: false,
        expected: { storedOrder: null },
        observed: { storedOrder: imported },
      });
      expect(r.notes.join(" ")).toMatch(/imported by `openclaw doctor --fix`/);
      expect(r.applied).toHaveLength(1);
    },
    SLOW,
  );

  it(
    "codex_auth delete --hard --yes removes a profile through `openclaw models auth logout` and verifies it is gone",
    async () => {
      const out: string[] = [];
      const rt = {
        log: (l: string) => out.push(l),
        error: (l: string) => out.push(l),
        writeJson: (v: unknown) => out.push(JSON.stringify(v)),
        signInUrl: (u: string) => out.push(u),
        exit: () => {},
      };
      const deleteOf = (id: string) =>
        authCommand(["delete", id, "--hard", "--yes", "--timeout-sec", "300"], rt, { env: cli.env });
      // The id as the legacy file named it is not taken for the saved one: a delete takes the saved id exactly.
      expect(await deleteOf("openai-codex:carol@example.com")).toBe(ExitCode.badInput);
      const refused = JSON.parse(out.at(-1)!) as AuthResult;
      expect(refused.error?.code).toBe("other_provider_id");
      expect(refused.applied).toEqual([]);
      const code = await deleteOf("openai:carol@example.com");
      const result = JSON.parse(out.at(-1)!) as AuthResult;
      expect(result.error).toBeNull();
      expect(code).toBe(ExitCode.ok);
      expect(result.applied).toMatchObject([
        { command: ["models", "auth", "logout", "openai:carol@example.com", "--yes"], ok: true },
      ]);
      expect(result.verify).toMatchObject({ matches: true, expected: { absent: ["openai:carol@example.com"] } });
      expect(result.verify?.observed.knownIds).toEqual(
        expect.arrayContaining(["openai:alice@example.com", "openai:bob@example.com", "openai:dave@example.com"]),
      );
      expectNoSecrets(out.join("\n"), secretsOf(store));
    },
    SLOW,
  );
});
