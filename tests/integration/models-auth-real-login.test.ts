import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exitCodeFor } from "../../src/cli/exit-codes.ts";
import { type LoginEvent, startLogin } from "../../src/models-auth/login.ts";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { copyTemplateState, ensureOpenclawBin, type OpenclawRoot, removeRoot } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";

/**
 * The browser login against the real openclaw 2026.9.6, as far as it goes offline: openclaw needs a
 * terminal (script(1) provides it), prints the authorize URL (relayed), prompts for the redirect URL
 * (the pasted one reaches it), and rejects a forged state itself. The code must appear nowhere.
 */
const SLOW = 600_000;
const CODE = "ac_forgedCODE0123456789";
const FORGED = `http://localhost:1455/auth/callback?code=${CODE}&scope=openid&state=forged-state-0001`;
const hasScript = ["/usr/bin/script", "/bin/script"].some((p) => existsSync(p));
let root: OpenclawRoot;

beforeAll(async () => {
  root = await copyTemplateState("cxp-gw-login-");
}, SLOW);
afterAll(() => removeRoot(root));

describe("login against the real openclaw (offline)", () => {
  it.skipIf(!hasScript)(
    "relays the authorize URL, hands the pasted redirect to openclaw's prompt, and leaks no code",
    async () => {
      const cli = new OpenclawCli({ env: { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() }, timeoutMs: 300_000 });
      const events: LoginEvent[] = [];
      let submit: ((url: string) => void) | undefined;
      const session = await startLogin({
        profileName: "work",
        cli,
        env: cli.env,
        pty: "script",
        timeoutMs: 300_000,
        onEvent: (e) => {
          events.push(e);
          if (e.type === "authorize-url") submit?.(FORGED);
        },
      });
      submit = (url) => session.submitRedirect(url);
      if (events.some((e) => e.type === "authorize-url")) session.submitRedirect(FORGED);
      const r = await session.result;
      expect(events.find((e) => e.type === "authorize-url")).toMatchObject({
        url: expect.stringMatching(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?.*code_challenge=/),
      });
      expect(events.some((e) => e.type === "redirect-prompt")).toBe(true);
      expect(r).toMatchObject({ ok: false, error: { code: "login_failed" } });
      expect(exitCodeFor(r.outcome)).toBe(5);
      expect(r.error?.message).toMatch(/[Ss]tate mismatch/);
      const all = JSON.stringify({ events, r });
      expect(all).not.toContain(CODE);
      expect(all).not.toContain("localhost:1455/auth/callback?code");
      expectNoSecrets(all, [CODE]);
    },
    SLOW,
  );
});
