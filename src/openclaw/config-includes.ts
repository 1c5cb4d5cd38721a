import { dirname, isAbsolute, normalize, relative, resolve } from "node:path";
import { ConfigFileError } from "../errors/index.ts";
import { readTextBounded } from "../lib/files.ts";
import { type Env, resolveIncludeRoots } from "./paths.ts";
import { readsIncludeRoots } from "./version.ts";

const { realpathSync, statSync } = process.getBuiltinModule("node:fs");

const INCLUDE_KEY = "$include";
const MAX_DEPTH = 10;
// Repeats count: a few files naming each other many times over would otherwise be read millions of times.
const MAX_LOADS = 100;
// OpenClaw's own bound on an included file (MAX_INCLUDE_FILE_BYTES, alike from 2026.4.5 to 2026.9.6).
const INCLUDE_FILE_CAP = 2 * 1024 * 1024;
// A refusal names this many OPENCLAW_INCLUDE_ROOTS folders: it is read in a terminal or a chat message.
const NAMED_ROOTS = 5;
const BLOCKED_KEYS = new Set(["__proto__", "constructor", "prototype"]);
// The walks below recurse once per level: a config nested deeper (damaged or hostile) would overflow the stack.
const MAX_NESTING = 512;

type ConfigProblem = ConfigFileError["problem"];
type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Sets an own key, "__proto__" included, without touching any prototype. */
function own(out: Plain, key: string, value: unknown): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The folders besides the config file's own that `$include` may read, as the installed release takes them. */
interface IncludeRoots {
  /** OPENCLAW_INCLUDE_ROOTS, absolute (paths.ts resolveIncludeRoots); empty where the release does not read it. */
  roots: readonly string[];
  /** The release that leaves a set OPENCLAW_INCLUDE_ROOTS unread (before 2026.4.29), for the refusal to say so. */
  unreadBy?: string | undefined;
}

/** Whose `$include` rules apply: the process env (OPENCLAW_INCLUDE_ROOTS) and the installed release, when known. */
export interface IncludeContext {
  env: Env;
  openclawVersion?: string | undefined;
}

/** OPENCLAW_INCLUDE_ROOTS of `env` under the rule of `openclawVersion` (unknown: read, as current releases do). */
export function includeRootsOf(env: Env, openclawVersion?: string): IncludeRoots {
  const roots = resolveIncludeRoots(env);
  if (roots.length === 0 || readsIncludeRoots(openclawVersion)) return { roots };
  return { roots: [], unreadBy: openclawVersion };
}

interface Walk {
  configPath: string;
  root: string;
  /** The config folder first, then the include roots: each as written and its real path. */
  allowed: Array<{ dir: string; real: string }>;
  includes: IncludeRoots;
  parse: (text: string) => unknown;
  loads: number;
}

/**
 * OpenClaw's `$include` (src/config/includes.ts, alike from 2026.4.5 to 2026.9.6; every release follows it for
 * the agents roster, tests/support/era-default-agent.ts): an object holding "$include": "<file>" or ["<file>", …]
 * stands for those JSON5 files (merged), its other keys merged over them: objects key by key, arrays
 * concatenated, anything else replaced. A path is relative to the file that names it and must stay inside the
 * config file's folder or one of the OPENCLAW_INCLUDE_ROOTS folders `context` allows (includeRootsOf), both as
 * written and once links are resolved (OpenClaw refuses the config otherwise), at most 10 levels deep and 100
 * files read, without a cycle. Each file is read bounded, never written. A tree without "$include" is returned as
 * it is.
 */
export function resolveConfigIncludes(
  raw: unknown,
  configPath: string,
  parse: (text: string) => unknown,
  context: IncludeContext,
): unknown {
  if (!hasInclude(raw, 0, configPath)) return raw;
  const includes = includeRootsOf(context.env, context.openclawVersion);
  const root = normalize(dirname(configPath));
  const allowed = [root, ...includes.roots].map((dir) => ({
    dir: normalize(dir),
    real: normalize(realOf(dir) ?? dir),
  }));
  const walk: Walk = { configPath, root, allowed, includes, parse, loads: 0 };
  return processValue(raw, [normalize(configPath)], walk);
}

function hasInclude(v: unknown, depth: number, configPath: string): boolean {
  if (depth > MAX_NESTING) tooDeep(configPath);
  const inside = (x: unknown) => hasInclude(x, depth + 1, configPath);
  if (Array.isArray(v)) return v.some(inside);
  if (!isPlain(v)) return false;
  return Object.hasOwn(v, INCLUDE_KEY) || Object.values(v).some(inside);
}

function tooDeep(configPath: string): never {
  throw new ConfigFileError(configPath, { kind: "shape", detail: `nested more than ${MAX_NESTING} levels deep` });
}

/** `chain`: the config file, then each included file down to the one `value` comes from. */
function processValue(value: unknown, chain: string[], w: Walk, depth = 0): unknown {
  if (depth > MAX_NESTING) tooDeep(w.configPath);
  if (Array.isArray(value)) return value.map((item) => processValue(item, chain, w, depth + 1));
  if (!isPlain(value)) return value;
  const rest: Plain = {};
  for (const [key, item] of Object.entries(value))
    if (key !== INCLUDE_KEY) own(rest, key, processValue(item, chain, w, depth + 1));
  if (!Object.hasOwn(value, INCLUDE_KEY)) return rest;
  const included = resolveInclude(value[INCLUDE_KEY], chain, w);
  if (Object.keys(rest).length === 0) return included;
  if (!isPlain(included)) fail(w, "shape", `$include beside other keys must name an object`);
  return merge(included, rest);
}

function resolveInclude(spec: unknown, chain: string[], w: Walk): unknown {
  if (typeof spec === "string") return load(spec, chain, w);
  if (Array.isArray(spec)) {
    return spec.reduce((merged: unknown, item: unknown) => {
      if (typeof item !== "string") fail(w, "shape", `a $include list holds ${typeof item}, not a file name`);
      return merge(merged, load(item, chain, w));
    }, {});
  }
  return fail(w, "shape", `$include is ${typeof spec}, not a file name or a list of them`);
}

function load(spec: string, chain: string[], w: Walk): unknown {
  const from = chain.at(-1)!;
  const path = normalize(isAbsolute(spec) ? spec : resolve(dirname(from), spec));
  if (!w.allowed.some((a) => inside(a.dir, path))) fail(w, "shape", `$include "${spec}" (${path}) ${outOf(w)}`);
  // As OpenClaw: a path that does not resolve (a missing file) is refused by the read below.
  const real = realOf(path);
  if (real !== undefined && !w.allowed.some((a) => inside(a.real, real)))
    fail(w, "shape", `$include "${spec}" is a link to ${real}, which ${outOf(w)}`);
  if (chain.includes(path)) fail(w, "shape", `$include cycle: ${[...chain, path].join(" -> ")}`);
  if (chain.length > MAX_DEPTH) fail(w, "shape", `$include "${spec}" is more than ${MAX_DEPTH} levels deep`);
  if (++w.loads > MAX_LOADS) fail(w, "shape", `$include reads more than ${MAX_LOADS} files (repeats counted)`);
  // OpenClaw refuses a hardlinked include (its "no hardlinks" check): the link would escape every folder check.
  const st = statOf(path);
  if (st?.isFile() && st.nlink > 1)
    fail(w, "shape", `$include "${spec}" (${path}) is a hard link, which OpenClaw refuses for an included file`);
  const read = readTextBounded(path, INCLUDE_FILE_CAP);
  if (!read.ok) {
    const file =
      read.code === "file_not_regular" ? "not_a_file" : read.code === "file_too_large" ? "file_too_large" : undefined;
    const what = read.code.replace("file_", "").replace("_", " ");
    fail(w, "unreadable", `$include "${spec}" (${path}): ${what}: ${read.detail}`, file);
  }
  let parsed: unknown;
  try {
    parsed = w.parse(read.text);
  } catch (error) {
    fail(w, "syntax", `$include "${spec}" (${path}): ${error instanceof Error ? error.message : "not JSON5"}`);
  }
  return processValue(parsed, [...chain, path], w);
}

/** OpenClaw's deepMerge for includes: arrays concatenate, objects merge key by key, otherwise the source wins. */
function merge(target: unknown, source: unknown): unknown {
  if (Array.isArray(target) && Array.isArray(source)) return [...target, ...source];
  if (!isPlain(target) || !isPlain(source)) return source;
  const out: Plain = {};
  for (const [key, value] of Object.entries(target)) own(out, key, value);
  for (const [key, value] of Object.entries(source)) {
    if (BLOCKED_KEYS.has(key)) continue;
    own(out, key, Object.hasOwn(out, key) ? merge(out[key], value) : value);
  }
  return out;
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (rel !== ".." && !rel.startsWith("../") && !isAbsolute(rel));
}

function realOf(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

function statOf(path: string): { nlink: number; isFile(): boolean } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function outOf(w: Walk): string {
  const { roots, unreadBy } = w.includes;
  const leaves = `leaves the config folder ${w.root}`;
  if (roots.length > 0) {
    const more = roots.length > NAMED_ROOTS ? ` and ${roots.length - NAMED_ROOTS} more` : "";
    return `${leaves} and the OPENCLAW_INCLUDE_ROOTS folders ${roots.slice(0, NAMED_ROOTS).join(", ")}${more}`;
  }
  if (unreadBy) return `${leaves}; OpenClaw ${unreadBy} does not read OPENCLAW_INCLUDE_ROOTS (2026.4.29 and later do)`;
  return `${leaves} (OpenClaw reads other folders only where OPENCLAW_INCLUDE_ROOTS names them)`;
}

function fail(
  w: Walk,
  kind: ConfigProblem["kind"],
  detail: string,
  file?: "not_a_file" | "file_too_large" | undefined,
): never {
  // Paths come from the files and the env: a newline in one must not print as a line of its own.
  const safe = detail.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  const problem = (
    kind === "unreadable" ? { kind, detail: safe, ...(file ? { file } : {}) } : { kind, detail: safe }
  ) as ConfigProblem;
  throw new ConfigFileError(w.configPath, problem);
}
