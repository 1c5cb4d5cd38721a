import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileBounded, readTextBounded } from "../../src/lib/files.ts";

/** The one bounded read: regular files only, a size cap, never blocking, never unbounded memory. */
let dir: string;
let server: Server | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cxp-files-"));
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("readFileBounded", () => {
  it("reads a regular file, without a byte-order mark as text", () => {
    const path = join(dir, "ok.json");
    writeFileSync(path, '\ufeff{"a":1}');
    expect(readTextBounded(path, 1024)).toEqual({ ok: true, text: '{"a":1}' });
    const raw = readFileBounded(path, 1024);
    expect(raw.ok && raw.bytes.length).toBe(10);
  });

  it("reports a missing file as file_not_found", () => {
    expect(readFileBounded(join(dir, "absent.json"), 1024)).toMatchObject({ ok: false, code: "file_not_found" });
    expect(readFileBounded(join(dir, "absent", "below.json"), 1024)).toMatchObject({
      ok: false,
      code: "file_not_found",
    });
  });

  it("refuses a FIFO without blocking on it", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(readFileBounded(fifo, 1024)).toMatchObject({ ok: false, code: "file_not_regular", detail: "a FIFO" });
  });

  it("refuses /dev/zero and a symlink to it, reading nothing", () => {
    expect(readFileBounded("/dev/zero", 1024)).toMatchObject({
      ok: false,
      code: "file_not_regular",
      detail: "a device",
    });
    const link = join(dir, "auth-profiles.json");
    symlinkSync("/dev/zero", link);
    expect(readFileBounded(link, 1024)).toMatchObject({ ok: false, code: "file_not_regular", detail: "a device" });
  });

  it("refuses a directory and a socket", async () => {
    const folder = join(dir, "openclaw.json");
    mkdirSync(folder);
    expect(readFileBounded(folder, 1024)).toMatchObject({ ok: false, code: "file_not_regular", detail: "a folder" });
    const socket = join(dir, "sock");
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(socket, resolve));
    expect(readFileBounded(socket, 1024)).toMatchObject({ ok: false, code: "file_not_regular", detail: "a socket" });
  });

  it("refuses a file over the cap, and reads one exactly at it", () => {
    const big = join(dir, "big.json");
    writeFileSync(big, Buffer.alloc(4097, 0x61));
    expect(readFileBounded(big, 4096)).toMatchObject({ ok: false, code: "file_too_large" });
    const exact = join(dir, "exact.json");
    writeFileSync(exact, Buffer.alloc(4096, 0x61));
    const read = readFileBounded(exact, 4096);
    expect(read.ok && read.bytes.length).toBe(4096);
  });

  it("reports an unreadable file as file_unreadable", () => {
    const locked = join(dir, "locked.json");
    writeFileSync(locked, "{}", { mode: 0o000 });
    const read = readFileBounded(locked, 1024);
    // root reads it anyway; anyone else gets the refusal, never a throw.
    if (process.getuid?.() === 0) expect(read.ok).toBe(true);
    else expect(read).toMatchObject({ ok: false, code: "file_unreadable", detail: "EACCES" });
  });

  it("reads a file another process keeps replacing by rename: always one whole version, never a refusal", async () => {
    // Found by review: a rename between the stat and the open read as "not a regular file", and the history
    // and rotation state were then written back empty.
    const file = join(dir, "renamed.json");
    writeFileSync(file, "{}");
    const writer = spawn(process.execPath, [
      "-e",
      `const fs = require("node:fs"); const end = Date.now() + 1500; let n = 0;
       while (Date.now() < end) { fs.writeFileSync(${JSON.stringify(file)} + ".tmp", JSON.stringify({ n: n++ }));
         fs.renameSync(${JSON.stringify(file)} + ".tmp", ${JSON.stringify(file)}); }`,
    ]);
    const exited = new Promise((resolve) => writer.on("exit", resolve));
    const failures = new Set<string>();
    let reads = 0;
    while (writer.exitCode === null) {
      for (let i = 0; i < 200; i++, reads++) {
        const read = readTextBounded(file, 1024);
        if (!read.ok) failures.add(`${read.code}: ${read.detail}`);
        else JSON.parse(read.text);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await exited;
    expect(reads).toBeGreaterThan(1000);
    expect([...failures]).toEqual([]);
  });
});
