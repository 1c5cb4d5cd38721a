/**
 * Compact relative durations for chat lines, floored: `<1m`, `45m`, `2h 10m`, `3d 4h`.
 * Two units at most; a zero minor unit is dropped (`1h`, `3d`), a zero major unit never shows.
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 60) return "<1m";
  const totalMinutes = Math.floor(seconds / 60);
  if (totalMinutes < 60) return `${totalMinutes}m`;
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return withMinor(`${totalHours}h`, totalMinutes % 60, "m");
  return withMinor(`${Math.floor(totalHours / 24)}d`, totalHours % 24, "h");
}

const withMinor = (major: string, minor: number, unit: string): string =>
  minor === 0 ? major : `${major} ${minor}${unit}`;
