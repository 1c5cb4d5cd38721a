import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The folder table of the README ("How it is built"), read from the import statements of src/: imports go
 * downward only, no cycle between folders, only src/openclaw-cli/ spawns processes, folders with a barrel are
 * entered through it, and the pure policy files reach no IO (not even through what they import).
 */
const SRC = resolve(dirname(fileURLToPath(import.meta.url)), "../../src");
const LAYERS = [
  "plugin",
  "cli",
  "chat",
  "rotation",
  "models-auth",
  "format",
  "usage",
  "profiles",
  "openclaw-cli",
  "openclaw",
  "errors",
  "secrets",
  "lib",
];
const BARRELED = ["errors", "models-auth", "openclaw-cli", "profiles"];
const PURE = [
  "usage/model.ts",
  "usage/normalize.ts",
  "usage/verdict.ts",
  "usage/profile-usage.ts",
  "usage/error-hints.ts",
  "usage/forecast.ts",
  "usage/history.ts",
  "rotation/rank.ts",
  "rotation/hysteresis.ts",
  "rotation/candidates.ts",
  "rotation/alerts.ts",
  "models-auth/plan.ts",
  "models-auth/set-plan.ts",
  "models-auth/status-report.ts",
  "models-auth/verify.ts",
  "profiles/effective-order.ts",
  "profiles/selection.ts",
  "profiles/store-layout.ts",
];
const IO = /^(node:(fs|fs\/promises|child_process|net|http|https|sqlite|readline|dgram|worker_threads)|ky|pino)$/;

interface Edge {
  from: string;
  /** A src-relative file, or a bare module specifier. */
  to: string;
  typeOnly: boolean;
}

/** The files of a folder whose names match, without what npm installed (node_modules). */
function sourceFiles(dir: string, names = /\.ts$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name === "node_modules"
      ? []
      : e.isDirectory()
        ? sourceFiles(join(dir, e.name), names)
        : names.test(e.name)
          ? [join(dir, e.name)]
          : [],
  );
}

/** `path:line` of each line longer than 120 characters, the path relative to `base`. */
const longLines = (files: string[], base: string): string[] =>
  files.flatMap((file) =>
    readFileSync(file, "utf8")
      .split("\n")
      .flatMap((line, i) => ([...line].length > 120 ? [`${relative(base, file)}:${i + 1}`] : [])),
  );

const IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s+)?["']([^"']+)["']/gm;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

function edgesOf(file: string): Edge[] {
  const text = readFileSync(file, "utf8");
  const from = relative(SRC, file);
  const to = (spec: string): string => (spec.startsWith(".") ? relative(SRC, resolve(dirname(file), spec)) : spec);
  return [
    ...[...text.matchAll(IMPORT)].map((m) => ({ from, to: to(m[2] as string), typeOnly: m[1] !== undefined })),
    ...[...text.matchAll(DYNAMIC)].map((m) => ({ from, to: to(m[1] as string), typeOnly: false })),
  ];
}

const files = sourceFiles(SRC);
const edges = files.flatMap(edgesOf);
const folderOf = (path: string): string => path.split("/")[0] as string;
const isLocal = (e: Edge): boolean => e.to.endsWith(".ts") || e.to.endsWith(".js") || e.to.endsWith(".json");
const crossing = edges.filter((e) => isLocal(e) && !e.to.startsWith("..") && folderOf(e.from) !== folderOf(e.to));

describe("the layers of src/", () => {
  it("every folder of src/ is in the table", () => {
    expect(new Set(files.map((f) => folderOf(relative(SRC, f)))).size).toBeGreaterThan(0);
    for (const f of files) expect(LAYERS, relative(SRC, f)).toContain(folderOf(relative(SRC, f)));
  });

  it("imports go downward only", () => {
    const upward = crossing.filter((e) => LAYERS.indexOf(folderOf(e.to)) < LAYERS.indexOf(folderOf(e.from)));
    expect(upward.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("no cycle between folders", () => {
    const next = new Map<string, Set<string>>();
    for (const e of crossing) next.set(folderOf(e.from), (next.get(folderOf(e.from)) ?? new Set()).add(folderOf(e.to)));
    const cycles: string[] = [];
    const walk = (folder: string, path: string[]): void => {
      if (path.includes(folder)) {
        cycles.push([...path.slice(path.indexOf(folder)), folder].join(" → "));
        return;
      }
      for (const n of next.get(folder) ?? []) walk(n, [...path, folder]);
    };
    for (const folder of next.keys()) walk(folder, []);
    expect(cycles).toEqual([]);
  });

  it("no line of src/ is longer than 120 characters (Biome wraps code, not strings or comments)", () => {
    // The generated schema checks (TypeBox's compiled code, *-checks.ts) are not written by hand.
    const handWritten = sourceFiles(SRC).filter((file) => !file.endsWith("-checks.ts"));
    expect(longLines(handWritten, SRC)).toEqual([]);
  });

  it("no line of tests/, bench/, tools/ or scripts/ is longer than 120 characters either", () => {
    const root = resolve(SRC, "..");
    const scripts = ["tests", "bench", "tools", "scripts"].flatMap((dir) =>
      sourceFiles(join(root, dir), /\.(ts|mts|mjs|js)$/),
    );
    expect(longLines(scripts, root)).toEqual([]);
  });

  it("only src/openclaw-cli/ imports node:child_process", () => {
    const spawners = edges.filter((e) => e.to === "node:child_process" || e.to === "child_process").map((e) => e.from);
    expect([...new Set(spawners)]).toEqual(["openclaw-cli/runner.ts"]);
  });

  it("folders with a barrel are entered through it", () => {
    const inner = crossing.filter((e) => BARRELED.includes(folderOf(e.to)) && !e.to.endsWith("/index.ts"));
    expect(inner.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it("the pure policy files reach no IO, directly or through what they import", () => {
    const runtime = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) runtime.set(e.from, [...(runtime.get(e.from) ?? []), e.to]);
    const reachesIo = (start: string): string[] => {
      const seen = new Set<string>();
      const found: string[] = [];
      const visit = (node: string, trail: string[]): void => {
        if (seen.has(node)) return;
        seen.add(node);
        for (const to of runtime.get(node) ?? []) {
          if (IO.test(to)) found.push([...trail, node, to].join(" → "));
          else if (isLocal({ from: node, to, typeOnly: false })) visit(to, [...trail, node]);
        }
      };
      visit(start, []);
      return found;
    };
    for (const file of PURE) {
      expect(
        files.map((f) => relative(SRC, f)),
        file,
      ).toContain(file);
      expect(reachesIo(file), file).toEqual([]);
    }
    // The check can fail: a reader of OpenClaw's store reaches the file system.
    expect(reachesIo("profiles/profile-source.ts").length).toBeGreaterThan(0);
  });
});
