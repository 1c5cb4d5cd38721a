/**
 * Loaded with `node --import` (NODE_OPTIONS) into a process under test: at exit, appends to $CXP_IO_PROBE_OUT
 * what the process read through the kernel (/proc/self/io rchar: every read and pread, page cache hits
 * included), its peak resident memory (VmHWM, which starts afresh at exec, unlike getrusage's maxrss that
 * carries the spawning parent's) and its run time: how much of OpenClaw's state a read really touched.
 */
import { appendFileSync, readFileSync } from "node:fs";

export interface IoProbe {
  ms: number;
  rchar: number;
  peakRssBytes: number;
}

const out = process.env.CXP_IO_PROBE_OUT;
const started = performance.now();
if (out) {
  process.on("exit", () => {
    const field = (file: string, re: RegExp): number => Number(re.exec(readFileSync(file, "utf8"))?.[1] ?? Number.NaN);
    const probe: IoProbe = {
      ms: Math.round(performance.now() - started),
      rchar: field("/proc/self/io", /^rchar: (\d+)$/m),
      peakRssBytes: field("/proc/self/status", /^VmHWM:\s+(\d+) kB$/m) * 1024,
    };
    appendFileSync(out, `${JSON.stringify(probe)}\n`);
  });
}
