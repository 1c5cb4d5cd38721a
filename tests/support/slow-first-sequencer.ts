import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The files that take minutes on 2 CPUs go first: the version matrix (a file per release), then the gateways
 * end to end. Vitest alone orders a fresh clone's files by size, so the matrix's three-line files ran last, two
 * at a time, the last one beside an idle worker; first, the small files fill the other worker as they end.
 * Within a rank, and for everything else, Vitest's own order (its recorded durations, else the size).
 */
const SLOW = [/\/era-[\d.]+\.test\.ts$/, /\/tests\/e2e\//];

const rank = (file: TestSpecification): number => {
  const at = SLOW.findIndex((pattern) => pattern.test(file.moduleId));
  return at === -1 ? SLOW.length : at;
};

export default class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}
