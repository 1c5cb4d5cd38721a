import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { createChatApp } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { webchatContext } from "./chat-fakes.ts";
import { legacyAuthProfiles, secretsOf } from "./fixtures.ts";
import { withRunGuard } from "./loopback-guard.ts";
import { PROJECT_ROOT } from "./openclaw.ts";
import { expectNoSecrets } from "./secrets.ts";
import { sampleTeamOk } from "./usage-samples.ts";

/*
 * The usage endpoint turned hostile, for the tests that drive the real entry points against it (scripts/codex_usage
 * as a process, the plugin's /codex_usage on the real services): a raw node:http server on loopback answers each
 * user (alice, bob, carol, dave of the fixture store, in that order) as the test says, `ok` by default.
 */

export type Answer = (req: IncomingMessage, res: ServerResponse, bearer: string) => void;

/** The fixture user a bearer token's payload names ("user-alice"), or "?". */
export const userOf = (bearer: string): string => {
  try {
    const claims = JSON.parse(Buffer.from(bearer.split(".")[1] ?? "", "base64url").toString("utf8"));
    return String(claims["https://api.openai.com/auth"]?.chatgpt_user_id);
  } catch {
    return "?";
  }
};

export const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(typeof body === "string" ? body : JSON.stringify(body));
};
/** The Team sample, 5h 18 % and week 36 % used: "5h **82%** | week **64%**". */
export const ok: Answer = (_req, res) => json(res, 200, sampleTeamOk(Date.now(), 18, 36));

export function hostileEndpoint() {
  const store = legacyAuthProfiles({ provider: "openai" });
  const secrets = secretsOf(store);
  const answers = new Map<string, Answer>();
  const seen: Array<{ user: string; atMs: number }> = [];
  const tmp = mkdtempSync(join(tmpdir(), "cxp-usage-hostile-"));
  const stateDir = join(tmp, "state");
  let url = "";
  const server = createServer((req, res) => {
    const bearer = (req.headers.authorization ?? "").replace(/^Bearer /, "");
    const user = userOf(bearer);
    seen.push({ user, atMs: Date.now() });
    (answers.get(user) ?? ok)(req, res, bearer);
  });

  const env = (): NodeJS.ProcessEnv =>
    withRunGuard({
      PATH: process.env.PATH,
      HOME: join(tmp, "home"),
      OPENCLAW_STATE_DIR: stateDir,
      CODEX_PROFILER_USAGE_URL: url,
      CODEX_PROFILER_CACHE_DIR: join(tmp, "cache"),
    });

  return {
    answers,
    seen,
    tmp,
    env,
    async start(): Promise<void> {
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/backend-api/wham/usage`;
      mkdirSync(join(stateDir, "agents/main/agent"), { recursive: true });
      writeFileSync(join(stateDir, "agents/main/agent/auth-profiles.json"), JSON.stringify(store), { mode: 0o600 });
    },
    async close(): Promise<void> {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(tmp, { recursive: true, force: true });
    },
    /** Every user answered `ok` again, the request log and the cache emptied. */
    reset(): void {
      answers.clear();
      seen.length = 0;
      rmSync(join(tmp, "cache"), { recursive: true, force: true });
    },
    /** scripts/codex_usage as a process; killed after 60 s, so a run that hangs fails its test instead. */
    runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
      return new Promise((resolve) => {
        const child = spawn(join(PROJECT_ROOT, "scripts/codex_usage"), args, {
          env: env(),
          stdio: ["ignore", "pipe", "pipe"],
          timeout: 60_000,
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      });
    },
    /** The plugin's /codex_usage on the real services (web chat: one final reply), as JSON text. */
    async runChat(args: string): Promise<string> {
      const app = createChatApp({
        services: realServices(parseSettings({}), env()),
        settings: parseSettings({}),
        progress: { send: async () => true },
        logger: { warn: () => {} },
      });
      return JSON.stringify(await app.codexUsage(webchatContext(args)));
    },
    /** Everything in the cache folder. */
    cacheText(): string {
      const dir = join(tmp, "cache");
      try {
        return readdirSync(dir)
          .map((f) => readFileSync(join(dir, f), "utf8"))
          .join("\n");
      } catch {
        return "";
      }
    },
    /** No run of `size` characters of any token (nor the whole of one, nor a JWT) in the texts. */
    expectNoTokenPiece(texts: string[], size = 12): void {
      const haystack = texts.join("\n");
      expectNoSecrets(haystack, secrets);
      for (const s of secrets.filter((x) => x.startsWith("eyJ"))) {
        for (let i = 0; i + size <= s.length; i++) {
          const piece = s.slice(i, i + size);
          if (piece.includes(".")) continue;
          expect(haystack.includes(piece), `a piece of a token leaked at ${i}`).toBe(false);
        }
      }
    },
  };
}
