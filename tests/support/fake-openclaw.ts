import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach } from "vitest";
import { withRunGuard } from "./loopback-guard.ts";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "fake-openclaw-bin.mjs");

export interface FakeScenario {
  /**
   * "save-then-hang": `order set` saves, then hangs (a Gateway that never answers its refresh);
   * "locked-after-set": every read fails as a locked database once an order was set;
   * "set-fails": `order set` fails as a locked database and saves nothing.
   */
  mode?:
    | "ok"
    | "exit1"
    | "junk"
    | "hang"
    | "mismatch"
    | "migration"
    | "save-then-hang"
    | "locked-after-set"
    | "set-fails";
  version?: string;
  provider?: string;
  /** `order set` waits this long before it writes, as the real CLI's start-up does. */
  setDelayMs?: number;
  /** The order `order get` keeps reporting in "mismatch" mode. */
  staleOrder?: string[] | null;
  agents?: string[];
  noiseBeforeJson?: boolean;
  requireTty?: boolean;
  loginAccount?: string;
  userCode?: string;
  echoInput?: boolean;
  loginFails?: boolean;
  deviceDelayMs?: number;
}

export interface FakeOpenclaw {
  dir: string;
  bin: string;
  env: NodeJS.ProcessEnv;
  /** Every argv the fake was called with, in order. */
  calls(): string[][];
  state(): { order: string[] | null; profiles: string[] };
  remove(): void;
}

/** A fake `openclaw` executable (run on the current Node) with its own scenario and state. */
export function makeFakeOpenclaw(
  scenario: FakeScenario,
  initial: { order?: string[] | null; profiles?: string[] } = {},
): FakeOpenclaw {
  const dir = mkdtempSync(join(tmpdir(), "cxp-fake-oc-"));
  writeFileSync(join(dir, "scenario.json"), JSON.stringify(scenario));
  writeFileSync(
    join(dir, "state.json"),
    JSON.stringify({ order: initial.order ?? null, profiles: initial.profiles ?? [] }),
  );
  writeFileSync(join(dir, "calls.log"), "");
  const bin = join(dir, "openclaw");
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${SCRIPT}" "$@"\n`);
  chmodSync(bin, 0o755);
  return {
    dir,
    bin,
    env: withRunGuard({
      PATH: `${dir}:/usr/bin:/bin`,
      HOME: dir,
      OPENCLAW_BIN: bin,
      FAKE_OPENCLAW_DIR: dir,
      NO_COLOR: "1",
      TERM: "dumb",
    }),
    calls: () =>
      readFileSync(join(dir, "calls.log"), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as string[]),
    state: () =>
      JSON.parse(readFileSync(join(dir, "state.json"), "utf8")) as { order: string[] | null; profiles: string[] },
    remove: () => {
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A maker of fake openclaw binaries that are all removed after each test of the calling file. */
export function fakeOpenclawPerTest(): typeof makeFakeOpenclaw {
  const fakes: FakeOpenclaw[] = [];
  afterEach(() => {
    while (fakes.length) fakes.pop()?.remove();
  });
  return (...args) => {
    const f = makeFakeOpenclaw(...args);
    fakes.push(f);
    return f;
  };
}
