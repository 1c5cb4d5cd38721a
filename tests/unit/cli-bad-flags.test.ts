import { describe, expect, it } from "vitest";
import { parseAuthCliArgs } from "../../src/cli/auth-args.ts";
import { authCommand } from "../../src/cli/auth-command.ts";
import { ExitCode } from "../../src/cli/exit-codes.ts";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { rotateCommand } from "../../src/cli/rotate-command.ts";
import { usageCommand } from "../../src/cli/usage-command.ts";
import { captureRuntime } from "../support/capture-runtime.ts";
import { fakeAccessToken, jwtPayloadSegment } from "../support/fake-jwt.ts";
import { expectNoSecrets } from "../support/secrets.ts";

const token = fakeAccessToken({ accountId: "acc-1", userId: "user-1", email: "a@example.com", exp: 2_000_000_000 });
// The last: 39 characters from the middle of the payload, too short and plain for the redactor.
const pasted = [
  token,
  token.slice(0, 190),
  "rt_SECRETrefresh0123456789",
  "ac_SECRETcode0123456789",
  jwtPayloadSegment(token).slice(20, 59),
];
// Bad flags answer before anything is read or sent: an empty env is enough.
const deps = { env: {} };

describe("bad flags: a JSON error when JSON is the format, and never the pasted value", () => {
  it("codex_usage answers bad flags in JSON (default, --format json) and in text with --format text", async () => {
    for (const argv of [["--bogus"], ["--format", "json", "--retries", "x"], ["--format=json", "stray"]]) {
      const rt = captureRuntime();
      await usageCommand(argv, rt, deps);
      expect(rt.code, argv.join(" ")).toBe(ExitCode.badInput);
      expect(rt.json, argv.join(" ")).toEqual([{ error: { code: "bad_flags", message: expect.any(String) } }]);
      expect(rt.out).toEqual([]);
    }
    const rt = captureRuntime();
    await usageCommand(["--format", "text", "--bogus"], rt, deps);
    expect(rt.json).toEqual([]);
    expect(rt.err.join("\n")).toMatch(/^codex_usage: Unknown option "--bogus"/);
  });

  it("codex_rotate answers in text by default and in JSON with --format json", async () => {
    const rt = captureRuntime();
    await rotateCommand(["plan", "--format", "json", "--bogus"], rt, deps);
    expect(rt.code).toBe(ExitCode.badInput);
    expect(rt.json).toEqual([{ error: { code: "bad_flags", message: expect.any(String) } }]);
  });

  it("names our own option as is, says how to pass a value starting with a dash, refuses an empty path", async () => {
    const message = async (argv: string[]) => {
      const rt = captureRuntime();
      await usageCommand(["--format", "text", ...argv], rt, deps);
      expect(rt.code, argv.join(" ")).toBe(ExitCode.badInput);
      return rt.err.join("\n");
    };
    expect(await message(["--timeout-sec"])).toMatch(/^codex_usage: Option "--timeout-sec <value>" argument missing$/m);
    expect(await message(["--auth-path", "-x.json"])).toContain(
      'Option "--auth-path" argument is ambiguous; give a value that starts with "-" as --option=value',
    );
    expect(await message(["--auth-path", " "])).toContain("--auth-path is empty");
    expect(await message(["--auth-path", "a.json", "--agent", "work"])).toContain("leave out --agent");
  });

  it("only codex_usage, which takes --auth-path, offers it when there is no state", async () => {
    const env = { OPENCLAW_STATE_DIR: "/nonexistent/codex-profiler-state" };
    const usage = captureRuntime();
    await usageCommand(["--format", "json"], usage, { env });
    expect(usage.json[0]).toMatchObject({
      error: { code: "state_not_found", message: expect.stringContaining("--auth-path") },
    });
    const rotate = captureRuntime();
    await rotateCommand(["plan", "--format", "json"], rotate, { env });
    expect(rotate.json[0]).toMatchObject({ error: { code: "state_not_found" } });
    expect(JSON.stringify(rotate.json)).not.toContain("--auth-path");
  });

  it("codex_rotate refuses a flag its action does not use (a forgotten verb is not a silent plan)", async () => {
    for (const argv of [
      ["--yes"],
      ["plan", "--yes"],
      ["job", "run", "--yes"],
      ["job", "status", "--quiet"],
      ["alerts", "run", "--policy", "headroom"],
      ["models", "--primary", "openai/gpt-6", "--every", "5m"],
      ["apply", "--primary", "openai/gpt-6", "--yes"],
    ]) {
      const rt = captureRuntime();
      await rotateCommand([...argv, "--format", "json"], rt, deps);
      expect(rt.code, argv.join(" ")).toBe(ExitCode.badInput);
      expect(rt.json, argv.join(" ")).toEqual([
        { error: { code: "bad_flags", message: expect.stringContaining("does not use --") } },
      ]);
    }
    for (const argv of [
      ["apply", "--yes", "--if-better", "--margin", "5", "--policy", "headroom", "--agent", "main"],
      ["job", "run", "--agent", "main", "--policy", "expiry-first", "--margin", "15"],
      ["job", "install", "--yes", "--every", "1h", "--quiet", "--margin", "5", "--policy", "headroom"],
      ["alerts", "install", "--yes", "--every", "10m", "--quiet"],
      ["models", "--primary", "openai/gpt-6", "--fallbacks", "a/b", "--yes"],
      ["plan", "--yes", "--help"],
    ])
      expect(() => parseRotateArgs(argv), argv.join(" ")).not.toThrow();
  });

  it("codex_auth reads the format of bad input from --format alone, as the other CLIs do", async () => {
    for (const [argv, json] of [
      [["status", "--format=text", "--bogus"], false],
      [["status", "--format", "text", "--bogus"], false],
      [["first", "text", "--bogus"], true], // a profile named "text" is not a format
      [["--bogus"], true],
    ] as const) {
      const rt = captureRuntime();
      await authCommand([...argv], rt, deps);
      expect(rt.code, argv.join(" ")).toBe(ExitCode.badInput);
      expect(rt.json.length, argv.join(" ")).toBe(json ? 1 : 0);
    }
  });

  it("codex_auth says a failure in text on stderr like the other CLIs, from the flags or from a run", async () => {
    for (const argv of [
      ["retire", "--format", "text"],
      ["order", "set", "--format", "text"],
      ["status", "--format", "text"],
    ]) {
      const rt = captureRuntime();
      await authCommand(argv, rt, { env: { OPENCLAW_BIN: "/nonexistent/openclaw", PATH: "/nonexistent" } });
      expect(rt.code, argv.join(" ")).not.toBe(ExitCode.ok);
      expect(rt.out, argv.join(" ")).toEqual([]);
      expect(rt.err.join("\n"), argv.join(" ")).toMatch(/^error \((missing_argument|openclaw_not_found)\): /);
    }
  });

  it("codex_auth refuses a flag its operation does not use, with the bad-flag code, before anything runs", async () => {
    for (const argv of [
      ["status", "--yes"],
      ["status", "-y"],
      ["doctor", "--force"],
      ["order", "show", "--hard"],
      ["order", "clear", "--force"],
      ["restore", "openai:bob", "--force"],
      ["retire", "openai:bob", "--hard"],
      ["login", "--yes"],
      ["order", "set", "openai:bob", "--profile", "bob"],
      ["delete", "openai:bob", "--hard", "--device-code"],
    ]) {
      const rt = captureRuntime();
      await authCommand(argv, rt, deps);
      expect(rt.code, argv.join(" ")).toBe(ExitCode.badInput);
      expect(rt.json, argv.join(" ")).toEqual([
        {
          ok: false,
          exitCode: 2,
          error: { code: "unknown_option", message: expect.stringContaining("does not use --") },
        },
      ]);
    }
  });

  it("codex_auth accepts each operation's own flags and the common ones", () => {
    for (const argv of [
      ["status", "--agent", "main", "--format", "text", "--timeout-sec", "5", "--debug"],
      ["order", "set", "openai:bob", "--yes", "--force"],
      ["order", "clear", "--yes"],
      ["retire", "openai:bob", "--yes", "--force"],
      ["restore", "openai:bob", "--yes"],
      ["delete", "openai:bob", "--hard", "--yes", "--force"],
      ["login", "--profile", "bob", "--device-code"],
      ["status", "--yes", "--help"],
    ])
      expect(() => parseAuthCliArgs(argv), argv.join(" ")).not.toThrow();
  });

  it("describes a pasted token, code or JWT piece given as a flag value or argument, never repeating it", async () => {
    for (const value of pasted) {
      for (const argv of [[value], ["--format", value], ["--timeout-sec", value], [`--${value}`]]) {
        const rt = captureRuntime();
        await usageCommand(argv, rt, deps);
        expect(rt.code).toBe(ExitCode.badInput);
        expectNoSecrets(rt.all(), [value]);
        expect(rt.all()).not.toMatch(/SECRET|eyJ/);
        expect(rt.all()).toMatch(/looks like a token or OAuth code; it was not shown/);
      }
    }
  });
});
