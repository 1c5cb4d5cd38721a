import { createRequire } from "node:module";
import { ConfigFileError } from "../errors/index.ts";
import { dict, isRecord } from "../lib/dict.ts";
import { CONFIG_FILE_CAP, readTextBounded } from "../lib/files.ts";
import { isConfigView } from "./config-checks.ts";
import { type IncludeContext, resolveConfigIncludes } from "./config-includes.ts";
import type { ConfigView } from "./config-schema.ts";
import { type AgentRoster, normalizeAgentId } from "./paths.ts";
import { parseStampVersion } from "./version.ts";

/**
 * The parts of openclaw.json this project uses, checked against config-schema.ts. Everything else in the file is
 * ignored; a part of the wrong shape makes the config invalid (OpenClaw would refuse it too).
 */
export interface OpenclawConfig {
  /** Whether the file exists (a missing config is valid: OpenClaw runs on defaults). */
  found: boolean;
  roster: AgentRoster;
  /** auth.order: provider → profile ids. */
  authOrder: Record<string, string[]>;
  /** auth.profiles: profile id → its configured provider and mode. */
  authProfiles: Record<string, { provider: string; mode: string | undefined }>;
  /** plugins.entries.<id>.config as written, unchecked: each plugin validates its own. */
  pluginConfigs: Record<string, unknown>;
  /** meta.lastTouchedVersion: the release that last wrote the file (OpenClaw stamps every write), when a version. */
  lastTouchedVersion?: string;
}

export const EMPTY_CONFIG: OpenclawConfig = {
  found: false,
  roster: {
    ids: [],
    agentDirs: dict(),
    marked: [],
    systemAgentId: undefined,
    explicitOwnership: false,
    modernKeys: false,
  },
  authOrder: dict(),
  authProfiles: dict(),
  pluginConfigs: dict(),
};

/**
 * JSON5 as OpenClaw reads it (the json5 package); a syntax error says where: "… at line 3, column 7".
 * Keys such as "__proto__" stay plain keys. Plain JSON (what OpenClaw itself writes) is read by JSON.parse, which
 * gives the same value for it; the json5 package is loaded only for a file that needs it.
 */
export function parseJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not plain JSON: JSON5 decides, and words its own error.
  }
  try {
    return (createRequire(import.meta.url)("json5") as typeof import("json5")).parse(text);
  } catch (error) {
    const { lineNumber, columnNumber, message } = error as SyntaxError & { lineNumber?: number; columnNumber?: number };
    if (typeof lineNumber !== "number" || typeof columnNumber !== "number") throw error;
    const reason = message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    throw new SyntaxError(`${reason} at line ${lineNumber}, column ${columnNumber}`);
  }
}

/**
 * Parses the text of openclaw.json (JSON5) into the view this project needs. Pure, unless `includes` (which
 * readOpenclawConfig gives: its `$include` files, config-includes.ts) reads files.
 */
export function parseOpenclawConfig(
  text: string,
  path = "openclaw.json",
  includes: (raw: unknown) => unknown = (raw) => raw,
): OpenclawConfig {
  let raw: unknown;
  try {
    raw = parseJson5(text);
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : "not JSON5";
    throw new ConfigFileError(path, { kind: "syntax", detail });
  }
  raw = includes(raw);
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new ConfigFileError(path, { kind: "shape", detail: "the top level is not an object" });
  }
  const view = pickView(raw as Record<string, unknown>);
  if (!isConfigView(view)) throw new ConfigFileError(path, { kind: "shape", detail: firstProblem(view) });
  const meta = (raw as Record<string, unknown>).meta;
  const stamp = isRecord(meta) ? meta.lastTouchedVersion : undefined;
  const touched = typeof stamp === "string" && parseStampVersion(stamp) ? stamp : undefined;
  return {
    ...toConfig(view),
    pluginConfigs: pluginConfigs(raw as Record<string, unknown>),
    ...(touched !== undefined ? { lastTouchedVersion: touched } : {}),
  };
}

/** Where the view breaks its schema; only a broken config loads TypeBox (and the schema) to say so. */
function firstProblem(view: unknown): string {
  try {
    const require = createRequire(import.meta.url);
    const { ConfigViewSchema } = require("./config-schema.ts") as typeof import("./config-schema.ts");
    const { Value } = require("@sinclair/typebox/value") as typeof import("@sinclair/typebox/value");
    const first = Value.Errors(ConfigViewSchema, view).First();
    return `${first?.path || "/"}: ${first?.message ?? "invalid"}`;
  } catch {
    // A Node that cannot require an ES module (before 22.12): the kind of problem without its place.
    return "a part has the wrong shape";
  }
}

function pluginConfigs(raw: Record<string, unknown>): Record<string, unknown> {
  const out = dict<unknown>();
  const entries = isRecord(raw.plugins) ? raw.plugins.entries : undefined;
  if (!isRecord(entries)) return out;
  for (const [id, entry] of Object.entries(entries)) if (isRecord(entry)) out[id] = entry.config;
  return out;
}

// Only agents.{ownership,entries,list,defaults.systemAgent} and auth.{order,profiles} are validated.
function pickView(raw: Record<string, unknown>): unknown {
  const view: Record<string, unknown> = {};
  const agents = raw.agents;
  if (agents !== undefined) {
    if (agents === null || typeof agents !== "object" || Array.isArray(agents)) return { agents };
    const a = agents as Record<string, unknown>;
    const defaults = a.defaults as Record<string, unknown> | undefined;
    view.agents = {
      ...(a.ownership !== undefined ? { ownership: a.ownership } : {}),
      ...(a.entries !== undefined ? { entries: a.entries } : {}),
      ...(a.list !== undefined ? { list: a.list } : {}),
      ...(defaults && typeof defaults === "object" && defaults.systemAgent !== undefined
        ? { defaults: { systemAgent: defaults.systemAgent } }
        : {}),
    };
  }
  const auth = raw.auth;
  if (auth !== undefined) {
    if (auth === null || typeof auth !== "object" || Array.isArray(auth)) return { ...view, auth };
    const a = auth as Record<string, unknown>;
    view.auth = {
      ...(a.order !== undefined ? { order: a.order } : {}),
      ...(a.profiles !== undefined ? { profiles: a.profiles } : {}),
    };
  }
  return view;
}

function toConfig(view: ConfigView): Omit<OpenclawConfig, "pluginConfigs"> {
  const ids: string[] = [];
  const agentDirs = dict<string | undefined>();
  const marked: string[] = [];
  const add = (key: string, entry: { agentDir?: string; default?: boolean } | null | undefined): void => {
    const id = normalizeAgentId(key);
    if (!id || ids.includes(id)) return;
    ids.push(id);
    agentDirs[id] = entry?.agentDir;
    if (entry?.default === true) marked.push(id);
  };
  // OpenClaw reads agents.entries when present, else the older agents.list.
  const entries = view.agents?.entries;
  if (entries) for (const [key, entry] of Object.entries(entries)) add(key, entry);
  else for (const entry of view.agents?.list ?? []) add(entry.id, entry);
  const systemAgent = view.agents?.defaults?.systemAgent?.agentId?.trim();
  const explicitOwnership = view.agents?.ownership === "explicit";
  const authProfiles: OpenclawConfig["authProfiles"] = dict();
  for (const [id, p] of Object.entries(view.auth?.profiles ?? {}))
    authProfiles[id] = { provider: p.provider, mode: p.mode };
  return {
    found: true,
    roster: {
      ids,
      agentDirs,
      marked,
      systemAgentId: systemAgent ? normalizeAgentId(systemAgent) : undefined,
      explicitOwnership,
      modernKeys: entries !== undefined || view.agents?.ownership !== undefined || view.agents?.defaults !== undefined,
    },
    authOrder: dict(view.auth?.order ?? {}),
    authProfiles,
  };
}

/**
 * Reads the config file (a regular file of at most 8 MB) and the files it `$include`s, in its folder or in the
 * OPENCLAW_INCLUDE_ROOTS folders `includes` allows (config-includes.ts); a missing config file yields the defaults.
 */
export function readOpenclawConfig(path: string, includes: IncludeContext): OpenclawConfig {
  const read = readTextBounded(path, CONFIG_FILE_CAP);
  if (read.ok) {
    return parseOpenclawConfig(read.text, path, (raw) => resolveConfigIncludes(raw, path, parseJson5, includes));
  }
  if (read.code === "file_not_found") return EMPTY_CONFIG;
  const file =
    read.code === "file_not_regular" ? "not_a_file" : read.code === "file_too_large" ? "file_too_large" : undefined;
  throw new ConfigFileError(path, {
    kind: "unreadable",
    detail:
      read.code === "file_unreadable"
        ? read.detail
        : `${read.code.replace("file_", "").replace("_", " ")}: ${read.detail}`,
    ...(file ? { file } : {}),
  });
}
