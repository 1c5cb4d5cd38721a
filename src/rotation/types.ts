import type { ProfileForecast, ProfileStatus, UsageWindow, WindowKind } from "../usage/types.ts";

/** What ranking needs to know about one profile; built from a ProfileUsageReport. */
export interface RotationCandidate {
  id: string;
  status: ProfileStatus;
  windows: Record<WindowKind, UsageWindow | null>;
  /** The later of OpenClaw's cooldownUntil and disabledUntil, ms epoch, when set. */
  blocked_until_ms: number | null;
  /** A short code for why the profile is unusable (the usage error code), when it is. */
  problem: string | null;
  forecast: ProfileForecast | null;
}

export type Standing = "usable" | "limited" | "unusable";

export interface RankedProfile {
  id: string;
  standing: Standing;
  /** min(left %) over the windows present; an expired window counts as 100; null when none is present. */
  headroom: number | null;
  weekly_reset_at_ms: number | null;
  /** Limited profiles: when they can serve again; null when unknown. */
  back_at_ms: number | null;
  runs_dry: boolean;
  /** When the forecast says it runs dry before its reset: in how many ms (0 when already dry). */
  dry_in_ms: number | null;
  reason: string;
}

export interface Ranking {
  /** Usable profiles first, then limited ones. */
  ranked: RankedProfile[];
  /** Unusable profiles: left out of the proposed order, never deleted. */
  dropped: RankedProfile[];
}
