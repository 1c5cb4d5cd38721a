import type { DefaultAgentRule } from "./paths.ts";
import type { CodexProviderId } from "./provider.ts";

export interface OpenclawVersion {
  year: number;
  month: number;
  patch: number;
  raw: string;
}

/** Parses "OpenClaw 2026.9.6 (eb377ac)", "2026.4.12-beta.1" and the like. */
export function parseOpenclawVersion(text: string): OpenclawVersion | null {
  const m = /(?<!\d)(\d{4})\.(\d{1,2})\.(\d{1,3})(?!\d)/.exec(text);
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), patch: Number(m[3]), raw: m[0] };
}

/**
 * A meta.lastTouchedVersion as OpenClaw itself reads it (parseOpenClawVersion: semver after trimming, a legacy
 * ".beta" suffix allowed), else null: "x2026.4.12" or "2026.04.12" is no stamp, though it holds a version.
 */
export function parseStampVersion(text: string): OpenclawVersion | null {
  const semver = /^[vV=]?(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:[-.][0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
  return semver.test(text.trim()) ? parseOpenclawVersion(text) : null;
}

function compareVersion(v: OpenclawVersion, year: number, month: number, patch = 0): number {
  return v.year - year || v.month - month || v.patch - patch;
}

/** What the installed OpenClaw understands; decided once per run from `openclaw --version`. */
export interface OpenclawCapabilities {
  /** The release this row was seen on (its own binary, tests/integration/era-*.test.ts). */
  observedOn: string;
  /** The provider id `models status --json` gives Codex profiles (and `order set` accepts). */
  provider: CodexProviderId;
  /** `models auth list --provider --json`. */
  authList: boolean;
  /** `models auth logout <id> --yes` (it also drops the id from the stored order). */
  logout: boolean;
  /** `models auth login --device-code`. */
  deviceCode: boolean;
  /** `models auth login --profile-id`. */
  profileIdFlag: boolean;
  /** `models status --json` reports effectiveProfiles; without it the order is computed from the store. */
  statusEffectiveProfiles: boolean;
  /**
   * With no order of its own provider stored, it also tries openai API keys for Codex (its "OpenAI API Key
   * Backup"); `order set` refuses them, so any order stored for Codex ends that (2026.5.28).
   */
  backupOutsideOrder: boolean;
  /** Credentials live in SQLite once `doctor --fix` imported the legacy auth-profiles.json. */
  sqliteStore: boolean;
  /**
   * Before `doctor --fix`, a legacy auth-profiles.json is ignored without a word: `models status` exits 0
   * with zero profiles (2026.6.11, 2026.7.1). Later releases refuse instead (migration required).
   */
  legacyFileIgnored: boolean;
  /** `cron add --declaration-key` (an idempotent, findable job) and `--display-name`: the job's install needs both. */
  cronDeclarationKey: boolean;
  /** How it picks the agent when none is named (paths.ts DefaultAgentRule). */
  defaultAgent: DefaultAgentRule;
  /**
   * `models status` without --agent reads that same agent. 2026.4.x reads agents/main (or $OPENCLAW_AGENT_DIR)
   * whatever the config says, while `order get` reads the default agent.
   */
  statusReadsDefaultAgent: boolean;
  /**
   * How it orders a provider's profiles (src/profiles/effective-order.ts): 2026.6.11 and 7.1 already use the
   * openai id, but sort an expired OAuth token by last use like the 2026.5 and earlier releases; 8.2 sorts it last.
   */
  orderRules: "2026.4" | "2026.5" | "2026.6" | "2026.9";
}

type Row = OpenclawCapabilities;
const V4 = {
  provider: "openai-codex",
  authList: false,
  logout: false,
  deviceCode: false,
  profileIdFlag: false,
  statusEffectiveProfiles: false,
  backupOutsideOrder: false,
  sqliteStore: false,
  legacyFileIgnored: false,
  cronDeclarationKey: false,
  defaultAgent: "first-listed",
  statusReadsDefaultAgent: false,
  orderRules: "2026.4",
} as const;
const V5 = {
  ...V4,
  authList: true,
  deviceCode: true,
  profileIdFlag: true,
  statusEffectiveProfiles: true,
  backupOutsideOrder: true,
  statusReadsDefaultAgent: true,
  orderRules: "2026.5",
} as const;
const V6 = {
  ...V5,
  provider: "openai",
  backupOutsideOrder: false,
  sqliteStore: true,
  legacyFileIgnored: true,
  orderRules: "2026.6",
} as const;
const V8 = {
  ...V6,
  logout: true,
  legacyFileIgnored: false,
  cronDeclarationKey: true,
  defaultAgent: "owner",
  orderRules: "2026.9",
} as const;

/**
 * One row per release whose binary was run; a binary takes the newest row at or below its version (releases
 * between two rows were not run: a row says "seen on", not "first shipped in"). Older than the first row: the
 * first row (2026.4.5 is the oldest release supported).
 */
export const CAPABILITY_TABLE: readonly Row[] = [
  { observedOn: "2026.4.5", ...V4 },
  { observedOn: "2026.4.12", ...V4 },
  { observedOn: "2026.5.28", ...V5 },
  { observedOn: "2026.6.11", ...V6 },
  { observedOn: "2026.7.1", ...V6, cronDeclarationKey: true },
  { observedOn: "2026.8.2", ...V8 },
  { observedOn: "2026.9.6", ...V8 },
];

export function capabilitiesFor(v: OpenclawVersion): OpenclawCapabilities {
  let row = CAPABILITY_TABLE[0]!;
  for (const candidate of CAPABILITY_TABLE) {
    const at = parseOpenclawVersion(candidate.observedOn)!;
    if (compareVersion(v, at.year, at.month, at.patch) >= 0) row = candidate;
  }
  return row;
}

/** The default-agent rule of a version text ("2026.9.6", "OpenClaw 2026.4.12 (…)"); null when unknown. */
export function defaultAgentRuleFor(text: string | undefined): DefaultAgentRule | null {
  const version = text ? parseOpenclawVersion(text) : null;
  return version ? capabilitiesFor(version).defaultAgent : null;
}

/**
 * Whether the release follows `$include` into the folders of OPENCLAW_INCLUDE_ROOTS: from 2026.4.29 (its CHANGELOG
 * entry; 2026.4.12's binary refuses such a config, 2026.5.28's follows it). An unknown release is taken to.
 */
export function readsIncludeRoots(text: string | undefined): boolean {
  const version = text ? parseOpenclawVersion(text) : null;
  return !version || compareVersion(version, 2026, 4, 29) >= 0;
}
