import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { jobArgv } from "../../src/cli/rotate-jobs.ts";
import { parseJson5 } from "../../src/openclaw/config-file.ts";
import { type CronRunner, installJob } from "../../src/openclaw-cli/cron.ts";
import { type EraVersion, makeEraRoot, runEra, writeEraBaseConfig } from "../support/eras.ts";
import {
  makeOpenclawRoot,
  type OpenclawRoot,
  PROJECT_ROOT,
  removeRoot,
  runOpenclaw,
  writeBaseConfig,
} from "../support/openclaw.ts";

/** Every `<!-- template: name -->` block of references/config-templates.md, by name. */
function templates(): Map<string, { lang: string; body: string }> {
  const text = readFileSync(join(PROJECT_ROOT, "references/config-templates.md"), "utf8");
  const out = new Map<string, { lang: string; body: string }>();
  for (const m of text.matchAll(/<!-- template: ([\w-]+) -->\s*```(\w+)\n([\s\S]*?)```/g)) {
    out.set(m[1] as string, { lang: m[2] as string, body: m[3] as string });
  }
  return out;
}

const CONFIG_TEMPLATES = ["auth-openai", "auth-openai-codex", "auth-with-api-key", "model-priority", "full"];

describe("references/config-templates.md", () => {
  it("has every template this test knows, and no unknown one", () => {
    expect([...templates().keys()].sort()).toEqual([...CONFIG_TEMPLATES, "job-cli"].sort());
  });

  it("documents exactly the openclaw cron add that `codex_rotate job install` runs", async () => {
    let seen: string[] = [];
    const job = {
      id: "j1",
      name: "codex-profiler-rotate",
      declarationKey: "codex-profiler-rotate:main",
      enabled: true,
      schedule: { kind: "every" },
      payload: { kind: "command" },
    };
    const runner: CronRunner = async (args) => {
      // installJob verifies with `cron list` after `cron add`: answer each with its own shape.
      if (args[1] === "list") return { code: 0, stdout: JSON.stringify({ jobs: [job] }), stderr: "" };
      seen = args;
      return { code: 0, stdout: JSON.stringify({ job }), stderr: "" };
    };
    await installJob(runner, {
      kind: "rotate",
      agentId: "main",
      argv: jobArgv("rotate", "/path/to/codex-profiler/scripts/codex_rotate", {
        ...parseRotateArgs(["job", "install"]),
        agent: "main",
      }),
      every: "10m",
      announce: true,
    });
    const block = templates().get("job-cli")?.body ?? "";
    // The shell block, unquoted: one argument per flag or value.
    const words = [...block.replace(/\\\n/g, " ").matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map(
      (m) => m[1] ?? m[2] ?? m[3],
    );
    expect(words).toEqual(["openclaw", ...seen]);
  });
});

describe("config templates load into the real openclaw 2026.9.6", () => {
  let root: OpenclawRoot;
  beforeAll(() => {
    root = makeOpenclawRoot("cxp-rot-tpl-");
  });
  afterAll(() => removeRoot(root));

  it.each(CONFIG_TEMPLATES)("%s passes `openclaw config validate`", async (name) => {
    const block = templates().get(name);
    expect(block?.lang).toBe("json5");
    const config = parseJson5(block?.body ?? "") as Record<string, unknown>;
    writeFileSync(join(root.stateDir, "openclaw.json"), "{}");
    writeBaseConfig(root, config);
    const res = await runOpenclaw(["config", "validate", "--json"], root);
    const out = JSON.parse(res.stdout.slice(res.stdout.indexOf("{"))) as {
      valid: boolean;
      issues?: unknown[];
      warnings?: unknown[];
    };
    expect(out, res.stdout).toMatchObject({ valid: true });
    expect(res.code).toBe(0);
  });

  it("the validator does reject a broken block (the check can fail)", async () => {
    writeFileSync(join(root.stateDir, "openclaw.json"), "{}");
    writeBaseConfig(root, { auth: { profiles: { "openai:x": { provider: "openai", mode: "subscription" } } } });
    const res = await runOpenclaw(["config", "validate", "--json"], root);
    expect(res.code).not.toBe(0);
    expect(res.stdout).toContain('"valid": false');
  });
});

describe("the openai-codex block loads into the releases that use that provider id", () => {
  const validate = async (version: EraVersion, root: OpenclawRoot, config: Record<string, unknown>) => {
    writeFileSync(join(root.stateDir, "openclaw.json"), "{}");
    writeEraBaseConfig(root, version, config);
    const res = await runEra(version, ["config", "validate", "--json"], root);
    return { ...res, valid: (JSON.parse(res.stdout.slice(res.stdout.indexOf("{"))) as { valid: boolean }).valid };
  };

  it.each(["2026.5.28", "2026.4.5"] as const)(
    "%s: its own `openclaw config validate` accepts it, and refuses it broken",
    async (version) => {
      const root = makeEraRoot(version, "cxp-rot-tpl-era-");
      try {
        const config = parseJson5(templates().get("auth-openai-codex")?.body ?? "") as Record<string, unknown>;
        const ok = await validate(version, root, config);
        expect(ok.valid, ok.stdout).toBe(true);
        expect(ok.code).toBe(0);
        const broken = JSON.parse(JSON.stringify(config).replaceAll('"oauth"', '"subscription"'));
        const refused = await validate(version, root, broken);
        expect(refused.valid, refused.stdout).toBe(false);
        expect(refused.code).not.toBe(0);
      } finally {
        removeRoot(root);
      }
    },
    300_000,
  );
});
