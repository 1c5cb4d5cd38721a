import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors/index.ts";
import { checkArgv } from "../../src/openclaw-cli/argv.ts";

const cronAdd = (
  commandArgv: string,
  description = "codex-profiler: keeps the order (rotate apply --if-better --yes)",
) => [
  "cron",
  "add",
  "--name",
  "codex-profiler-rotate",
  "--display-name",
  "Codex profile rotation",
  "--description",
  description,
  "--command-argv",
  commandArgv,
  "--every",
  "10m",
  "--json",
];

describe("argv checks per command", () => {
  it("cron add: free text only where the command takes it; the job's argv parsed, checked element by element", () => {
    expect(() =>
      checkArgv(cronAdd(JSON.stringify(["/opt/codex-profiler/scripts/codex_rotate", "job", "run", "--agent", "main"]))),
    ).not.toThrow();
    for (const bad of [
      JSON.stringify(["codex_rotate", "job"]),
      JSON.stringify(["/opt/x/../../bin/sh", "-c"]),
      JSON.stringify(["/opt/codex_rotate", "job; rm -rf /"]),
      JSON.stringify(["/opt/codex_rotate", "--agent=x"]),
      JSON.stringify(["/opt/codex_rotate\nsecond"]),
      JSON.stringify([]),
      JSON.stringify({ argv: ["/opt/codex_rotate"] }),
      "[not json",
    ]) {
      expect(() => checkArgv(cronAdd(bad)), bad).toThrow(InputError);
    }
    expect(() => checkArgv(cronAdd(JSON.stringify(["/opt/codex_rotate"]), "--force"))).toThrow(InputError);
    expect(() => checkArgv(cronAdd(JSON.stringify(["/opt/codex_rotate"]), "line\nbreak"))).toThrow(InputError);
  });

  it("text values are refused outside the commands that take them", () => {
    expect(() => checkArgv(["models", "auth", "order", "set", "--display-name", "Codex profile rotation"])).toThrow(
      InputError,
    );
    expect(() => checkArgv(["cron", "list", "--description", "a b"])).toThrow(InputError);
  });
});
