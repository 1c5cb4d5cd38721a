import { spawn } from "node:child_process";
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChatApp, createChatApp } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import type { CommandContextLike } from "../../src/chat/request.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { buttonRows, callbackValue, discordContext, telegramContext, webchatContext } from "../support/chat-fakes.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";
import { makeFakeOpenclaw } from "../support/fake-openclaw.ts";
import { FIXTURE_ACCOUNTS, fixtureCredential, secretsOf } from "../support/fixtures.ts";
import { userOf } from "../support/hostile-endpoint.ts";
import { withRunGuard } from "../support/loopback-guard.ts";
import { copyTemplateState, ensureOpenclawBin, PROJECT_ROOT, removeRoot } from "../support/openclaw.ts";
import { sampleTeamOk } from "../support/usage-samples.ts";

/*
 * The secrets sweep: token-shaped secrets planted everywhere a user, OpenClaw's store or the usage endpoint can
 * put one (profile ids, emails, account ids, damaged fields, flags, selections, answers and headers, the login
 * transcript), then the three CLIs as processes (text and JSON, --debug where they take it) and the plugin's
 * commands. Everything they leave is scanned: stdout, stderr (pino's debug lines), chat replies, and every file
 * under the cache folder and HOME. No 12 characters from the start or the end of a token, of any JWT segment, of
 * an OAuth code or state may appear in any of it.
 */
const EXP = Math.floor(Date.now() / 1000) + 365 * 86_400;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** Unsigned, its header 35 characters (under the redactor's 40 of an opaque run). */
const JWT_X = fakeAccessToken({ accountId: "acc-x", userId: "user-x", email: "x@example.com", exp: EXP });
/** RS256 with a kid and a signature, as the real ones. */
const JWT_RS = [
  b64({ alg: "RS256", kid: "b1a2c3d4-e5f6-4789-9abc-def012345678", typ: "JWT" }),
  b64({ sub: "auth0|user-rs", aud: ["https://api.openai.com/v1"], client_id: "app_Rs0Q1w2E3r4T5y6U" }),
  Buffer.from(Array.from({ length: 96 }, (_, i) => (i * 7919 + 31) % 251)).toString("base64url"),
].join(".");
const RT = "rt_Q7mVx2LpK9sNw4HbT1cYz8RfJ3dGa6Ue0iOkPlMnBv";
const CODE = "ac_Zp4Lq8Wv2Xk6Jn0Hs3Dt7Fy1Gb5Mc9Re";
const STATE = "Kx7Vb2Nq9Lm4Pz8Rt1Ws";
const REDIRECT = `http://localhost:1455/auth/callback?code=${CODE}&scope=openid&state=${STATE}`;
const BARE = `code=${CODE}&state=${STATE}`;

const store = {
  version: 1,
  profiles: {
    "openai-codex:alice": fixtureCredential(FIXTURE_ACCOUNTS[0]!, "openai-codex", EXP),
    "openai-codex:bob": {
      ...fixtureCredential(FIXTURE_ACCOUNTS[1]!, "openai-codex", EXP),
      email: JWT_RS,
      accountId: RT,
    },
    [`openai-codex:x_${JWT_X}`]: fixtureCredential(FIXTURE_ACCOUNTS[2]!, "openai-codex", EXP),
    [`openai-codex:${RT}`]: fixtureCredential(FIXTURE_ACCOUNTS[3]!, "openai-codex", EXP),
    "openai-codex:broken": { type: "oauth", provider: "openai-codex", access: 12, refresh: JWT_RS, email: REDIRECT },
  },
} as const;

/** Every secret in play: no 12 characters from the start or end of it, or of any of its JWT segments, may show. */
const PIECES = [...new Set([JWT_X, JWT_RS, RT, CODE, STATE, ...secretsOf(store)])].flatMap((s) =>
  (s.startsWith("eyJ") ? s.split(".") : [s])
    .filter((part) => part.length >= 12)
    .flatMap((part) => [part.slice(0, 12), part.slice(-12)]),
);

function expectNoPiece(label: string, text: string): void {
  for (const piece of PIECES) expect(text.includes(piece), `${label} holds ${piece.slice(0, 4)}…`).toBe(false);
  expect(/eyJ[A-Za-z0-9_-]{8,}/.test(text), `${label} holds a JWT segment`).toBe(false);
}

/** The usage endpoint: hostile to each fixture user, or `ok` to everyone once allOk is set. */
let allOk = false;
const endpoint: Server = createServer((req, res) => {
  const auth = req.headers.authorization ?? "";
  const bearer = auth.replace(/^Bearer /, "");
  const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  if (allOk) return reply(200, sampleTeamOk(Date.now(), 18, 36));
  switch (userOf(bearer)) {
    case "user-alice": {
      const body = sampleTeamOk(Date.now(), 18, 36) as Record<string, unknown>;
      body.email = bearer;
      body.plan_type = bearer.split(".")[1];
      body.additional_rate_limits = [
        {
          limit_name: JWT_RS,
          metered_feature: RT,
          rate_limit: {
            allowed: true,
            limit_reached: false,
            primary_window: { used_percent: 5, limit_window_seconds: 18000, reset_after_seconds: 60, reset_at: null },
          },
        },
      ];
      return reply(200, body, { "x-echo": auth });
    }
    case "user-bob":
      return reply(401, { error: { message: `invalid ${auth} refresh=${RT}`, code: bearer.slice(-30) } });
    case "user-carol":
      return reply(429, { detail: `slow down ${bearer}` }, { "retry-after": bearer, "x-retry": RT });
    case "user-dave":
      return reply(500, `<html>${auth} ${RT} ${REDIRECT}</html>`);
    default:
      return reply(403, { detail: `forbidden ${auth}` });
  }
});

let root: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
  root = mkdtempSync(join(tmpdir(), "cxp-secrets-sweep-"));
  const agentDir = join(root, "state/agents/main/agent");
  mkdirSync(agentDir, { recursive: true });
  writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
  mkdirSync(join(root, "home"));
  env = withRunGuard({
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: join(root, "home"),
    OPENCLAW_STATE_DIR: join(root, "state"),
    CODEX_PROFILER_USAGE_URL: `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/backend-api/wham/usage`,
    CODEX_PROFILER_CACHE_DIR: join(root, "cache"),
  });
});

afterAll(async () => {
  endpoint.closeAllConnections();
  await new Promise((resolve) => endpoint.close(resolve));
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(script: string, args: string[], over: NodeJS.ProcessEnv = {}, stdin = ""): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(join(PROJECT_ROOT, "scripts", script), args, {
      env: { ...env, ...over },
      stdio: ["pipe", "pipe", "pipe"],
      timeout: 90_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdin.on("error", () => {}); // a child that exits before reading its input
    child.stdin.end(stdin);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs each case and scans its stdout and stderr; the exit codes, for the caller to check. */
async function sweep(script: string, cases: string[][], over: NodeJS.ProcessEnv = {}, stdin = ""): Promise<Run[]> {
  const runs: Run[] = [];
  for (const args of cases) {
    const r = await run(script, args, over, stdin);
    const label = `${script} ${args.map((a) => a.slice(0, 16)).join(" ")}`;
    expect(r.stdout.length + r.stderr.length, label).toBeGreaterThan(0);
    expectNoPiece(`${label} stdout`, r.stdout);
    expectNoPiece(`${label} stderr`, r.stderr);
    runs.push(r);
    dump(`${label} (${r.code})`, `${r.stdout}\n--- stderr\n${r.stderr}`);
  }
  return runs;
}

/** SWEEP_DUMP=<file>: what each case printed, to read what the sweep saw. */
function dump(label: string, text: string): void {
  if (process.env.SWEEP_DUMP) appendFileSync(process.env.SWEEP_DUMP, `\n### ${label}\n${text.slice(0, 1500)}\n`);
}

/**
 * The command on Telegram (callback buttons) and Discord (command buttons): the reply, each button's label and
 * value, and on Telegram the text a tap submits back to OpenClaw (as if the user typed it) and the reply to that.
 */
async function buttonsSwept(app: ChatApp, command: "codex_usage" | "codex_auth", args: string): Promise<void> {
  const run = (ctx: CommandContextLike) => (command === "codex_usage" ? app.codexUsage(ctx) : app.codexAuth(ctx));
  const label = `/${command} ${args.slice(0, 16)}`;
  const discord = await run(discordContext(args, { commandBody: `/${command} ${args}` }));
  expectNoPiece(`${label} on Discord`, JSON.stringify(discord));
  const telegram = await run(telegramContext(args, { commandBody: `/${command} ${args}` }));
  expectNoPiece(`${label} on Telegram`, JSON.stringify(telegram));
  for (const button of buttonRows(telegram).flat()) {
    if (button.action.type !== "callback") continue;
    const tapped = await app.onCallback({
      channel: "telegram",
      auth: { isAuthorizedSender: true },
      callback: { payload: callbackValue(button).slice(4) },
    });
    const submitted = tapped.submitText ?? "";
    expectNoPiece(`${label} tap "${button.label}" submits`, submitted);
    dump(`${label} tap ${button.label}`, submitted);
    const [name, ...rest] = submitted.replace(/^\//, "").split(" ");
    if (name === "codex_usage" || name === "codex_auth") {
      const ctx = telegramContext(rest.join(" "), { commandBody: submitted });
      const next = name === "codex_usage" ? await app.codexUsage(ctx) : await app.codexAuth(ctx);
      expectNoPiece(`${label} tap "${button.label}" answer`, JSON.stringify(next));
    }
  }
}

function filesUnder(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => {
    const path = join(dir, n);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const HOSTILE_SELECTIONS = [`1,${JWT_X}`, `x_${JWT_X}`, JWT_RS, RT, REDIRECT, BARE, `openai-codex:${CODE}`];

describe("the CLIs against a hostile store, endpoint and flags", () => {
  it("codex_usage, hostile answers (401/403/429/500 echo the bearer; a JWT in email, plan, limit name)", async () => {
    const [text, json] = await sweep("codex_usage", [
      ["--format", "text", "--details", "--forecast", "--debug", "--retries", "0"],
      ["--format", "json", "--details", "--debug", "--no-cache", "--retries", "0"],
    ]);
    // Every profile is still one line, and the debug log was written.
    expect(text!.stdout.split("\n").filter((l) => /^[🟢🟠🔴]/u.test(l))).toHaveLength(5);
    expect(text!.stderr).toContain('"msg":"usage fetched"');
    expect(JSON.parse(json!.stdout).profiles).toHaveLength(5);
  });

  it("codex_usage with a token, a JWT, a code or a redirect URL as --profile, --agent, --auth-path", async () => {
    allOk = true;
    const cases = [
      ...HOSTILE_SELECTIONS.map((s) => ["--profile", s, "--debug", "--format", "text"]),
      ...HOSTILE_SELECTIONS.map((s) => ["--profile", s, "--debug"]),
      ...[RT, JWT_X, REDIRECT].flatMap((a) => [
        ["--agent", a, "--debug", "--format", "text"],
        ["--agent", a, "--debug"],
      ]),
      ...[JWT_X, REDIRECT, join(root, RT)].flatMap((p) => [
        ["--auth-path", p, "--debug", "--format", "text"],
        ["--auth-path", p, "--debug"],
      ]),
      [`--${RT}`, "--format", "json"],
      ["--format", "text", "--debug", "--timeout-sec", JWT_X],
    ];
    const runs = await sweep("codex_usage", cases);
    for (const r of runs) expect(r.code).not.toBe(1);
  });

  it("codex_usage and codex_rotate on token-shaped ids (plan, apply, job run, alerts run, job status)", async () => {
    allOk = true;
    const [text] = await sweep("codex_usage", [
      ["--format", "text", "--details", "--debug"],
      ["--format", "json", "--debug", "--no-cache"],
    ]);
    expect(text!.stdout.split("\n").filter((l) => l.startsWith("🟢"))).toHaveLength(5);
    await sweep("codex_rotate", [
      ["plan"],
      ["plan", "--format", "json"],
      ["apply", "--format", "json"],
      ["job", "run"],
      ["alerts", "run"],
      ["job", "run", "--agent", RT],
      ["alerts", "run", "--agent", RT],
      ["plan", "--agent", JWT_X],
      ["job", "status", "--agent", RT],
      ["job", "install", "--agent", RT, "--yes"],
      ["models", "--primary", JWT_X],
    ]);
  });

  it("codex_auth and plugin /codex_auth via a fake openclaw: by name, by number, applied, logged in", async () => {
    allOk = true;
    // OpenClaw 2026.9.6's ids (openai:…) over the same credentials, in the folder the fake names as the agent's.
    const renamed = (id: string) => id.replace(/^openai-codex:/, "openai:");
    const ids = Object.keys(store.profiles).map(renamed);
    // The JWT-named id (over OpenClaw's 160 characters) is out of the order, so that an order can be stored.
    const order = [ids[0]!, ids[1]!, ids[3]!];
    const f = makeFakeOpenclaw({ echoInput: true, loginAccount: `y_${JWT_RS}` }, { order, profiles: ids });
    try {
      const agentDir = join(f.dir, "state/agents/main/agent");
      mkdirSync(agentDir, { recursive: true });
      const profiles = Object.fromEntries(
        Object.entries(store.profiles).map(([id, c]) => [renamed(id), { ...c, provider: "openai" }]),
      );
      writeFileSync(
        join(agentDir, "auth-profiles.json"),
        JSON.stringify({ version: 1, profiles, order: { openai: order } }),
        {
          mode: 0o600,
        },
      );
      symlinkSync(agentDir, join(f.dir, "agent"));
      const over = {
        ...f.env,
        PATH: `${f.dir}:${dirname(process.execPath)}:/usr/bin:/bin`,
        HOME: env.HOME,
        OPENCLAW_STATE_DIR: join(f.dir, "state"),
      };
      const names = [JWT_X, `x_${JWT_X}`, RT, REDIRECT, BARE, `1,${JWT_RS}`];
      const [status] = await sweep(
        "codex_auth",
        [
          ["status", "--format", "text", "--debug"],
          ["status", "--debug"],
          ["order", "show", "--format", "text"],
          ["doctor", "--format", "text", "--debug"],
          ...names.flatMap((n) => [
            ["retire", n, "--debug"],
            ["delete", n, "--hard", "--format", "text"],
            ["order", "set", "alice", n, "--debug"],
            ["login", "--profile", n, "--debug", "--format", "text"],
          ]),
          // The CLI takes no list number: "3" is the id openai:3, unknown.
          ["retire", "3", "--format", "text", "--debug"],
          ["status", "--agent", RT, "--debug"],
        ],
        over,
      );
      expect(status!.stdout).toContain("alice");
      // Rotation stores an order holding the token-named ids through the fake's `models auth order set`.
      await sweep(
        "codex_rotate",
        [
          ["apply", "--yes", "--format", "json"],
          ["apply", "--yes"],
        ],
        over,
      );
      // The browser login, the paste echoed by the child: a state mismatch quoting it, then a login that succeeds.
      const good = REDIRECT.replace(STATE, "st4te-abcdef123456");
      await sweep("codex_auth", [["login", "--debug", "--format", "text"]], over, `${REDIRECT}\n`);
      const [login] = await sweep("codex_auth", [["login", "--debug"]], over, `${good}\n`);
      expect(JSON.parse(login!.stdout)).toMatchObject({ action: "login", ok: true });

      const warned: string[] = [];
      const app = createChatApp({
        services: realServices(parseSettings({}), { ...env, ...over }),
        settings: parseSettings({}),
        progress: { send: async () => true },
        logger: { warn: (line: string) => warned.push(line) },
      });
      // 3 and 4 are the token-named profiles (shown, refused as ids to change); bob's email and account id are
      // tokens, and his changes go through.
      const chat = [
        "",
        "status",
        "3",
        "retire 3",
        "2",
        "retire 2",
        "yes",
        "first 2",
        "yes",
        "delete 4",
        "optimize",
        ...HOSTILE_SELECTIONS.flatMap((s) => [s, `add ${s}`, `relogin ${s}`, `retire ${s}`, `first ${s}`]),
      ];
      for (const args of chat) {
        const reply = JSON.stringify(await app.codexAuth(webchatContext(args, { commandBody: `/codex_auth ${args}` })));
        expectNoPiece(`/codex_auth ${args.slice(0, 16)}`, reply);
        dump(`/codex_auth ${args.slice(0, 16)}`, reply);
      }
      for (const args of ["", "3", "4", "2", "retire 2", ...HOSTILE_SELECTIONS])
        await buttonsSwept(app, "codex_auth", args);
      expectNoPiece("plugin warnings", warned.join("\n"));
      // bob was retired through OpenClaw, the token-named id passed to it whole (and shown nowhere).
      const sets = f.calls().filter((c) => c.includes("set"));
      expect(
        sets.some((c) => c.includes("openai:alice") && c.includes(`openai:${RT}`) && !c.includes("openai:bob")),
      ).toBe(true);
    } finally {
      f.remove();
    }
  });

  it("the plugin's /codex_usage: replies, buttons and their commands", async () => {
    allOk = false;
    const app = createChatApp({
      services: realServices(parseSettings({}), { ...env, PATH: "/nonexistent" }),
      settings: parseSettings({}),
      progress: { send: async () => true },
      logger: { warn: (line: string) => expectNoPiece("plugin warn", line) },
    });
    const usageArgs = [
      "",
      "all details",
      "pool",
      ...HOSTILE_SELECTIONS,
      ...HOSTILE_SELECTIONS.map((s) => `${s} details`),
    ];
    for (const args of usageArgs) {
      const reply = JSON.stringify(await app.codexUsage(webchatContext(args)));
      expectNoPiece(`/codex_usage ${args.slice(0, 16)}`, reply);
      dump(`/codex_usage ${args.slice(0, 16)}`, reply);
    }
    for (const args of ["", "all", "3", "4", ...HOSTILE_SELECTIONS]) await buttonsSwept(app, "codex_usage", args);
  });

  it("an openclaw.json whose $include path, or whose default agent's id, is a token", async () => {
    allOk = true;
    const state = join(root, "state-config");
    const agents = [`agents/main/agent`, `agents/${RT}/agent`];
    for (const dir of agents) {
      mkdirSync(join(state, dir), { recursive: true });
      writeFileSync(join(state, dir, "auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
    }
    const over = { OPENCLAW_STATE_DIR: state };
    writeFileSync(join(state, "openclaw.json"), JSON.stringify({ agents: { $include: `./x_${JWT_X}.json5` } }));
    const [included] = await sweep("codex_usage", [["--format", "text", "--debug"], ["--debug"]], over);
    expect(included!.stderr).toContain("config_invalid");
    writeFileSync(
      join(state, "openclaw.json"),
      JSON.stringify({ agents: { list: [{ id: "main" }, { id: RT, default: true }] } }),
    );
    const [listed] = await sweep(
      "codex_usage",
      [["--format", "text", "--debug"], ["--debug"], ["--agent", "nope", "--format", "text"]],
      over,
    );
    expect(listed!.stdout.split("\n").filter((l) => l.startsWith("🟢"))).toHaveLength(5);
    await sweep("codex_rotate", [["plan"], ["job", "run"], ["alerts", "run"], ["job", "status"]], over);
  });

  it("a store damaged with tokens in its fields, its order, lastGood and usageStats", async () => {
    allOk = true;
    const agentDir = join(root, "state-damaged/agents/main/agent");
    mkdirSync(agentDir, { recursive: true });
    const good = (i: number) => fixtureCredential(FIXTURE_ACCOUNTS[i]!, "openai-codex", EXP);
    const damaged = {
      version: 1,
      profiles: {
        "openai-codex:alice": good(0),
        "openai-codex:d1": { ...good(1), expires: RT },
        "openai-codex:d2": { ...good(2), type: JWT_X },
        "openai-codex:d3": { ...good(3), provider: RT },
        "openai-codex:d4": JWT_RS,
        "openai-codex:d5": { ...good(1), access: `Bearer ${JWT_X}x` },
        [RT]: good(2),
        [JWT_RS]: good(3),
      },
      order: { "openai-codex": [RT, `x_${JWT_X}`] },
      lastGood: { "openai-codex": JWT_X },
      usageStats: { [`openai-codex:${RT}`]: { errorCount: 1, cooldownUntil: JWT_X, disabledReason: RT } },
    };
    writeFileSync(join(agentDir, "auth-profiles.json"), JSON.stringify(damaged), { mode: 0o600 });
    const over = { OPENCLAW_STATE_DIR: join(root, "state-damaged") };
    const [text] = await sweep(
      "codex_usage",
      [
        ["--format", "text", "--details", "--debug"],
        ["--debug", "--no-cache"],
        ["--profile", "2", "--debug"],
      ],
      over,
    );
    expect(text!.stderr).toContain("could not be read and are left out");
    await sweep("codex_rotate", [["plan"], ["plan", "--format", "json"], ["job", "run"]], over);
  });

  it("OpenClaw 2026.9.6's SQLite store holding them, read by the CLIs and by the real openclaw", async () => {
    allOk = false;
    ensureOpenclawBin();
    const r = await copyTemplateState("cxp-secrets-sweep-sql-");
    try {
      const db = new DatabaseSync(join(r.stateDir, "state/openclaw.sqlite"));
      const select = "SELECT value_json AS json FROM config_machine_state WHERE state_key = 'authProfiles.store'";
      const saved = JSON.parse((db.prepare(select).get() as { json: string }).json);
      const p = saved.profiles;
      p[`openai:x_${JWT_X}`] = p["openai:carol@example.com"];
      p[`openai:${RT}`] = p["openai:dave@example.com"];
      delete p["openai:carol@example.com"];
      delete p["openai:dave@example.com"];
      p["openai:bob@example.com"] = { ...p["openai:bob@example.com"], email: JWT_RS, accountId: RT };
      p["openai:broken"] = { type: "oauth", provider: "openai", access: 12, refresh: JWT_RS, email: REDIRECT };
      const update = "UPDATE config_machine_state SET value_json = ? WHERE state_key = 'authProfiles.store'";
      db.prepare(update).run(JSON.stringify(saved));
      db.close();
      const over = {
        ...r.env,
        CODEX_PROFILER_USAGE_URL: env.CODEX_PROFILER_USAGE_URL,
        CODEX_PROFILER_CACHE_DIR: env.CODEX_PROFILER_CACHE_DIR,
      };
      const [text] = await sweep(
        "codex_usage",
        [
          ["--format", "text", "--details", "--debug", "--retries", "0"],
          ["--debug", "--no-cache", "--retries", "0"],
        ],
        over,
      );
      expect(text!.stderr).toContain('"layout":"sqlite"');
      expect(text!.stdout.split("\n").filter((l) => /^[🟢🟠🔴]/u.test(l))).toHaveLength(5);
      // The real CLI's own answers (models status, auth order get) name the token-shaped ids.
      const [status] = await sweep("codex_auth", [["status", "--format", "text", "--debug"]], over);
      expect(status!.stdout).toMatch(/^ {2}3 {2}openai:x_\[redacted\]/m);
    } finally {
      removeRoot(r);
    }
  }, 240_000);

  it("leaves no piece of a secret in any file of its own: usage cache, history, rotation and alert state", () => {
    const files = [...filesUnder(join(root, "cache")), ...filesUnder(join(root, "home"))];
    expect(files.map((f) => f.slice(root.length))).toEqual(
      expect.arrayContaining(["/cache/usage-cache.json", "/cache/usage-history.json", "/cache/rotation-state.json"]),
    );
    for (const file of files) expectNoPiece(file.slice(root.length), readFileSync(file, "utf8"));
    // The token-shaped ids were read and kept, by their digest.
    expect(readFileSync(join(root, "cache/usage-history.json"), "utf8")).toContain("redacted-sha256:");
  });
});
