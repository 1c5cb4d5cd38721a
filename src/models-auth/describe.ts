import { inlineName, nameList, shellWord } from "../lib/display-text.ts";
import type { Finding } from "./doctor.ts";
import type { AuthResult } from "./operations.ts";
import { healthText, orderSourceText, type StatusReport } from "./status-report.ts";

/** The "would run: …" lines for a plan. */
export function describePlan(result: Pick<AuthResult, "plan">): string[] {
  const plan = result.plan;
  if (!plan || plan.refusal) return [];
  if (plan.commands.length === 0) return [`nothing to do: ${plan.summary}`];
  return [`plan: ${plan.summary}`, ...plan.commands.map((c) => `would run: openclaw ${c.map(shellWord).join(" ")}`)];
}

function fmtOrder(order: string[] | null): string {
  return order === null ? "none (selecting automatically)" : nameList(order) || "(empty)";
}

function fmtTime(ms: number | null): string {
  return ms === null ? "" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Human text for codex_auth --format text. Never includes anything secret: results hold none. */
export function formatAuthResult(result: AuthResult): string[] {
  const lines: string[] = [];
  const snap = result.preflight;
  if (result.error && !snap) {
    lines.push(`error (${result.error.code}): ${result.error.message}`);
    if (result.error.hint) lines.push(`hint: ${result.error.hint}`);
    return lines;
  }
  if (snap) {
    lines.push(`agent: ${snap.agentId}   provider: ${snap.provider}   openclaw: ${result.openclawVersion ?? "?"}`);
    if (result.action === "order-show" || result.plan) {
      lines.push(`stored order: ${fmtOrder(snap.storedOrder)}`);
      lines.push(`effective order: ${fmtOrder(snap.effectiveOrder)} (${orderSourceText(snap.effectiveOrderSource)})`);
    }
  }
  if (result.action === "status" && result.details) lines.push(...formatStatus(result.details as StatusReport));
  if (result.action === "doctor" && Array.isArray(result.details))
    lines.push(...formatFindings(result.details as Finding[]));
  for (const a of result.applied)
    lines.push(
      `${a.ok ? "ran" : "FAILED"}: openclaw ` +
        `${a.command.map(shellWord).join(" ")}${a.error ? ` (${a.error.code}: ${a.error.message})` : ""}`,
    );
  if (result.verify) {
    lines.push(
      result.verify.matches
        ? `verified: stored order is ${fmtOrder(result.verify.observed.storedOrder)}`
        : "VERIFY MISMATCH:",
    );
    if (!result.verify.matches) for (const d of result.verify.differences) lines.push(`  ${d}`);
  }
  if (result.error && snap) {
    lines.push(`${result.outcome === "refused" ? "refused" : "error"} (${result.error.code}): ${result.error.message}`);
    if (result.error.hint) lines.push(`hint: ${result.error.hint}`);
  }
  for (const n of result.notes) lines.push(n.startsWith("would run:") || n.startsWith("plan:") ? n : `note: ${n}`);
  return lines;
}

function formatStatus(report: StatusReport): string[] {
  const lines = [
    `first: ${report.first === null ? "none" : inlineName(report.first)}   order: ${report.orderSource} ` +
      `(${orderSourceText(report.effectiveOrderSource)})`,
  ];
  if (report.hint) lines.push(`hint: ${report.hint}`);
  for (const r of report.rows) {
    const pos = r.position === null ? "  -" : `${String(r.position + 1).padStart(3)}`;
    const until = r.unusableUntilMs !== null ? ` until ${fmtTime(r.unusableUntilMs)}` : "";
    const expires = r.expiresAtMs !== null ? ` token expires ${fmtTime(r.expiresAtMs)}` : "";
    lines.push(`${pos}  ${inlineName(r.id)}  ${healthText(r)}${until}${r.reason ? ` (${r.reason})` : ""}${expires}`);
  }
  return lines;
}

function formatFindings(findings: Finding[]): string[] {
  if (findings.length === 0) return ["doctor: no mixed state found"];
  return findings.map((f) => `${f.severity}: ${f.message}${f.fix ? `\n  fix: ${f.fix}` : ""}`);
}
