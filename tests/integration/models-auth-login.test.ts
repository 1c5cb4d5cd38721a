import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { authCommand } from "../../src/cli/auth-command.ts";
import { ExitCode, exitCodeFor } from "../../src/cli/exit-codes.ts";
import { InputError } from "../../src/errors/index.ts";
import { type LoginEvent, startLogin } from "../../src/models-auth/login.ts";
import { captureRuntime as capture } from "../support/capture-runtime.ts";
import { fakeOpenclawPerTest } from "../support/fake-openclaw.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { expectNoSecrets } from "../support/secrets.ts";

const CODE = "ac_SECRETcode0123456789";
const REDIRECT = `http://localhost:1455/auth/callback?code=${CODE}&scope=openid&state=st4te-abcdef123456`;
const fake = fakeOpenclawPerTest();
function assertNoRedirect(texts: string[]): void {
  const hay = texts.join("\n");
  expect(hay).not.toContain(CODE);
  expect(hay).not.toContain("localhost:1455/auth/callback?code");
  expectNoSecrets(hay, [CODE, REDIRECT]);
}

describe("login through a fake openclaw printing the real transcript shape", () => {
  it("device code: relays the verification URL and user code, then verifies the new profile", async () => {
    const f = fake({ userCode: "QRST-7788" }, { profiles: ["openai:alice@example.com"] });
    const events: LoginEvent[] = [];
    const s = await startLogin({
      profileName: "work@example.com",
      deviceCode: true,
      env: f.env,
      pty: "none",
      onEvent: (e) => events.push(e),
    });
    const r = await s.result;
    expect(events).toContainEqual({
      type: "device-code",
      verificationUrl: "https://auth.openai.com/codex/device",
      userCode: "QRST-7788",
    });
    expect(f.calls()).toContainEqual([
      "models",
      "auth",
      "login",
      "--provider",
      "openai",
      "--profile-id",
      "openai:work@example.com",
      "--device-code",
    ]);
    expect(r).toMatchObject({
      ok: true,
      profileId: "openai:work@example.com",
      profileStatus: "ok",
      newIds: ["openai:work@example.com"],
    });
    expect(exitCodeFor(r.outcome)).toBe(0);
    expect(r.notes.join(" ")).toMatch(/codex login.*revokes/);
  });

  it("an account already saved, logged in again unnamed: the profile whose credential was replaced", async () => {
    const profiles = ["openai:work@example.com", "openai:home@example.com"];
    const f = fake({ loginAccount: "work@example.com" }, { profiles });
    const s = await startLogin({ profileName: null, deviceCode: true, env: f.env, pty: "none" });
    const r = await s.result;
    expect(r).toMatchObject({ ok: true, outcome: "ok", profileId: "openai:work@example.com", newIds: [] });
    expect(f.state().profiles).toEqual(profiles);
  });

  // Not even when the child echoes the pasted URL back.
  it("browser: relays the authorize URL, passes the pasted redirect URL to the child, never shows it", async () => {
    const f = fake({ echoInput: true, loginAccount: "new@example.com" }, { profiles: [] });
    const events: LoginEvent[] = [];
    let session: Awaited<ReturnType<typeof startLogin>> | undefined;
    const prompted = new Promise<void>((resolve) => {
      void startLogin({
        env: f.env,
        pty: "none",
        onEvent: (e) => {
          events.push(e);
          if (e.type === "redirect-prompt") resolve();
        },
      }).then((s) => (session = s));
    });
    await prompted;
    await expect.poll(() => session).toBeDefined();
    session!.submitRedirect(REDIRECT);
    const r = await session!.result;
    expect(events.find((e) => e.type === "authorize-url")).toMatchObject({
      url: expect.stringMatching(/^https:\/\/auth\.openai\.com\/oauth\/authorize\?/),
    });
    expect(r).toMatchObject({ ok: true, profileId: "openai:new@example.com", newIds: ["openai:new@example.com"] });
    assertNoRedirect([JSON.stringify(events), JSON.stringify(r)]);
  });

  // Anywhere: neither stdout nor stderr holds the code or the redirect URL.
  it("codex_auth login (json): live instructions on stderr, one JSON result, no code or redirect URL", async () => {
    const f = fake({ echoInput: true }, { profiles: [] });
    const rt = capture();
    const code = await authCommand(["login", "--profile", "team"], rt, {
      env: { ...f.env, PATH: "/nonexistent" },
      readSecretLine: async () => REDIRECT,
    });
    expect(code).toBe(ExitCode.ok);
    expect(rt.all()).toMatch(/Open this URL in your browser/);
    expect(rt.json.at(-1)).toMatchObject({ action: "login", ok: true, profileId: "openai:team" });
    assertNoRedirect([rt.all()]);
  });

  // Its output is scrubbed, but the authorize URL is not a secret.
  it("scripts/codex_auth login prints the authorize URL whole", async () => {
    const f = fake({ echoInput: true }, { profiles: [] });
    const child = spawn(
      join(PROJECT_ROOT, "scripts", "codex_auth"),
      ["login", "--profile", "team", "--format", "text"],
      {
        env: { ...f.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
        stdio: ["pipe", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.stdin.end(`${REDIRECT}\n`);
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).toBe(ExitCode.ok);
    const authorizeUrl = /https:\/\/auth\.openai\.com\/oauth\/authorize\?response_type=code&\S+&state=\S+/;
    expect(out).toMatch(new RegExp(/Open this URL in your browser and sign in:\n/.source + authorizeUrl.source));
    expect(out).not.toContain("[redacted-url]");
    assertNoRedirect([out]);
  });

  it("on a terminal the pasted redirect URL is read with echo off: the terminal never shows the code", async () => {
    const f = fake({}, { profiles: [] });
    const transcript = join(f.env.FAKE_OPENCLAW_DIR!, "typescript");
    const command = `${join(PROJECT_ROOT, "scripts", "codex_auth")} login --profile team --format text`;
    const child = spawn("script", ["-qefc", command, transcript], {
      env: { ...f.env, PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let sent = false;
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
      if (!sent && /not shown or kept\): $/.test(out)) {
        sent = true;
        child.stdin.write(`${REDIRECT}\r`);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, out).toBe(ExitCode.ok);
    expect(f.state().profiles).toEqual(["openai:team"]);
    assertNoRedirect([out, readFileSync(transcript, "utf8")]);
  });

  it("codex_auth login ends at once with login_input_closed when its input closes at the paste prompt", async () => {
    const f = fake({}, { profiles: [] });
    const rt = capture();
    const started = Date.now();
    const code = await authCommand(["login", "--profile", "team", "--format", "json"], rt, {
      env: { ...f.env, PATH: "/nonexistent" },
      readSecretLine: async () => null,
    });
    expect(rt.json.at(-1)).toMatchObject({ action: "login", ok: false, error: { code: "login_input_closed" } });
    expect(code).not.toBe(ExitCode.ok);
    // The fake waits at its prompt until a line comes: without the fix this test times out.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(f.state().profiles).toEqual([]);
  });

  it("a redirect URL with a newline or without a code is refused and never written", async () => {
    const f = fake({}, { profiles: [] });
    let session: Awaited<ReturnType<typeof startLogin>> | undefined;
    await new Promise<void>((resolve) => {
      void startLogin({
        env: f.env,
        pty: "none",
        onEvent: (e) => {
          if (e.type === "redirect-prompt") resolve();
        },
      }).then((s) => (session = s));
    });
    await expect.poll(() => session).toBeDefined();
    expect(() => session!.submitRedirect(`${REDIRECT}\nsecond line`)).toThrow(InputError);
    expect(() => session!.submitRedirect("http://localhost:1455/auth/callback?state=x")).toThrow(InputError);
    session!.cancel();
    const r = await session!.result;
    expect(r.error?.code).toBe("login_cancelled");
    expect(f.state().profiles).toEqual([]);
  });

  it("a failed browser login whose child's error repeats the pasted URL is reported without it", async () => {
    const f = fake({ echoInput: true }, { profiles: [] });
    let session: Awaited<ReturnType<typeof startLogin>> | undefined;
    await new Promise<void>((resolve) => {
      void startLogin({
        env: f.env,
        pty: "none",
        onEvent: (e) => {
          if (e.type === "redirect-prompt") resolve();
        },
      }).then((s) => (session = s));
    });
    await expect.poll(() => session).toBeDefined();
    session!.submitRedirect(REDIRECT.replace("st4te-abcdef123456", "forged-state-1"));
    const r = await session!.result;
    expect(r.error?.code).toBe("login_failed");
    expect(r.error?.message).toMatch(/state mismatch$/);
    assertNoRedirect([JSON.stringify(r)]);
  });

  it("a failed login reports login_failed with exit 5 and saves nothing", async () => {
    const f = fake({ loginFails: true }, { profiles: [] });
    const s = await startLogin({ deviceCode: true, env: f.env, pty: "none" });
    const r = await s.result;
    expect(r).toMatchObject({ ok: false, error: { code: "login_failed" } });
    expect(exitCodeFor(r.outcome)).toBe(ExitCode.applyFailed);
    expect(r.error?.message).toMatch(/ENOTFOUND|failed/);
  });

  it("openclaw wants a terminal: plain pipes give login_needs_tty, the script(1) pseudo-terminal works", async () => {
    const noTty = fake({ requireTty: true }, { profiles: [] });
    const r1 = await (await startLogin({ deviceCode: true, env: noTty.env, pty: "none" })).result;
    expect(r1.error?.code).toBe("login_needs_tty");

    const tty = fake({ requireTty: true, userCode: "PTYX-0001" }, { profiles: [] });
    const events: LoginEvent[] = [];
    const r2 = await (
      await startLogin({
        profileName: "viapty",
        deviceCode: true,
        env: tty.env,
        pty: "script",
        onEvent: (e) => events.push(e),
      })
    ).result;
    expect(events).toContainEqual({
      type: "device-code",
      verificationUrl: "https://auth.openai.com/codex/device",
      userCode: "PTYX-0001",
    });
    expect(r2).toMatchObject({ ok: true, profileId: "openai:viapty" });
  });

  it("bad profile names are refused before spawning", async () => {
    const f = fake({}, { profiles: [] });
    await expect(startLogin({ profileName: "a;b", env: f.env })).rejects.toThrow(InputError);
    await expect(startLogin({ profileName: "--force", env: f.env })).rejects.toThrow(InputError);
    expect(f.calls()).toEqual([]);
  });
});
