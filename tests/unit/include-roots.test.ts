import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { ConfigFileError } from "../../src/errors/index.ts";
import { readOpenclawConfig } from "../../src/openclaw/config-file.ts";
import { includeRootsOf } from "../../src/openclaw/config-includes.ts";
import { defaultAgentId } from "../../src/openclaw/default-agent.ts";
import { resolveIncludeRoots } from "../../src/openclaw/paths.ts";
import { readsIncludeRoots } from "../../src/openclaw/version.ts";
import { FIXTURE_ACCOUNTS, legacyAuthProfiles } from "../support/fixtures.ts";

/**
 * OPENCLAW_INCLUDE_ROOTS (OpenClaw 2026.4.29 and later): `$include` may also read files under those folders, as
 * the release's resolveIncludeRoots and IncludeProcessor do (tests/integration/include-roots.test.ts holds the
 * real binaries to the same result).
 */
const dirs: string[] = [];
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop() as string, { recursive: true, force: true });
});

const MARKED = `{ list: [{ id: "alpha" }, { id: "beta", default: true }] }`;

/** A root with state/openclaw.json = `config`, and `files` (path under the root → text). */
function layout(config: string, files: Record<string, string> = {}): { root: string; env: NodeJS.ProcessEnv } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), "cxp-roots-")));
  dirs.push(root);
  mkdirSync(join(root, "state"));
  writeFileSync(join(root, "state", "openclaw.json"), config);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, env: { HOME: join(root, "home"), OPENCLAW_STATE_DIR: join(root, "state") } };
}

/** The configured agent ids, or the refusal's kind and message. */
function read(env: NodeJS.ProcessEnv, version?: string): string[] | [string, string] {
  try {
    return readOpenclawConfig(join(env.OPENCLAW_STATE_DIR!, "openclaw.json"), { env, openclawVersion: version }).roster
      .ids;
  } catch (error) {
    if (!(error instanceof ConfigFileError)) throw error;
    return [error.problem.kind, error.message];
  }
}

describe("OPENCLAW_INCLUDE_ROOTS is read as OpenClaw reads it", () => {
  const env = { HOME: "/home/u", OPENCLAW_HOME: "/oc" };
  it.each([
    ["unset", undefined, []],
    ["blank", "  ", []],
    ["one absolute folder", "/srv/shared", ["/srv/shared"]],
    ["a list, blanks and repeats dropped", ` /a ${delimiter}${delimiter} /b/ ${delimiter}/a`, ["/a", "/b"]],
    ["~ against OpenClaw's home (OPENCLAW_HOME first)", `~/inc${delimiter}~`, ["/oc/inc", "/oc"]],
    ["a relative folder against the working directory", "shared/../inc", [resolve("inc")]],
    ["~name is no home", "~other/x", [resolve("~other/x")]],
  ])("%s", (_name, value, roots) => {
    expect(resolveIncludeRoots({ ...env, OPENCLAW_INCLUDE_ROOTS: value })).toEqual(roots);
  });

  it("only from 2026.4.29 (an unknown release is taken to read them)", () => {
    expect(
      [undefined, "2026.4.5", "2026.4.12", "2026.4.28", "2026.4.29", "OpenClaw 2026.5.28 (x)", "2026.9.6"].map(
        readsIncludeRoots,
      ),
    ).toEqual([true, false, false, false, true, true, true]);
    const set = { OPENCLAW_INCLUDE_ROOTS: "/srv/shared" };
    expect(includeRootsOf(set, "2026.9.6")).toEqual({ roots: ["/srv/shared"] });
    expect(includeRootsOf(set, "2026.4.12")).toEqual({ roots: [], unreadBy: "2026.4.12" });
    expect(includeRootsOf({}, "2026.4.12")).toEqual({ roots: [] });
  });
});

describe("$include under OPENCLAW_INCLUDE_ROOTS", () => {
  const config = (spec: string) => `{"agents":{"$include":${JSON.stringify(spec)}}}`;

  it("follows an absolute or relative path into a root, and a nested include relative to that file", () => {
    for (const spec of ["ROOT/shared/agents.json5", "../shared/agents.json5"]) {
      const { root, env } = layout(config("x"), {
        "shared/agents.json5": `{ $include: "./sub/list.json5" }`,
        "shared/sub/list.json5": MARKED,
      });
      writeFileSync(join(root, "state", "openclaw.json"), config(spec.replace("ROOT", root)));
      expect(read(env)).toEqual(["shape", expect.stringMatching(/leaves the config folder/)]);
      const withRoots = { ...env, OPENCLAW_INCLUDE_ROOTS: join(root, "shared") };
      expect(read(withRoots)).toEqual(["alpha", "beta"]);
      expect(read(withRoots, "2026.9.6")).toEqual(["alpha", "beta"]);
      expect(defaultAgentId(withRoots, "2026.5.28")).toBe("beta");
    }
  });

  it("a config nested thousands of levels deep (damaged or hostile) is refused as a shape, no stack overflow", () => {
    const deep = (n: number, inner: string) => `{"x":${'{"a":'.repeat(n)}${inner}${"}".repeat(n + 1)}`;
    for (const config of [deep(12_000, "1"), `// JSON5\n${deep(12_000, "1")}`, deep(12_000, '{"$include":"x.json"}')]) {
      const [kind, message] = read(layout(config).env) as [string, string];
      expect(kind).toBe("shape");
      expect(message).toMatch(/nested more than 512 levels deep/);
    }
    const { env } = layout(`{agents:{list:[{id:"a"}]}, x:${deep(400, '{"$include":"inc.json"}')}}`, {
      "state/inc.json": "{}",
    });
    expect(read(env)).toEqual(["a"]);
  });

  it("a refusal shows control characters of a path escaped: a newline in it never makes a line of its own", () => {
    const { root, env } = layout(config("../x\nfake line\u0000"));
    const [kind, message] = read({ ...env, OPENCLAW_INCLUDE_ROOTS: `${join(root, "a\nb")}` }) as [string, string];
    expect(kind).toBe("shape");
    expect(message).not.toMatch(/\p{Cc}/u);
    expect(message).toContain(String.raw`$include "../x\u000afake line\u0000"`);
    expect(message).toContain(`folders ${join(root, "a")}\\u000ab`);
  });

  it("refuses, naming OPENCLAW_INCLUDE_ROOTS, a path outside the config folder and every root", () => {
    const { root, env } = layout(config("../other/agents.json5"), { "other/agents.json5": MARKED });
    const unset = read(env);
    expect(unset).toEqual(["shape", expect.stringContaining("only where OPENCLAW_INCLUDE_ROOTS names them")]);
    const roots = `${join(root, "shared")}${delimiter}${join(root, "oth")}`;
    expect(read({ ...env, OPENCLAW_INCLUDE_ROOTS: roots })).toEqual([
      "shape",
      expect.stringContaining(`and the OPENCLAW_INCLUDE_ROOTS folders ${join(root, "shared")}, ${join(root, "oth")}`),
    ]);
  });

  it("20,000 roots (about the 128 KiB one variable can hold): no wait, and a refusal names a few", () => {
    const { root, env } = layout(config("../other/agents.json5"), { "other/agents.json5": MARKED });
    const many = Array.from({ length: 20_000 }, (_, i) => `/r${i.toString(36)}`);
    const started = Date.now();
    const refused = read({ ...env, OPENCLAW_INCLUDE_ROOTS: many.join(delimiter) });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(refused).toEqual([
      "shape",
      expect.stringContaining(`folders ${many.slice(0, 5).join(", ")} and 19995 more`),
    ]);
    expect(refused[1]!.length).toBeLessThan(1_000);
    const followed = { ...env, OPENCLAW_INCLUDE_ROOTS: [...many, join(root, "other")].join(delimiter) };
    expect(read(followed)).toEqual(["alpha", "beta"]);
  });

  it("a release before 2026.4.29 refuses it, and says so; so does the plugin on such a host", async () => {
    const { root, env } = layout(config("../shared/agents.json5"), {
      "shared/agents.json5": MARKED,
      "state/agents/beta/agent/auth-profiles.json": JSON.stringify(
        legacyAuthProfiles({ accounts: FIXTURE_ACCOUNTS.slice(0, 1) }),
      ),
    });
    const withRoots = { ...env, OPENCLAW_INCLUDE_ROOTS: join(root, "shared") };
    expect(read(withRoots, "2026.4.12")).toEqual([
      "shape",
      expect.stringContaining("OpenClaw 2026.4.12 does not read OPENCLAW_INCLUDE_ROOTS (2026.4.29 and later do)"),
    ]);
    const load = (version: string) => realServices(parseSettings({}), withRoots, { version }).loadProfiles({});
    expect((await load("2026.5.28")).location.agentId).toBe("beta");
    await expect(load("2026.4.12")).rejects.toMatchObject({ code: "config_invalid" });
  });

  it("checks links once resolved: out of every folder refused, into another allowed folder followed", () => {
    const { root, env } = layout(config("../shared/out.json5"), { "other/agents.json5": MARKED, "shared/x": "" });
    symlinkSync(join(root, "other/agents.json5"), join(root, "shared/out.json5"));
    const withRoots = { ...env, OPENCLAW_INCLUDE_ROOTS: join(root, "shared") };
    expect(read(withRoots)).toEqual([
      "shape",
      expect.stringContaining(`is a link to ${join(root, "other/agents.json5")}, which leaves the config folder`),
    ]);
    // A link in the config folder is followed where it resolves into a root (here named through a link itself).
    writeFileSync(join(root, "state", "openclaw.json"), config("./in.json5"));
    symlinkSync(join(root, "other/agents.json5"), join(root, "state/in.json5"));
    symlinkSync(join(root, "other"), join(root, "alias"));
    expect(read(withRoots)[0]).toBe("shape");
    expect(read({ ...env, OPENCLAW_INCLUDE_ROOTS: join(root, "alias") })).toEqual(["alpha", "beta"]);
  });

  it("keeps the bounds across roots: a cycle through a root is refused", () => {
    const { root, env } = layout(config("../shared/a.json5"), {
      "shared/a.json5": `{ $include: "../state/b.json5" }`,
      "state/b.json5": `{ $include: "../shared/a.json5" }`,
    });
    expect(read({ ...env, OPENCLAW_INCLUDE_ROOTS: join(root, "shared") })).toEqual([
      "shape",
      expect.stringMatching(/\$include cycle: .*a\.json5 -> .*b\.json5 -> .*a\.json5/),
    ]);
  });
});
