import { statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import type { TestSpecification, Vitest } from "vitest/node";
import SlowFirstSequencer from "../support/slow-first-sequencer.ts";

const TESTS = join(dirname(fileURLToPath(import.meta.url)), "..");
const statSize = (file: string): number => statSync(join(TESTS, file)).size;

it("a fresh clone runs the version matrix, then the smoke test and the gateways, then the rest by size", async () => {
  // No recorded durations (a fresh clone): Vitest alone orders by file size, the matrix's 3-line files last.
  const ctx = { cache: { getTestSpecificationResult: () => undefined } } as unknown as Vitest;
  const spec = (file: string) =>
    ({
      moduleId: join(TESTS, file),
      project: { name: "", config: { sequence: { groupOrder: 0 }, isolate: true } },
    }) as unknown as TestSpecification;
  const files = [
    "unit/layers.test.ts",
    "integration/era-2026.4.5.test.ts",
    "e2e/chat-gateway.test.ts",
    "integration/secrets-sweep.test.ts",
    "integration/era-2026.9.6.test.ts",
  ];
  const sorted = await new SlowFirstSequencer(ctx).sort(files.map(spec));
  expect(sorted.map((s) => s.moduleId.slice(TESTS.length + 1))).toEqual([
    "integration/era-2026.4.5.test.ts",
    "integration/era-2026.9.6.test.ts",
    "e2e/chat-gateway.test.ts",
    ...["unit/layers.test.ts", "integration/secrets-sweep.test.ts"].sort((a, b) => statSize(b) - statSize(a)),
  ]);
});
