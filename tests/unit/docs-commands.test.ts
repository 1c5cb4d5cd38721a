import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { parseAuthCliArgs } from "../../src/cli/auth-args.ts";
import { parseRotateArgs } from "../../src/cli/rotate-args.ts";
import { parseUsageArgs } from "../../src/cli/usage-args.ts";
import { fakeServices, recordingProgress, webchatContext } from "../support/chat-fakes.ts";
import { PROJECT_ROOT } from "../support/openclaw.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";

/**
 * The commands the documents give the agent (SKILL.md) and the reader (README.md, references/) are commands the
 * CLIs take: each one parses. A flag renamed in code and not in the documents fails here, not in a user's chat.
 */
type Cli = "codex_usage" | "codex_auth" | "codex_rotate";
const PARSERS: Record<Cli, (argv: string[]) => unknown> = {
  codex_usage: parseUsageArgs,
  codex_auth: parseAuthCliArgs,
  codex_rotate: parseRotateArgs,
};
const DOCS = ["SKILL.md", "README.md", "references/multi-account-rotation.md", "references/config-templates.md"];
const read = (doc: string): string => readFileSync(join(PROJECT_ROOT, doc), "utf8");

const PLACEHOLDERS: Array<[RegExp, string]> = [
  [/<ids…>/g, "openai:a openai:b"],
  [/<id>/g, "openai:a"],
  [/<(name|label)>/g, "a"],
  [/<(number|n)>/g, "2"],
  [/<(model|m)>/g, "openai/gpt-5.5"],
];
const CLI_AT_START =
  /^(?:\{baseDir\}\/scripts\/|\/path\/to\/codex-profiler\/scripts\/|scripts\/)?(codex_(?:usage|auth|rotate))\b(.*)$/;

interface DocCommand {
  doc: string;
  cli: Cli;
  argv: string[];
  text: string;
}

function toCommand(doc: string, cli: Cli, rest: string): DocCommand {
  let args = rest;
  for (const [from, to] of PLACEHOLDERS) args = args.replace(from, to);
  args = args.replace(/\s#.*$/, "").replace(/\s*(?:>\S*|2>&1)\s*/g, " ");
  const argv = args.split(/\s+/).filter(Boolean);
  return { doc, cli, argv, text: `${cli} ${argv.join(" ")}`.trim() };
}

/** A synopsis line (`[--flag]`, `a | b`) is grammar, not a command: its flags are checked on their own below. */
const isSynopsis = (s: string): boolean => /\[|\s\|\s/.test(s);

/**
 * Every code span and every code-block line that starts with one of the CLIs; in SKILL.md, also the spans after
 * such a command in the same list item (`order show`, `--format text`), which continue it.
 */
function docCommands(): DocCommand[] {
  const out: DocCommand[] = [];
  for (const doc of DOCS) {
    const text = read(doc);
    const blocks = [...text.matchAll(/```\w*\n([\s\S]*?)```/g)].flatMap((m) => (m[1] ?? "").split("\n"));
    const prose = text.replace(/```\w*\n[\s\S]*?```/g, "");
    // A block line may run one after a schedule and env settings (crontab: `*/10 * * * * X=y /path/to/…/codex_rotate`).
    for (const line of blocks.map((l) => l.trim().replace(/^(?:\S+\s+){5}(?:[A-Z_]+=\S+\s+)*(?=\/)/, ""))) {
      const m = CLI_AT_START.exec(line);
      if (m && !isSynopsis(line)) out.push(toCommand(doc, m[1] as Cli, m[2] ?? ""));
    }
    for (const item of prose.split(/\n(?=- |\d+\. |\n)/)) {
      let current: Cli | null = null;
      for (const span of [...item.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "")) {
        const m = CLI_AT_START.exec(span);
        if (m) {
          current = m[1] as Cli;
          if (!isSynopsis(span)) out.push(toCommand(doc, current, m[2] ?? ""));
        } else if (doc === "SKILL.md" && current && /^(--|order |retire |restore |delete |login )/.test(span)) {
          out.push(toCommand(doc, current, ` ${span}`));
        }
      }
    }
  }
  return out;
}

const parses = (c: DocCommand): boolean => {
  try {
    PARSERS[c.cli](c.argv);
    return true;
  } catch {
    return false;
  }
};

/** A value for each placeholder of the synopsis. */
const SAMPLE_VALUES: Record<string, string> = {
  "<id>": "main",
  "<file>": "/tmp/auth-profiles.json",
  "<name>": "a",
  "<m>": "openai/gpt-5.5",
};

describe("the commands the documents show are commands the CLIs take", () => {
  const commands = docCommands();

  it("finds the commands of every document", () => {
    for (const doc of DOCS) expect(commands.filter((c) => c.doc === doc).length, doc).toBeGreaterThan(0);
    expect(commands.map((c) => c.text)).toEqual(
      expect.arrayContaining([
        "codex_usage --profile all",
        "codex_auth delete openai:a --hard",
        "codex_rotate job install --yes --quiet",
        "codex_rotate job run --agent main",
      ]),
    );
  });

  it("each one parses, or names a command that a fuller one in the documents completes", () => {
    const whole = commands.filter(parses);
    const bad = commands
      .filter((c) => !parses(c))
      .filter((c) => !whole.some((w) => w.cli === c.cli && w.text.startsWith(`${c.text} `)))
      .map((c) => `${c.doc}: ${c.text}`);
    expect(bad).toEqual([]);
  });

  it("a command the CLIs refuse is caught (the check can fail)", () => {
    const planted: DocCommand = { doc: "-", cli: "codex_rotate", argv: ["apply", "--if-beter"], text: "" };
    expect(parses(planted)).toBe(false);
    expect(parses({ ...planted, argv: ["apply", "--if-better"] })).toBe(true);
  });

  it("every flag of README's synopsis is taken by its CLI in one of its operations", () => {
    const synopsis = /```bash\n(codex_usage \[[\s\S]*?)```/.exec(read("README.md"))?.[1] ?? "";
    const sections = synopsis.split(/\n(?=codex_)/);
    expect(sections.map((s) => s.split(" ")[0])).toEqual(["codex_usage", "codex_auth", "codex_rotate"]);
    const operations: Record<Cli, string[][]> = {
      codex_usage: [[]],
      codex_auth: [["status"], ["order", "set", "openai:a"], ["delete", "openai:a"], ["login"]],
      codex_rotate: [["plan"], ["apply"], ["job", "install"], ["models", "--primary", "openai/gpt-5.5"]],
    };
    const missing: string[] = [];
    for (const section of sections) {
      const cli = section.split(" ")[0] as Cli;
      for (const m of section.matchAll(/(--[a-z-]+)(?: (<[^>]+>|\w[\w.,|/-]*))?/g)) {
        const flag = m[1] as string;
        const value = m[2] === undefined ? undefined : (SAMPLE_VALUES[m[2]] ?? m[2].split("|")[0]);
        const argv = value === undefined ? [flag] : [flag, value];
        const taken = operations[cli].some((op) => parses({ doc: "README.md", cli, argv: [...op, ...argv], text: "" }));
        if (!taken) missing.push(`${cli} ${argv.join(" ")}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

/**
 * Every chat command in a code span of the documents
 * (`/codex_usage all details`, `• Re-login x: /codex_auth login x`).
 */
function chatCommands(): Array<{ doc: string; command: "codex_usage" | "codex_auth"; args: string }> {
  return DOCS.flatMap((doc) =>
    [...read(doc).matchAll(/`([^`\n]+)`/g)].flatMap((span) => {
      const m = /(?:^|[\s:])\/(codex_usage|codex_auth)\b(.*)$/.exec(span[1] ?? "");
      if (!m) return [];
      let args = (m[2] ?? "").trim();
      for (const [from, to] of PLACEHOLDERS) args = args.replace(from, to);
      return [{ doc, command: m[1] as "codex_usage" | "codex_auth", args }];
    }),
  );
}

/** What chat answers to a command, on a set holding the labels the documents and PLACEHOLDERS use. */
async function chatAnswer(command: "codex_usage" | "codex_auth", args: string) {
  const services = fakeServices();
  const set = profileSetOf([codexProfile("openai:work", 0), codexProfile("openai:x", 1), codexProfile("openai:a", 2)]);
  services.loadProfiles = async () => set;
  const progress = recordingProgress();
  const app = createChatApp({ services, settings: parseSettings({}), progress, logger: { warn: () => {} } });
  const run = command === "codex_usage" ? app.codexUsage : app.codexAuth;
  // A confirmation answers a change asked for first.
  if (command === "codex_auth" && /^(yes|y|confirm|no|n|cancel)\b/.test(args)) await run(webchatContext("retire x"));
  return run(webchatContext(args));
}

describe("the chat commands the documents show are commands chat takes", () => {
  const commands = chatCommands();

  it("finds them in SKILL.md and README.md", () => {
    const seen = commands.map((c) => `${c.doc} /${c.command} ${c.args}`.trim());
    expect(seen).toEqual(
      expect.arrayContaining([
        "SKILL.md /codex_usage all details",
        "SKILL.md /codex_auth yes",
        "README.md /codex_auth login x",
      ]),
    );
  });

  it("each one answers without an error", async () => {
    const refused: string[] = [];
    for (const c of commands) {
      const answer = await chatAnswer(c.command, c.args);
      if (answer.isError) refused.push(`${c.doc}: /${c.command} ${c.args} → ${answer.text}`);
    }
    expect(refused).toEqual([]);
  });

  it("a command chat refuses is caught (the check can fail)", async () => {
    expect((await chatAnswer("codex_usage", "all detail")).isError).toBe(true);
    expect((await chatAnswer("codex_auth", "retire")).isError).toBe(true);
    expect((await chatAnswer("codex_usage", "all details")).isError).toBeFalsy();
  });
});
