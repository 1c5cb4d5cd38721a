import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { OpenclawCli } from "../../src/openclaw-cli/runner.ts";
import { scriptArgs, splitLines } from "../../src/openclaw-cli/terminal-lines.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";

/** The runner's process handling against real child processes: shell scripts standing in for openclaw. */
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

function fakeBin(body: string): { bin: string; pid: (name: string) => number } {
  const dir = mkdtempSync(join(tmpdir(), "cxp-runner-"));
  dirs.push(dir);
  const bin = join(dir, "openclaw");
  writeFileSync(bin, `#!/bin/bash\ncd "${dir}"\n${body}\n`);
  chmodSync(bin, 0o755);
  return { bin, pid: (name) => Number(readFileSync(join(dir, name), "utf8").trim()) };
}

/** Running: not gone and not a zombie (a killed orphan may wait unreaped under a container's init). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^Z/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
}

/** Whether the process still runs after up to 3 s of waiting for a kill to take effect. */
async function stillRunning(pid: number): Promise<boolean> {
  for (let i = 0; i < 30 && running(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
  return running(pid);
}

const settledWithin = <T>(p: Promise<T>, ms: number): Promise<T | "not settled"> =>
  Promise.race([p, new Promise<"not settled">((r) => setTimeout(() => r("not settled"), ms))]);

describe("runPlain and the process group", () => {
  it("openclaw exited but its helper holds stdout: the exit status, not a timeout, and the helper killed", async () => {
    const f = fakeBin(`echo '{"order":null}'\nsleep 30 &\necho $! > helper.pid\nexit 3`);
    const cli = new OpenclawCli({ bin: f.bin, timeoutMs: 10_000 });
    const res = await cli.runPlain(["models", "auth", "order", "get", "--json"]);
    expect(res.exitCode).toBe(3);
    expect(res.stdout).toBe('{"order":null}\n');
    expect(await stillRunning(f.pid("helper.pid"))).toBe(false);
  });

  it("a deadline kills the whole group, the helpers with openclaw", async () => {
    const f = fakeBin(`sleep 30 &\necho $! > helper.pid\necho $$ > leader.pid\nwait`);
    const cli = new OpenclawCli({ bin: f.bin, timeoutMs: 1_000 });
    await expect(cli.runPlain(["models", "auth", "order", "get"])).rejects.toMatchObject({ code: "openclaw_timeout" });
    expect(await stillRunning(f.pid("leader.pid"))).toBe(false);
    expect(await stillRunning(f.pid("helper.pid"))).toBe(false);
  });
});

describe("output decoded as a stream", () => {
  it("a character whose bytes arrive in two reads stays whole, in plain and in terminal lines", async () => {
    const f = fakeBin(`printf '{"order":["openai:jos\\303'; sleep 0.3; printf '\\251"]}\\n'`);
    const cli = new OpenclawCli({ bin: f.bin, timeoutMs: 10_000 });
    const res = await cli.runPlain(["models", "auth", "order", "get", "--json"]);
    expect(res.stdout).toBe('{"order":["openai:josé"]}\n');
    const lines: string[] = [];
    const stream = new PassThrough();
    splitLines([stream], (l) => lines.push(l), undefined);
    stream.write(Buffer.from([0x6a, 0x6f, 0x73, 0xc3]));
    stream.end(Buffer.from([0xa9, 0x0a]));
    await new Promise((r) => stream.on("end", r));
    expect(lines).toEqual(["josé"]);
  });
});

describe("script(1)'s arguments per platform", () => {
  const words = ["/bin/printf", "%s|%s", "it's $HOME", "a;b"];
  const shOutput = (command: string): Promise<string> =>
    new Promise((resolve) => {
      const child = spawn("/bin/sh", ["-c", command], { stdio: ["ignore", "pipe", "ignore"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("close", () => resolve(out));
    });

  it("util-linux's script runs one -c command line; the BSD script of macOS a command after the file", async () => {
    const linux = scriptArgs(words, "linux");
    expect([linux[0], linux[2]]).toEqual(["-qefc", "/dev/null"]);
    const mac = scriptArgs(words, "darwin");
    expect(mac.slice(0, 4)).toEqual(["-q", "/dev/null", "/bin/sh", "-c"]);
    // Either way /bin/sh gets the same line, which runs the words as they are, quoting and all.
    expect(mac[4]).toBe(linux[1]);
    expect(await shOutput(mac[4] as string)).toBe("it's $HOME|a;b");
  });
});

// Ignored signals are inherited: the background helper ignores SIGTERM too.
const STUBBORN = `trap '' TERM\necho $$ > leader.pid\nsleep 30 &\necho $! > helper.pid\necho started\nwait\nsleep 30`;

describe("startTerminal stops a child that ignores SIGTERM", () => {
  const start = (pty: "none" | "script", timeoutMs: number) => {
    const f = fakeBin(STUBBORN);
    let started: () => void = () => {};
    const ready = new Promise<void>((r) => {
      started = r;
    });
    const onLine = (line: string): void => {
      if (line.includes("started")) started();
    };
    const t = new OpenclawCli({ bin: f.bin }).startTerminal(["models", "auth", "login"], { pty, timeoutMs, onLine });
    return { f, t, ready };
  };

  it.each(["none", "script"] as const)(
    "pty %s: a timeout settles as timeout with nothing left running",
    async (pty) => {
      const { f, t, ready } = start(pty, 1_000);
      await ready;
      expect(await settledWithin(t.exited, 15_000)).toEqual({ kind: "timeout" });
      expect(t.running).toBe(false);
      expect(await stillRunning(f.pid("leader.pid"))).toBe(false);
      expect(await stillRunning(f.pid("helper.pid"))).toBe(false);
    },
  );

  it.each(["none", "script"] as const)(
    "pty %s: a cancel settles as cancelled with nothing left running",
    async (pty) => {
      const { f, t, ready } = start(pty, 60_000);
      await ready;
      t.cancel();
      expect(await settledWithin(t.exited, 15_000)).toEqual({ kind: "cancelled" });
      expect(t.running).toBe(false);
      expect(await stillRunning(f.pid("leader.pid"))).toBe(false);
      expect(await stillRunning(f.pid("helper.pid"))).toBe(false);
    },
  );
});

describe("a login does not outlive the process that started it", () => {
  it.each(["none", "script"] as const)(
    "pty %s: the Gateway exits mid-login; openclaw and its helper are stopped with it",
    async (pty) => {
      const f = fakeBin(STUBBORN);
      const child = spawn(process.execPath, [join(PROJECT_ROOT, "tests/support/terminal-exit-child.ts"), f.bin, pty], {
        stdio: "ignore",
      });
      expect(await new Promise((resolve) => child.on("exit", resolve))).toBe(0);
      expect(await stillRunning(f.pid("leader.pid"))).toBe(false);
      expect(await stillRunning(f.pid("helper.pid"))).toBe(false);
    },
  );

  it("a login that ended leaves no exit listener behind", async () => {
    const before = process.listenerCount("exit");
    const f = fakeBin("echo started");
    const cli = new OpenclawCli({ bin: f.bin });
    const runs = [0, 1].map(() =>
      cli.startTerminal(["models", "auth", "login"], { pty: "none", timeoutMs: 10_000, onLine: () => {} }),
    );
    expect(process.listenerCount("exit")).toBe(before + 1);
    await Promise.all(runs.map((t) => t.exited));
    expect(process.listenerCount("exit")).toBe(before);
  });
});

describe("failures that pass", () => {
  it("a failed --version is not kept: the next call asks openclaw again", async () => {
    const f = fakeBin(`if [ ! -f once ]; then touch once; echo transient >&2; exit 1; fi\necho "OpenClaw 2026.9.6"`);
    const cli = new OpenclawCli({ bin: f.bin, timeoutMs: 10_000 });
    await expect(cli.version()).rejects.toMatchObject({ code: expect.any(String) });
    await expect(cli.version()).resolves.toMatchObject({ year: 2026, month: 9 });
  });

  it("a line sent after openclaw closed its stdin is lost, not an uncaught EPIPE: the exit is reported", async () => {
    const f = fakeBin(`exec 0<&-\necho closed\nsleep 0.5\nexit 1`);
    let closed: () => void = () => {};
    const ready = new Promise<void>((r) => {
      closed = r;
    });
    const t = new OpenclawCli({ bin: f.bin }).startTerminal(["models", "auth", "login"], {
      pty: "none",
      timeoutMs: 10_000,
      onLine: (line) => line === "closed" && closed(),
    });
    await ready;
    t.sendLine("http://localhost:1455/auth/callback?code=ac_abcdefghijkl&state=st4te");
    expect(await settledWithin(t.exited, 10_000)).toEqual({ kind: "exit", code: 1 });
  });
});
