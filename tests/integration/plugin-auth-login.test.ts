import { readdirSync, readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { authServices } from "../../src/chat/auth-services.ts";
import { fakeOpenclawPerTest } from "../support/fake-openclaw.ts";
import { codexProfile, profileSetOf } from "../support/profile-set.ts";

const fake = fakeOpenclawPerTest();
const loginCalls = (calls: string[][]) => calls.filter((argv) => argv.slice(0, 3).join(" ") === "models auth login");

describe("chat re-login through the plugin's services and a fake openclaw: the command shown is run", () => {
  it("a legacy openai-codex profile next to openai ones on 2026.9 is shown and run as openai:<name>", async () => {
    const ids = ["openai:alice@example.com", "openai-codex:x"];
    const f = fake({ version: "2026.9.6", userCode: "QRST-7788" }, { profiles: ids });
    const services = authServices(f.env, "2026.9.6");
    const set = profileSetOf(ids.map((id, i) => codexProfile(id, i)));
    const view = await services.planAuth({ action: "login", profileId: "openai-codex:x", agentId: "main" }, set);
    expect(view.commands).toEqual([
      [
        "models",
        "auth",
        "login",
        "--provider",
        "openai",
        "--profile-id",
        "openai:x",
        "--device-code",
        "--agent",
        "main",
      ],
    ]);
    expect(view.summary).toContain("as openai:x");
    expect(view.resolved).toMatchObject({ profileId: "openai:x", provider: "openai" });

    const start = await services.startLogin(view.resolved!);
    expect(start.userCode).toBe("QRST-7788");
    expect(loginCalls(f.calls())).toEqual(view.commands);
    const state = async () => (await services.pollLogin({ sessionId: start.sessionId })).state;
    await expect.poll(state, { timeout: 30_000, interval: 200 }).toBe("done");
  });

  it("a login confirmed for another provider than this OpenClaw's is refused before anything runs", async () => {
    const f = fake({ version: "2026.9.6" }, { profiles: ["openai-codex:x"] });
    // No host version: the plan takes the store's provider, and the store holds only openai-codex profiles.
    const services = authServices(f.env);
    const set = profileSetOf([codexProfile("openai-codex:x", 0)], { orderProvider: "openai-codex" });
    const view = await services.planAuth({ action: "login", profileId: "openai-codex:x", agentId: "main" }, set);
    expect(view.commands[0]).toContain("openai-codex:x");
    await expect(services.startLogin(view.resolved!)).rejects.toMatchObject({ code: "login_unsupported" });
    expect(loginCalls(f.calls())).toEqual([]);
  });
});

/** Our fake's login processes still running (found by the FAKE_OPENCLAW_DIR in their environment). */
function loginProcesses(dir: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const env = readFileSync(`/proc/${p}/environ`, "utf8");
        return (
          env.includes(`FAKE_OPENCLAW_DIR=${dir}\0`) && readFileSync(`/proc/${p}/cmdline`, "utf8").includes("login")
        );
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Logins running: their openclaw (the fake's node process), not script(1) around it. */
function loginsRunning(dir: string): number {
  const isOpenclaw = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("fake-openclaw-bin.mjs");
    } catch {
      return false;
    }
  };
  return loginProcesses(dir).filter(isOpenclaw).length;
}

describe("one login per sender", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const pid of dirs.flatMap(loginProcesses)) process.kill(pid, "SIGKILL");
  });

  it("a second login replaces the first: its openclaw is stopped and its check says it no longer runs", async () => {
    const f = fake({ version: "2026.9.6", deviceDelayMs: 120_000 }, { profiles: ["openai:alice@example.com"] });
    dirs.push(f.dir);
    const services = authServices(f.env, "2026.9.6");
    const first = await services.startLogin({ agentId: "main" });
    expect(loginsRunning(f.dir)).toBe(1);
    const second = await services.startLogin({ agentId: "main", replaces: first.sessionId });
    await expect.poll(() => loginsRunning(f.dir), { timeout: 15_000, interval: 100 }).toBe(1);
    expect((await services.pollLogin({ sessionId: first.sessionId })).state).toBe("expired");
    expect((await services.pollLogin({ sessionId: second.sessionId })).state).toBe("pending");
    expect(loginCalls(f.calls())).toHaveLength(2);
  });
});
