import { defineConfig } from "vitest/config";
import SlowFirstSequencer from "./tests/support/slow-first-sequencer.ts";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Tests talk to loopback only: the workers and every process they start run under the loopback guard.
    globalSetup: ["./tests/support/loopback-run.ts"],
    setupFiles: ["./tests/support/loopback-file.ts"],
    // Real-openclaw tests are CPU bound (2–7 s a call on 2 cores): keep two files at a time.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirstSequencer },
    testTimeout: 120_000,
    hookTimeout: 180_000,
    reporters: ["default", "./tests/support/summary-reporter.ts"],
  },
});
