import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withInstalledRelease } from "../../src/cli/installed-release.ts";

const dir = mkdtempSync(join(tmpdir(), "cxp-release-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("asking the installed release", () => {
  it("a hang of `openclaw --version` costs seconds, not a minute: the read goes on without its release", async () => {
    const bin = join(dir, "openclaw");
    writeFileSync(bin, "#!/bin/sh\nexec sleep 3600\n");
    chmodSync(bin, 0o755);
    const env = { PATH: process.env.PATH, OPENCLAW_BIN: bin, OPENCLAW_INCLUDE_ROOTS: dir };
    expect(await withInstalledRelease(env, async (version) => version ?? "not asked")).toBe("not asked");
  }, 40_000); // before, 60 s: the runner's default deadline
});
