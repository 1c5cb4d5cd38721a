// A stand-in `openclaw` for what the real CLI cannot do offline (OAuth login) and for faults.
// Driven by $FAKE_OPENCLAW_DIR/scenario.json; keeps its state in state.json; appends every argv to calls.log.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

const dir = process.env.FAKE_OPENCLAW_DIR;
const argv = process.argv.slice(2);
appendFileSync(join(dir, "calls.log"), `${JSON.stringify(argv)}\n`);
const scenario = JSON.parse(readFileSync(join(dir, "scenario.json"), "utf8"));
const statePath = join(dir, "state.json");
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, "utf8")) : { order: null, profiles: [] };
const save = () => writeFileSync(statePath, JSON.stringify(state, null, 2));
const WARN =
  "Installed Gateway service state and config paths could not be verified. " +
  "Inspect the service environment with `openclaw gateway status --deep` before repairing plugin state.";
const out = (s) => process.stdout.write(`${s}\n`);
const err = (s) => process.stderr.write(`${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const opt = (name) => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};
const has = (name) => argv.includes(name);
const cmd = argv.filter(
  (a, i) => !a.startsWith("--") && !(i > 0 && ["--provider", "--agent", "--profile-id"].includes(argv[i - 1])),
);
const key = cmd.slice(0, 4).join(" ");
const provider = scenario.provider ?? "openai";

if (has("--version")) {
  out(`OpenClaw ${scenario.version ?? "2026.9.6"} (fake)`);
  process.exit(0);
}
if (scenario.mode === "hang") {
  await sleep(3_600_000);
}
if (scenario.mode === "exit1") {
  err(WARN);
  err("Error: the state database is locked by another process");
  process.exit(1);
}
if (scenario.mode === "migration") {
  out(
    JSON.stringify({
      ok: false,
      error: {
        type: "cli_error",
        message:
          `Auth profile store ${join(dir, "agent.sqlite")} requires legacy credential migration; ` +
          "affected providers: openai, openai-codex; run openclaw doctor --fix.",
      },
    }),
  );
  err(
    "[auth-profiles/persistence] Auth profile store requires legacy credential migration. " +
      `code=AUTH_PROFILE_MIGRATION_REQUIRED action="openclaw doctor --fix"`,
  );
  process.exit(1);
}
if (scenario.mode === "junk") {
  out("<html>this is not json</html>");
  process.exit(0);
}

// A stored credential's expiry stays as it is until a login replaces the credential (state.expires).
const STORED_EXPIRY = Date.parse("2027-09-01T00:00:00Z");
const expiryOf = (id) => state.expires?.[id] ?? STORED_EXPIRY;
const health = (id) => ({
  profileId: id,
  provider,
  type: "oauth",
  status: "ok",
  expiresAt: expiryOf(id),
  remainingMs: expiryOf(id) - Date.now(),
  source: "store",
  label: id,
});
const effective = () => (state.order ?? state.profiles).filter((id) => state.profiles.includes(id));

if (scenario.mode === "locked-after-set" && state.setOnce && key !== "models auth order set") {
  err("Error: database is locked");
  process.exit(1);
}

switch (true) {
  case key === "models status": {
    err(WARN);
    writeFileSync(
      join(dir, "openclaw.json"),
      JSON.stringify({ agents: { entries: Object.fromEntries((scenario.agents ?? ["main"]).map((a) => [a, {}])) } }),
    );
    out(
      JSON.stringify(
        {
          configPath: join(dir, "openclaw.json"),
          agentDir: join(dir, "agent"),
          auth: {
            storePath: join(dir, "agent.sqlite"),
            unusableProfiles: [],
            oauth: {
              warnAfterMs: 864e5,
              profiles: state.profiles.map(health),
              providers: [{ provider, effectiveProfiles: effective().map(health) }],
            },
          },
        },
        null,
        2,
      ),
    );
    break;
  }
  case key === "models auth order get": {
    err(WARN);
    const shown = scenario.mode === "mismatch" ? (scenario.staleOrder ?? null) : state.order;
    if (scenario.noiseBeforeJson) out("Some plugin printed a banner first");
    out(
      JSON.stringify(
        {
          agentId: opt("--agent") ?? "main",
          agentDir: join(dir, "agent"),
          provider: opt("--provider"),
          authStatePath: join(dir, "agent.sqlite"),
          order: shown,
        },
        null,
        2,
      ),
    );
    break;
  }
  case key === "models auth list": {
    err(WARN);
    out(
      JSON.stringify({
        agentId: "main",
        provider,
        profiles: state.profiles.map((id) => ({ id, provider, type: "oauth", email: id.split(":")[1] })),
      }),
    );
    break;
  }
  case key === "models auth order set": {
    out(WARN);
    const ids = cmd.slice(4);
    const missing = ids.find((id) => !state.profiles.includes(id));
    if (missing) {
      err(
        `Auth profile "${missing}" not found in ${join(dir, "agent")}. ` +
          `Run openclaw models auth list --provider ${provider} to see saved profiles.`,
      );
      process.exit(1);
    }
    if (scenario.mode === "set-fails") {
      err("Error: database is locked");
      process.exit(1);
    }
    if (scenario.setDelayMs) {
      // OpenClaw's start-up before it writes (2-15 s for the real CLI): another process may write meanwhile.
      await sleep(scenario.setDelayMs);
      Object.assign(state, JSON.parse(readFileSync(statePath, "utf8")));
    }
    if (scenario.mode !== "mismatch") state.order = ids;
    state.setOnce = true;
    save();
    if (scenario.mode === "save-then-hang") await sleep(3_600_000);
    out(`Agent: main\nProvider: ${provider}\nAuth profile order override: ${ids.join(", ")}`);
    err(
      "Warning: Model auth changes were saved, but the local Gateway could not refresh them. " +
        "Run `openclaw gateway restart` to apply the saved changes.",
    );
    break;
  }
  case key === "models auth order clear": {
    out(WARN);
    state.order = null;
    save();
    out("Auth profile order override cleared; selecting automatically.");
    break;
  }
  case cmd.slice(0, 3).join(" ") === "models auth logout": {
    out(WARN);
    const id = cmd[3];
    if (!state.profiles.includes(id)) {
      err(`Auth profile "${id}" not found.`);
      process.exit(1);
    }
    state.profiles = state.profiles.filter((p) => p !== id);
    if (state.order) state.order = state.order.filter((p) => p !== id);
    save();
    out(`Removed ${id}.`);
    break;
  }
  case key === "models auth login":
    await login();
    break;
  default:
    err(`fake openclaw: unsupported command ${argv.join(" ")}`);
    process.exit(2);
}

async function login() {
  if (scenario.requireTty && !process.stdin.isTTY) {
    out(WARN);
    out(
      "models auth login requires an interactive TTY. " +
        "In automation, use openclaw models auth paste-token --provider <provider> when token auth is available.",
    );
    process.exit(1);
  }
  const id = opt("--profile-id") ?? `${provider}:${scenario.loginAccount ?? "new@example.com"}`;
  out("\u001b[?25l│\r\n\u001b[?25h◇  \r\n\u001b[2KOpenClaw 2026.9.6 (fake)\r\n");
  out(WARN);
  out(
    "◇  Provider sign-in ──────────────────────────╮\n" +
      "│                                             │\n" +
      "│  Scope: System / agent                      │\n" +
      "│  Agent: main                                │\n" +
      "├─────────────────────────────────────────────╯",
  );
  if (has("--device-code")) {
    out("◇  OpenAI Codex device code ─────────────────────────────╮");
    out("│                                                        │");
    out("│  Open this URL in your browser and enter the code below. │");
    out("│  URL: <https://auth.openai.com/codex/device>           │");
    out(`│  Code: ${scenario.userCode ?? "WXYZ-1234"}                                       │`);
    out("│  Code expires in 15 minutes. Never share it.           │");
    out("├────────────────────────────────────────────────────────╯");
    out("Open: https://auth.openai.com/codex/device");
    await sleep(scenario.deviceDelayMs ?? 300);
    if (scenario.loginFails) {
      err("OpenAI device code failed\ngetaddrinfo ENOTFOUND auth.openai.com");
      process.exit(1);
    }
  } else {
    const stateParam = "st4te-abcdef123456";
    out(
      "◇  OpenAI Codex OAuth ─────────────────────────────╮\n" +
        "│  You are running in a remote/VPS environment.     │\n" +
        "│  Open it, sign in, then paste the redirect URL here. │\n" +
        "├───────────────────────────────────────────────────╯",
    );
    out("\nOpen this URL in your LOCAL browser:\n");
    out(
      "https://auth.openai.com/oauth/authorize?response_type=code&client_id=app_EMoamEEZ73f0CkXaXp7hrann" +
        "&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&scope=openid+profile+email+offline_access" +
        `&code_challenge=ch4llenge&code_challenge_method=S256&state=${stateParam}&originator=openclaw\n`,
    );
    process.stdout.write("◆  Paste the authorization code (or full redirect URL):\n│  ");
    const line = await new Promise((resolve) => {
      const rl = createInterface({ input: process.stdin, terminal: false });
      rl.once("line", (l) => {
        resolve(l);
        rl.close();
      });
      rl.once("close", () => resolve(null));
    });
    if (line === null) process.exit(1);
    if (scenario.echoInput) out(`│  ${line}`); // what a terminal echo would show
    let url;
    try {
      url = new URL(line.trim());
    } catch {
      err("Missing authorization code");
      process.exit(1);
    }
    if (url.searchParams.get("state") !== stateParam) {
      // Worst case on purpose: an error line that repeats what was pasted.
      err(`OpenAI Codex OAuth failed (callback_validation_failed): OAuth state mismatch in ${line}`);
      err("OpenAI Codex OAuth failed (callback_validation_failed): OAuth state mismatch");
      process.exit(1);
    }
    out("◇  Exchanging authorization code for tokens...");
  }
  if (!state.profiles.includes(id)) state.profiles.push(id);
  state.expires = { ...state.expires, [id]: Date.now() + 864e5 * 10 };
  save();
  out(`◇  Auth profile: ${id} (${provider}/oauth)`);
  out("Default model available: openai/gpt-6-astra");
  process.exit(0);
}
