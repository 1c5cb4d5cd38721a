import type { ProfileUsageReport, UsageWindow } from "../usage/types.ts";
import { formatDuration } from "./duration.ts";
import { codeLabel } from "./label.ts";

const STATUS_ICON = { ok: "🟢", limited: "🟠", unusable: "🔴" } as const;
const NOT_AVAILABLE = "n/a";

const bold = (text: string): string => `**${text}**`;
const percentLeft = (w: UsageWindow | null): string => bold(w === null ? NOT_AVAILABLE : `${w.left_percent}%`);
const resetIn = (w: UsageWindow | null): string =>
  bold(w === null ? NOT_AVAILABLE : formatDuration(w.reset_in_seconds));

/**
 * One chat line per profile, exactly:
 *   🟢 `label` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**
 * Percentages are what is LEFT; a window the account does not have shows n/a for its percent and reset.
 * Unusable profiles: 🔴 `label` — <error code>: <short hint>
 */
export function formatProfileLine(report: ProfileUsageReport): string {
  const head = `${STATUS_ICON[report.status]} ${codeLabel(report.label)} —`;
  if (report.status === "unusable") {
    const code = report.error?.code ?? "unusable";
    const hint = report.error?.hint ?? "No usage could be read.";
    return `${head} ${code}: ${hint}`;
  }
  const { five_hour: h5, weekly: wk } = report.windows;
  return `${head} 5h ${percentLeft(h5)} | week ${percentLeft(wk)} | r5 ${resetIn(h5)} | rw ${resetIn(wk)}`;
}
