import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withFileLock } from "../../src/lib/file-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "cxp-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const lockPath = () => {
  mkdirSync(join(dir, `l${++n}`));
  return join(dir, `l${n}`, "change.lock");
};
const quick = { waitMs: 2_000, staleMs: 60_000, pollMs: 10 };
const tryNow = (path: string) =>
  withFileLock(
    path,
    { ...quick, waitMs: 0 },
    async () => "ran",
    () => "busy",
  );
/** The pid of a process that has exited. */
const deadPid = (): string =>
  execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withFileLock", () => {
  it("runs one holder at a time: the second starts once the first is done, and the lock is gone after", async () => {
    const path = lockPath();
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(
        path,
        quick,
        async () => {
          events.push(`${name} in`);
          await sleep(100);
          events.push(`${name} out`);
          return name;
        },
        () => "busy",
      );
    expect(await Promise.all([holder("a"), holder("b")])).toEqual(["a", "b"]);
    expect(events).toEqual(["a in", "a out", "b in", "b out"]);
    expect(existsSync(path)).toBe(false);
  });

  it("a holder that keeps it past the wait: busy, and the work is not run; the holder's lock stays", async () => {
    const path = lockPath();
    let ran = false;
    let done: () => void = () => {};
    const held = withFileLock(
      path,
      quick,
      () => new Promise<void>((r) => (done = r)),
      () => {},
    );
    const waiter = await withFileLock(
      path,
      { ...quick, waitMs: 100 },
      async () => {
        ran = true;
      },
      () => "busy",
    );
    expect([waiter, ran, existsSync(path)]).toEqual(["busy", false, true]);
    done();
    await held;
    expect(existsSync(path)).toBe(false);
  });

  it("takes over a lock whose holder is gone, and one older than staleMs (a holder that hangs)", async () => {
    const gone = lockPath();
    writeFileSync(gone, `${deadPid()} 0 x`);
    expect(await tryNow(gone)).toBe("ran");
    const hung = lockPath();
    writeFileSync(hung, `${process.pid} 0 x`);
    const old = new Date(Date.now() - 120_000);
    utimesSync(hung, old, old);
    expect(await tryNow(hung)).toBe("ran");
    // A live holder's fresh lock is not taken.
    writeFileSync(hung, `${process.pid} 0 x`);
    expect(await tryNow(hung)).toBe("busy");
    rmSync(hung);
  });

  it("one waiter at a time takes over a dead holder's lock: not while another's takeover guard is held", async () => {
    const path = lockPath();
    const dead = `${deadPid()} 0 x`;
    const guard = `${path}.takeover`;
    writeFileSync(path, dead);
    writeFileSync(guard, String(process.pid));
    expect(await tryNow(path)).toBe("busy");
    expect(readFileSync(path, "utf8")).toBe(dead);
    // A guard whose waiter is gone, or one older than 10 s, is removed, and the lock is then taken over.
    for (const leftBehind of ["dead", "old"]) {
      writeFileSync(path, dead);
      writeFileSync(guard, leftBehind === "dead" ? deadPid() : String(process.pid));
      if (leftBehind === "old") utimesSync(guard, new Date(Date.now() - 20_000), new Date(Date.now() - 20_000));
      expect(
        await withFileLock(
          path,
          quick,
          async () => "ran",
          () => "busy",
        ),
        leftBehind,
      ).toBe("ran");
      expect([existsSync(path), existsSync(guard)]).toEqual([false, false]);
    }
  });

  it("a lock that cannot be made (its folder is a file) does not refuse the work", async () => {
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    expect(
      await withFileLock(
        join(file, "change.lock"),
        quick,
        async () => "ran",
        () => "busy",
      ),
    ).toBe("ran");
  });
});
