import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { usageCommand } from "../../src/cli/usage-command.ts";
import { CodexProfilerError, StoreError } from "../../src/errors/index.ts";
import { CONFIG_FILE_CAP } from "../../src/lib/files.ts";
import { loadProfileSet } from "../../src/profiles/index.ts";
import { captureRuntime } from "../support/capture-runtime.ts";
import { legacyAuthProfiles } from "../support/fixtures.ts";

/**
 * A store, a config or an explicit --auth-path that is a FIFO, a device (/dev/zero, through a link), a folder or
 * a file over the size bound is refused at once, with a clear code and the path: no hang on the FIFO, no
 * unbounded read of /dev/zero. SQLite databases (and their -wal) get the in-place reader's own checks.
 * Without these guards the FIFO tests would hang until the test timeout.
 */
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

type Special = "fifo" | "dev-zero" | "folder" | "oversize";

/** Makes `path` the special file; `cap` is the size bound the reader applies to it. */
function makeSpecial(path: string, kind: Special, cap = 8 * 1024 * 1024): void {
  mkdirSync(dirname(path), { recursive: true });
  if (kind === "fifo") execFileSync("mkfifo", [path]);
  else if (kind === "dev-zero") symlinkSync("/dev/zero", path);
  else if (kind === "folder") mkdirSync(path);
  else {
    writeFileSync(path, "{}");
    truncateSync(path, cap + 1); // sparse: over the bound without writing megabytes
  }
}

const CODE: Record<Special, string> = {
  fifo: "not_a_file",
  "dev-zero": "not_a_file",
  folder: "not_a_file",
  oversize: "file_too_large",
};

function state(): { root: string; stateDir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), "cxp-special-"));
  roots.push(root);
  const stateDir = join(root, "state");
  mkdirSync(join(stateDir, "agents/main/agent"), { recursive: true });
  return { root, stateDir, env: { HOME: join(root, "home"), OPENCLAW_STATE_DIR: stateDir } };
}

async function refusal(run: () => Promise<unknown>): Promise<CodexProfilerError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof CodexProfilerError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const KINDS: Special[] = ["fifo", "dev-zero", "folder", "oversize"];

describe("special files are refused at once, with a code and the path", () => {
  it.each(KINDS)("the auth store auth-profiles.json as a %s", async (kind) => {
    const s = state();
    const path = join(s.stateDir, "agents/main/agent/auth-profiles.json");
    makeSpecial(path, kind);
    const error = await refusal(() => loadProfileSet({ env: s.env }));
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: CODE[kind], path });
    expect(error.message).toContain(path);
  });

  it.each(KINDS)("the config openclaw.json as a %s", async (kind) => {
    const s = state();
    writeFileSync(join(s.stateDir, "agents/main/agent/auth-profiles.json"), JSON.stringify(legacyAuthProfiles()));
    const path = join(s.stateDir, "openclaw.json");
    makeSpecial(path, kind, CONFIG_FILE_CAP);
    const error = await refusal(() => loadProfileSet({ env: s.env }));
    expect(error).toMatchObject({ code: CODE[kind], path });
    expect(error.message).toContain(path);
  });

  it.each(KINDS)("an explicit --auth-path as a %s, through codex_usage (exit 3, JSON error)", async (kind) => {
    const s = state();
    const path = join(s.root, "given.json");
    makeSpecial(path, kind);
    const rt = captureRuntime();
    await usageCommand(["--auth-path", path], rt, { env: s.env });
    expect(rt.code).toBe(3);
    expect(rt.json).toEqual([{ error: { code: CODE[kind], message: expect.stringContaining(path) } }]);
  });

  it.each(["fifo", "dev-zero", "folder"] as const)("the SQLite state database as a %s", async (kind) => {
    const s = state();
    const path = join(s.stateDir, "state/openclaw.sqlite");
    makeSpecial(path, kind);
    const error = await refusal(() => loadProfileSet({ env: s.env }));
    expect(error).toMatchObject({ code: "not_a_file", path });
    expect(error.message).toContain(path);
  });

  it("a FIFO where a database's -wal belongs", async () => {
    const s = state();
    const db = join(s.stateDir, "state/openclaw.sqlite");
    mkdirSync(dirname(db), { recursive: true });
    execFileSync(process.execPath, [
      "-e",
      `const { DatabaseSync } = require("node:sqlite"); const d = new DatabaseSync(${JSON.stringify(db)});` +
        `d.exec("PRAGMA journal_mode=WAL; CREATE TABLE t (k TEXT)"); d.close();`,
    ]);
    makeSpecial(`${db}-wal`, "fifo");
    const error = await refusal(() => loadProfileSet({ env: s.env }));
    expect(error).toMatchObject({ code: "not_a_file", path: db });
    expect(error.message).toContain(`${db}-wal`);
  });
});
