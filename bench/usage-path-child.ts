/**
 * One /codex_usage through the registered plugin, in a process of its own: registers the plugin as a gateway
 * would (real services; the state, cache and usage URL come from the env), answers one /codex_usage first so
 * that what a gateway loads once is loaded, then measures a second one from another sender (not a repeat the
 * dedupe would drop) with V8's precise coverage. Prints one JSON line: { passed: [src files a function of which
 * ran during that /codex_usage], text }.
 */
import { Session } from "node:inspector/promises";
import type { CommandDefinitionLike, PluginApiLike } from "../src/plugin/api-types.ts";
import { registerCodexProfiler } from "../src/plugin/index.ts";
import { webchatContext } from "../tests/support/chat-fakes.ts";

interface Coverage {
  result: Array<{ url: string; functions: Array<{ functionName: string; ranges: Array<{ count: number }> }> }>;
}

const commands: CommandDefinitionLike[] = [];
registerCodexProfiler({
  pluginConfig: {},
  config: {},
  logger: { info: () => {}, warn: () => {} },
  registerCommand: (c) => commands.push(c),
} as PluginApiLike);
const usage = commands.find((c) => c.name === "codex_usage");
if (!usage) throw new Error("codex_usage was not registered");
await usage.handler(webchatContext("all", { senderId: "warm-up" }));

const session = new Session();
session.connect();
await session.post("Profiler.enable");
await session.post("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
await session.post("Profiler.takePreciseCoverage"); // counts from here on
const answer = await usage.handler(webchatContext("all", { senderId: "measured" }));
const { result } = (await session.post("Profiler.takePreciseCoverage")) as Coverage;
// The script's own top-level function (name "") ran when it loaded, not during this command.
const passed = result
  .filter(
    (s) => s.url.includes("/src/") && s.functions.some((f) => f.functionName !== "" && (f.ranges[0]?.count ?? 0) > 0),
  )
  .map((s) => s.url.replace(/^.*\/src\//, ""))
  .sort();
console.log(JSON.stringify({ passed, text: answer.text }));
