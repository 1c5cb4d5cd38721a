import { describe, expect, it } from "vitest";
import { formatDuration } from "../../src/format/vocabulary.ts";

describe("formatDuration", () => {
  it.each([
    [0, "<1m"],
    [-5, "<1m"],
    [Number.NaN, "<1m"],
    [59, "<1m"],
    [60, "1m"],
    [61, "1m"],
    [45 * 60, "45m"],
    [3599, "59m"],
    [3600, "1h"],
    [3660, "1h 1m"],
    [2 * 3600 + 10 * 60, "2h 10m"],
    [2 * 3600 + 10 * 60 + 59, "2h 10m"],
    [86399, "23h 59m"],
    [86400, "1d"],
    [86400 + 3599, "1d"],
    [3 * 86400 + 4 * 3600, "3d 4h"],
    [604800, "7d"],
    [456647, "5d 6h"],
  ])("%s s → %s", (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});
