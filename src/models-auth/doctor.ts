import { join } from "node:path";
import { inlineName, nameList, shellWord } from "../lib/display-text.ts";
import type { OpenclawCapabilities, OpenclawVersion } from "../openclaw/version.ts";
import type { AuthSnapshot } from "./state.ts";
import { ignoredLegacyHint } from "./status-report.ts";

const { existsSync } = process.getBuiltinModule("node:fs");

type FindingCode =
  | "legacy_files_present"
  | "legacy_file_ignored"
  | "retired_provider_ids"
  | "expired_cooldown_recorded"
  | "shared_account_id"
  | "same_login_twice"
  | "stored_order_names_missing_profiles";

export interface Finding {
  code: FindingCode;
  severity: "warning" | "info";
  message: string;
  /** The OpenClaw command that fixes it, when there is one. */
  fix: string | null;
}

export interface DoctorInput {
  snapshot: AuthSnapshot;
  version: OpenclawVersion;
  caps: OpenclawCapabilities;
  /** Account and user id per profile id, when known (from the profile reader); shared accounts are reported. */
  identities?: Record<string, { accountId: string | null; userId: string | null }>;
  now?: number;
}

const SHARED_SEATS = "(seats of one workspace; usage limits may be shared)";
const names = (ids: string[]): string => ids.map((id) => inlineName(id)).join(" and ");
const LEGACY_FILES = ["auth-profiles.json", "auth-state.json", "auth.json"];

/** Read-only: looks at file names next to the store and at what the CLI reported; writes nothing. */
export function runDoctor(input: DoctorInput): Finding[] {
  const { snapshot: snap, version, caps } = input;
  const now = input.now ?? Date.now();
  const findings: Finding[] = [];

  const ignored = ignoredLegacyHint(snap);
  const present = LEGACY_FILES.filter((f) => existsSync(join(snap.agentDir, f)));
  if (ignored) {
    findings.push({ code: "legacy_file_ignored", severity: "warning", message: ignored, fix: "openclaw doctor --fix" });
  } else if (present.length > 0 && caps.sqliteStore) {
    findings.push({
      code: "legacy_files_present",
      severity: "warning",
      message:
        `Legacy ${present.join(", ")} next to the SQLite store in ${snap.agentDir}` +
        // From 2026.8 a leftover file is refused only while the SQLite store holds no profile; beside one, ignored.
        (present.includes("auth-profiles.json") && !caps.legacyFileIgnored && snap.knownIds.length === 0
          ? `; OpenClaw ${version.raw} refuses auth commands until auth-profiles.json is imported.`
          : `; OpenClaw ${version.raw} no longer reads ${present.length > 1 ? "them" : "it"}, so edits there have no ` +
            `effect.`),
      fix: "openclaw doctor --fix",
    });
  }

  const retired = [...snap.knownIds, ...(snap.storedOrder ?? [])].filter((id) => id.startsWith("openai-codex:"));
  if (retired.length > 0 && caps.provider === "openai") {
    findings.push({
      code: "retired_provider_ids",
      severity: "warning",
      message: `Profiles still use the retired openai-codex id prefix: ${nameList([...new Set(retired)])}.`,
      fix: "openclaw doctor --fix",
    });
  }

  const staleOrder = (snap.storedOrder ?? []).filter((id) => !snap.knownIds.includes(id));
  const kept = (snap.storedOrder ?? []).filter((id) => snap.knownIds.includes(id));
  if (staleOrder.length > 0) {
    findings.push({
      code: "stored_order_names_missing_profiles",
      severity: "warning",
      message: `The stored order names profiles that are not saved: ${nameList(staleOrder)}.`,
      fix: ["openclaw models auth order set --provider", snap.provider, ...kept.map(shellWord)].join(" "),
    });
  }

  for (const p of snap.profiles) {
    if (
      (p.status === "cooldown" || p.status === "disabled") &&
      p.unusableUntilMs !== null &&
      p.unusableUntilMs <= now
    ) {
      findings.push({
        code: "expired_cooldown_recorded",
        severity: "info",
        message:
          `${inlineName(p.id)} still has a ${p.status} recorded that ended ` +
          `${new Date(p.unusableUntilMs).toISOString()}; OpenClaw clears it on the next use.`,
        fix: null,
      });
    }
  }

  const byAccount = new Map<string, Array<[id: string, userId: string | null]>>();
  for (const [id, { accountId, userId }] of Object.entries(input.identities ?? {})) {
    if (accountId) byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), [id, userId]]);
  }
  for (const [acc, members] of byAccount) {
    if (members.length < 2) continue;
    const users = new Map<string, string[]>();
    for (const [id, userId] of members) if (userId) users.set(userId, [...(users.get(userId) ?? []), id]);
    for (const ids of users.values()) {
      if (ids.length > 1) {
        findings.push({
          code: "same_login_twice",
          severity: "info",
          message:
            `${names(ids)} are one ChatGPT login saved ${ids.length === 2 ? "twice" : `${ids.length} times`}: ` +
            "one set of usage limits, so rotating between them gains nothing.",
          fix: null,
        });
      }
    }
    // Seats: more than one user, or a user we could not tell apart, under one account id.
    if (users.size > 1 || members.some(([, userId]) => !userId)) {
      findings.push({
        code: "shared_account_id",
        severity: "info",
        message: `${names(members.map(([id]) => id))} share the account id ${acc} ${SHARED_SEATS}.`,
        fix: null,
      });
    }
  }
  return findings;
}
