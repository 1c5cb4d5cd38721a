/** `npm run bench`: every figure below is measured in this one run, on this machine. */
import { existsSync } from "node:fs";
import { cpus } from "node:os";

console.log(`# codex-profiler benchmark — Node ${process.version}, ${cpus().length} CPUs, ${new Date().toISOString()}`);
const sections = [
  "./usage.ts",
  "./usage-path.ts",
  "./pipeline.ts",
  "./rotation.ts",
  "./rotation-week.ts",
  "./grow-state.ts",
  "./chat-plan.ts",
];
for (const section of sections) {
  if (!existsSync(new URL(section, import.meta.url))) continue;
  const mod = (await import(section)) as { default: () => Promise<void> };
  await mod.default();
}
