import { describe, expect, it } from "vitest";
import { parseAuthCliArgs } from "../../src/cli/auth-args.ts";
import { InputError } from "../../src/errors/index.ts";
import { toCodexProfileId, validateAgentId, validateProfileId, validateProfileName } from "../../src/openclaw/ids.ts";
import { checkArgv } from "../../src/openclaw-cli/argv.ts";
import { extractJson, firstErrorLine } from "../../src/openclaw-cli/cli-output.ts";
import { classifyFailure } from "../../src/openclaw-cli/failures.ts";
import { checkRedirectInput, cleanLine, TranscriptReader } from "../../src/openclaw-cli/login-transcript.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";

const HOSTILE = [
  "--provider=x",
  "-x",
  "a; touch x",
  "$(touch x)",
  "`id`",
  "'a",
  'a"b',
  "a\nb",
  "a\rb",
  "a\u0000b",
  "a b",
  "a|b",
  "x".repeat(10_240),
  `openai:${"y".repeat(10_240)}`,
  "openai:-rf",
  "openai:a;b",
];

describe("argument validation", () => {
  it.each(HOSTILE.map((h) => [JSON.stringify(h).slice(0, 30), h]))("refuses profile id %s", (_, value) => {
    expect(() => validateProfileId(value)).toThrow(InputError);
  });

  it("refuses a pasted token or OAuth code as a profile id or name, without echoing it", () => {
    const jwt = fakeAccessToken({ accountId: "acc-x", userId: "user-x", email: "x@example.com", exp: 2_000_000_000 });
    const short = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.c2ln";
    for (const value of [
      short,
      `openai:${short}`,
      "ac_hJ3kSECRETcode0123",
      "openai:rt_SECRETrefresh0123",
      jwt.split(".").slice(0, 2).join("."),
    ]) {
      let message = "";
      try {
        validateProfileId(value);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, value.slice(0, 12)).not.toBe("");
      expect(message).not.toContain(value.includes(":") ? value.slice(value.indexOf(":") + 1) : value);
      expect(() => validateProfileName(value.replace(/^openai:/, ""))).toThrow(InputError);
    }
    expect(() => checkArgv(["models", "auth", "order", "set", "--agent=x"])).toThrow(InputError);
    expect(() => checkArgv(["models", "auth", "order", "set", "--provider", "openai", "openai:a"])).not.toThrow();
  });

  it("refuses hostile agent ids", () => {
    for (const v of ["-x", "a b", "$(x)", "a;b", "", "x".repeat(65)])
      expect(() => validateAgentId(v)).toThrow(InputError);
    expect(validateAgentId("work_2")).toBe("work_2");
  });

  it("accepts either Codex prefix or a bare name and maps onto the installed provider", () => {
    expect(toCodexProfileId(validateProfileId("openai-codex:bob@example.com"), "openai")).toBe(
      "openai:bob@example.com",
    );
    expect(toCodexProfileId(validateProfileId("bob@example.com"), "openai")).toBe("openai:bob@example.com");
    expect(toCodexProfileId(validateProfileId("openai:bob"), "openai-codex")).toBe("openai-codex:bob");
  });

  it("takes an apostrophe, as in real addresses (OpenClaw names a profile by its account's email)", () => {
    expect(validateProfileId("openai:o'brien@example.com")).toBe("openai:o'brien@example.com");
    expect(validateProfileName("o'brien@example.com")).toBe("o'brien@example.com");
  });

  it("refuses a login name that reads as a piece of a token: OpenClaw would keep it as an id every list shows", () => {
    for (const piece of ["Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re", "H6k4wlHbavSDEpwrtUTOXed2BY8eqD"]) {
      let err: unknown;
      try {
        validateProfileName(piece);
      } catch (e) {
        err = e;
      }
      expect(err).toMatchObject({ code: "invalid_profile_name" });
      expect((err as Error).message).not.toContain(piece.slice(0, 8));
    }
    for (const name of ["iPhone15Pro", "acct1-seat2", "MyWork", "bob.smith@example.com"])
      expect(validateProfileName(name)).toBe(name);
    const argv = ["models", "auth", "order", "set", "--provider", "openai", "openai:o'brien@example.com"];
    expect(() => checkArgv(argv)).not.toThrow();
  });

  it("refuses non-Codex providers", () => {
    expect(() => validateProfileId("anthropic:me")).toThrow(/not a Codex profile/);
  });

  it("the argv guard refuses shell and control characters", () => {
    expect(() => checkArgv(["models", "auth", "a;b"])).toThrow(InputError);
    expect(() => checkArgv(["models", "auth", "order", "set", "--provider", "openai", "openai:a@b.c"])).not.toThrow();
  });

  it("the CLI parser refuses unknown options and option-looking ids", () => {
    expect(() => parseAuthCliArgs(["order", "set", "--provider=x"])).toThrow(InputError);
    expect(() => parseAuthCliArgs(["retire", "a", "b"])).toThrow(/exactly one/);
    expect(() => parseAuthCliArgs(["frobnicate"])).toThrow(/Unknown operation/);
    expect(parseAuthCliArgs(["order", "set", "a", "b", "--yes", "--agent", "main"]).command).toEqual({
      kind: "operation",
      op: { kind: "order-set", ids: ["a", "b"] },
    });
  });
});

describe("reading openclaw output", () => {
  it("finds JSON after noise lines", () => {
    expect(extractJson('Installed Gateway service state … could not be verified.\n{\n "order": null\n}\n')).toEqual({
      order: null,
    });
    expect(extractJson("no json here")).toBeUndefined();
  });

  it("skips the gateway warning when naming the error and redacts tokens", () => {
    const jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.sig";
    const line = firstErrorLine(
      `Installed Gateway service state and config paths could not be verified. x\nError: bad token ${jwt}\n`,
      "",
    );
    expect(line).toBe("Error: bad token [redacted]");
  });

  // As openclaw 2026.9.6 prints them for a config holding `agents.list` (its "Config (…)" lines are warnings).
  const moved = "Config (/s/openclaw.json): Moved agents.list to keyed agents.entries.";
  const ownership =
    '- agents.ownership: multi-agent rosters require agents.ownership="explicit" or one legacy default=true marker';

  it("names the failure, not a config warning printed before it", () => {
    const owner =
      "Multiple agents are configured, but model inspection has no explicit owner. Pass --agent <id> or set " +
      "agents.defaults.systemAgent.agentId.";
    const err = classifyFailure({ argv: ["models"], exitCode: 1, stdout: "", stderr: `${moved}\n${owner}\n`, ms: 1 });
    expect([err.code, err.message]).toEqual(["agent_required", owner]);
    expect(firstErrorLine(`${moved}\n`, "")).toBe(moved);
  });

  it("keeps the line a reason ending in a colon introduces", () => {
    const invalid = "Invalid config at /s/openclaw.json:";
    const stderr = [moved, invalid, ownership, "[openclaw] The CLI command failed."]
      .concat([`[openclaw] Reason: ${invalid}`, ownership, "[openclaw] Try: openclaw doctor", ""])
      .join("\n");
    expect(firstErrorLine(stderr, "")).toBe(`${invalid} ${ownership}`);
  });

  it("maps known failures to closed codes", () => {
    const run = (stderr: string) => classifyFailure({ argv: ["models"], exitCode: 1, stdout: "", stderr, ms: 1 }).code;
    expect(run("code=AUTH_PROFILE_MIGRATION_REQUIRED")).toBe("migration_required");
    expect(run("Multiple agents are configured, but the model command has no explicit owner. Pass --agent <id>.")).toBe(
      "agent_required",
    );
    expect(run('Unknown agent id "work".')).toBe("unknown_agent");
    const said = (stderr: string) =>
      classifyFailure({ argv: ["models"], exitCode: 1, stdout: "", stderr, ms: 1 }).message;
    expect(said('Unknown agent id "work".')).toContain('"work"');
    // OpenClaw quotes back the agent it was given: a pasted token piece is described, not repeated.
    expect(said('Unknown agent id "Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re".')).not.toContain("Zp4Lq8Wv");
    expect(run('Auth profile "openai:x" not found in /s.')).toBe("unknown_profile");
    expect(run("Segmentation fault")).toBe("openclaw_failed");
  });
});

describe("login transcript", () => {
  it("reads the device-code URL and user code out of clack frames and ANSI", () => {
    const r = new TranscriptReader();
    const events = [
      "\u001b[2K│  URL: <https://auth.openai.com/codex/device>           │",
      "│  Code: AB12-CD34                │",
    ].flatMap((l) => r.feed(cleanLine(l)));
    expect(events).toEqual([
      { type: "device-code", verificationUrl: "https://auth.openai.com/codex/device", userCode: "AB12-CD34" },
    ]);
  });

  it("reads the authorize URL and the paste prompt once each", () => {
    const r = new TranscriptReader();
    const url = "https://auth.openai.com/oauth/authorize?response_type=code&state=s1";
    const events = [url, url, "◆  Paste the authorization code (or full redirect URL):"].flatMap((l) =>
      r.feed(cleanLine(l)),
    );
    expect(events).toEqual([{ type: "authorize-url", url }, { type: "redirect-prompt" }]);
  });

  it("relays no authorize URL that carries a code or a token: it would be printed unscrubbed", () => {
    const jwt = fakeAccessToken({ accountId: "a", userId: "u", email: "e@example.com", exp: 2_000_000_000 });
    const real =
      "https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann&" +
      "redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&scope=openid+profile+email+offline_access&" +
      "code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256&" +
      "state=Zq8vN2xR7kLp4TsW9yB3";
    expect(new TranscriptReader().feed(real)).toEqual([{ type: "authorize-url", url: real }]);
    for (const extra of [
      "code=ac_Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1",
      `id_token=${jwt}`,
      "refresh_token=rt_Q7mVx2LpK9sNw4HbT1cYz8Rf",
      `login_hint=${jwt}`,
      `redirect_uri=${encodeURIComponent("http://localhost:1455/auth/callback?code=ac_Zp4Lq8Wv2Xk6")}`,
    ])
      expect(new TranscriptReader().feed(`${real}&${extra}`), extra).toEqual([]);
    // Where the query check alone would pass it: after "#", joined to the state by ";", or as the state itself.
    for (const hidden of [
      `${real}#access_token=${jwt}`,
      `${real};code=ac_Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1`,
      real.replace("state=Zq8vN2xR7kLp4TsW9yB3", `state=${jwt}`),
    ])
      expect(new TranscriptReader().feed(hidden), hidden.slice(-40)).toEqual([]);
  });

  it("accepts only one-line redirect URLs carrying a code", () => {
    expect(checkRedirectInput("http://localhost:1455/auth/callback?code=abc123&state=s")).toBe(true);
    expect(checkRedirectInput("http://localhost:1455/auth/callback?state=s")).toBe(false);
    expect(checkRedirectInput("http://localhost:1455/auth/callback?code=a\nrm -rf /")).toBe(false);
    expect(checkRedirectInput("")).toBe(false);
  });
});
