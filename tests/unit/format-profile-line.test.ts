import { describe, expect, it } from "vitest";
import { formatProfileLine } from "../../src/format/profile-line.ts";
import { makeUsageError } from "../../src/usage/error-hints.ts";
import { sampleReport, win } from "../support/usage-report-builders.ts";

describe("formatProfileLine", () => {
  it("renders an ok profile exactly as the issue shows it", () => {
    const r = sampleReport("work", { h5: win(18, 2 * 3600 + 10 * 60), wk: win(36, 3 * 86400 + 4 * 3600, 604800) });
    expect(formatProfileLine(r)).toBe("🟢 `work` — 5h **82%** | week **64%** | r5 **2h 10m** | rw **3d 4h**");
  });

  it("renders a limited profile in orange", () => {
    const r = sampleReport("plus", { status: "limited", h5: win(100, 14334), wk: win(77, 18596, 604800) });
    expect(formatProfileLine(r)).toBe("🟠 `plus` — 5h **0%** | week **23%** | r5 **3h 58m** | rw **5h 9m**");
  });

  it("shows n/a for the percent and the reset of a window the account does not have", () => {
    const r = sampleReport("pro", { status: "limited", h5: null, wk: win(100, 456647, 604800) });
    expect(formatProfileLine(r)).toBe("🟠 `pro` — 5h **n/a** | week **0%** | r5 **n/a** | rw **5d 6h**");
    const none = sampleReport("credits", { h5: null, wk: null });
    expect(formatProfileLine(none)).toBe("🟢 `credits` — 5h **n/a** | week **n/a** | r5 **n/a** | rw **n/a**");
  });

  it("shows a window that has just reset as fully left and <1m", () => {
    const r = sampleReport("fresh", { h5: win(0, 0), wk: win(50, 59, 604800) });
    expect(formatProfileLine(r)).toBe("🟢 `fresh` — 5h **100%** | week **50%** | r5 **<1m** | rw **<1m**");
  });

  it("renders an unusable profile with its error code and short hint", () => {
    const error = makeUsageError("auth_not_accepted_by_usage_endpoint", { status: 401, detail: "token_expired" });
    const r = sampleReport("bob@example.com", { status: "unusable", h5: null, wk: null, error });
    expect(formatProfileLine(r)).toBe(
      "🔴 `bob@example.com` — auth_not_accepted_by_usage_endpoint: The token has expired; log in again with /codex_auth.",
    );
    const t = sampleReport("x", { status: "unusable", h5: null, wk: null, error: makeUsageError("timeout") });
    expect(formatProfileLine(t)).toBe(
      "🔴 `x` — timeout: The usage endpoint did not answer in time; try again or raise --timeout-sec.",
    );
  });

  it("keeps a label with backticks or newlines inside its code span", () => {
    const r = sampleReport("we`ird\nname", {});
    expect(formatProfileLine(r).startsWith("🟢 `we'ird'name` — ")).toBe(true);
  });
});
