import type { CodexProviderId } from "./provider.ts";

export interface OpenclawVersion {
  year: number;
  month: number;
  patch: number;
  raw: string;
}

/** Parses "OpenClaw 2026.9.6 (eb377ac)", "2026.4.12-beta.1" and the like. */
export function parseOpenclawVersion(text: string): OpenclawVersion | null {
  const m = /(\d{4})\.(\d{1,2})\.(\d{1,3})/.exec(text);
  if (!m) return null;
  return { year: Number(m[1]), month: Number(m[2]), patch: Number(m[3]), raw: m[0] };
}

function compareVersion(v: OpenclawVersion, year: number, month: number, patch = 0): number {
  return v.year - year || v.month - month || v.patch - patch;
}

export const atLeast = (v: OpenclawVersion, year: number, month: number, patch = 0): boolean =>
  compareVersion(v, year, month, patch) >= 0;

/** What the installed OpenClaw understands; decided once per run from `openclaw --version`. */
export interface OpenclawCapabilities {
  provider: CodexProviderId;
  authList: boolean;
  logout: boolean;
  deviceCode: boolean;
  profileIdFlag: boolean;
  sqliteStore: boolean;
  automations: boolean;
}

export function capabilitiesFor(v: OpenclawVersion): OpenclawCapabilities {
  return {
    provider: atLeast(v, 2026, 6) ? "openai" : "openai-codex",
    authList: atLeast(v, 2026, 5),
    logout: atLeast(v, 2026, 7),
    deviceCode: atLeast(v, 2026, 5),
    profileIdFlag: atLeast(v, 2026, 5),
    sqliteStore: atLeast(v, 2026, 7),
    automations: atLeast(v, 2026, 7),
  };
}
