import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CallbackTokens } from "../../src/chat/callback-tokens.ts";
import { renderReply } from "../../src/chat/reply.ts";
import { DuplicateGuard } from "../../src/chat/request.ts";
import { parseSettings, settingsJsonSchema } from "../../src/chat/settings.ts";
import type { CommandDefinitionLike, InteractiveRegistrationLike, PluginApiLike } from "../../src/plugin/api-types.ts";
import entry, { registerCodexProfiler } from "../../src/plugin/index.ts";
import { buttonRows, fakeServices, telegramContext } from "../support/chat-fakes.ts";

describe("DuplicateGuard", () => {
  it("keeps memory bounded, dropping the oldest requests first", () => {
    let now = 0;
    const guard = new DuplicateGuard({ windowMs: 20_000, now: () => now, maxEntries: 3 });
    for (const s of ["a", "b", "c", "d"]) {
      const d = guard.begin(s, "usage:all");
      if (d.run) d.finish();
      now += 1;
    }
    expect(guard.size).toBe(3);
    expect(guard.begin("a", "usage:all").run).toBe(true); // forgotten, so it runs
    expect(guard.begin("d", "usage:all").run).toBe(false);
  });

  it("forgets finished requests once their window has passed", () => {
    let now = 0;
    const guard = new DuplicateGuard({ windowMs: 1000, now: () => now });
    for (let i = 0; i < 50; i++) {
      const d = guard.begin(`s${i}`, "r");
      if (d.run) d.finish();
    }
    now = 1000;
    const d = guard.begin("new", "r");
    expect(d.run).toBe(true);
    expect(guard.size).toBe(1);
  });

  it("holds a running request's repeat back, but not past 10 minutes: one that long has hung", () => {
    let now = 0;
    const guard = new DuplicateGuard({ windowMs: 20_000, now: () => now });
    expect(guard.begin("s", "usage:all").run).toBe(true);
    now = 9 * 60_000;
    expect(guard.begin("s", "usage:all")).toMatchObject({ run: false, state: "running" });
    now = 10 * 60_000 + 1;
    expect(guard.begin("s", "usage:all").run).toBe(true);
  });
});

describe("CallbackTokens", () => {
  it("expires tokens and stays bounded", () => {
    let now = 0;
    const tokens = new CallbackTokens({ ttlMs: 100, now: () => now, maxEntries: 10 });
    const first = tokens.issue("/codex_usage all").slice(4);
    expect(tokens.resolve(first)).toBe("/codex_usage all");
    for (let i = 0; i < 50; i++) tokens.issue(`/codex_usage ${i}`);
    expect(tokens.size).toBeLessThanOrEqual(10);
    expect(tokens.resolve(first)).toBeNull(); // evicted as the oldest
    const late = tokens.issue("/codex_auth").slice(4);
    now = 100;
    expect(tokens.resolve(late)).toBeNull();
    expect(tokens.resolve("nope")).toBeNull();
  });
});

describe("settings", () => {
  it("defaults to a 20 s window and buttons on the verified channels: Telegram, Discord, Slack", () => {
    const s = parseSettings(undefined);
    expect(s.dedupeWindowMs).toBe(20_000);
    expect([...s.buttonChannels]).toEqual(["telegram", "discord", "slack"]);
  });

  it("refuses bad config with a stable code", () => {
    expect(() => parseSettings({ dedupeWindowSec: -1 })).toThrow(expect.objectContaining({ code: "invalid_settings" }));
    expect(() => parseSettings({ surprise: true })).toThrow(/plugin config is invalid/);
  });

  it("openclaw.plugin.json carries exactly the settings schema", () => {
    const manifest = JSON.parse(readFileSync(new URL("../../openclaw.plugin.json", import.meta.url), "utf8")) as Record<
      string,
      unknown
    >;
    expect(manifest.id).toBe("codex-profiler");
    expect(manifest.configSchema).toEqual(settingsJsonSchema());
    expect(manifest.skills).toEqual(["."]);
  });
});

function fakeApi(over: Partial<PluginApiLike> = {}) {
  const commands: CommandDefinitionLike[] = [];
  const interactive: InteractiveRegistrationLike[] = [];
  const warnings: string[] = [];
  const api: PluginApiLike = {
    pluginConfig: {},
    logger: { info: () => {}, warn: (m) => warnings.push(m) },
    registerCommand: (c) => commands.push(c),
    registerInteractiveHandler: (r) => interactive.push(r),
    ...over,
  };
  return { api, commands, interactive, warnings };
}

describe("plugin entry", () => {
  it("registers codex_usage, codex_auth (names valid for Telegram menus) and the cxp handlers", () => {
    const { api, commands, interactive } = fakeApi();
    entry.register(api);
    expect(commands.map((c) => c.name)).toEqual(["codex_usage", "codex_auth"]);
    for (const c of commands) {
      expect(c.name).toMatch(/^[a-z0-9_]{1,32}$/);
      expect(c.acceptsArgs).toBe(true);
      expect(c.requireAuth).toBe(true);
    }
    // Discord's buttons are command buttons: OpenClaw runs them as commands, no handler is involved.
    expect(interactive.map((r) => [r.channel, r.namespace])).toEqual([
      ["telegram", "cxp"],
      ["slack", "cxp"],
    ]);
    expect(entry.configSchema.safeParse({ dedupeWindowSec: 30 }).success).toBe(true);
    expect(entry.configSchema.safeParse({ dedupeWindowSec: "x" }).success).toBe(false);
  });

  it("on an OpenClaw without registerInteractiveHandler, says so and shows text choices even on Telegram", async () => {
    const { api, commands, warnings } = fakeApi({ registerInteractiveHandler: undefined });
    registerCodexProfiler(api, { services: fakeServices() });
    expect(warnings.join("\n")).toContain("no registerInteractiveHandler");
    const r = await commands.find((c) => c.name === "codex_usage")!.handler(telegramContext(""));
    expect(r.presentation).toBeUndefined();
    expect(r.text).toContain(
      "Reply /codex_usage <number>, or:\n• default: /codex_usage default\n• all: /codex_usage all\n1. alice",
    );
  });

  it("registers where OpenClaw withholds its runtime (2026.8's cli-metadata registration throws on any read)", () => {
    // As OpenClaw 2026.9.6 builds it (createUnavailableRuntime): every property read throws.
    const runtime = new Proxy(Object.create(null), {
      get(_target, property) {
        if (typeof property === "symbol") return undefined;
        throw new Error(
          'Plugin "codex-profiler" runtime is intentionally unavailable during "cli-metadata" registration.',
        );
      },
    });
    const { api, commands } = fakeApi({ registrationMode: "cli-metadata", runtime } as Partial<PluginApiLike>);
    expect(() => entry.register(api)).not.toThrow();
    expect(commands.map((c) => c.name)).toEqual(["codex_usage", "codex_auth"]);
  });

  it("refuses invalid plugin config at registration with a clear message", () => {
    const { api } = fakeApi({ pluginConfig: { dedupeWindowSec: "soon" } });
    expect(() => entry.register(api)).toThrow(/codex-profiler plugin config is invalid/);
  });

  it("with interactive handlers, Telegram gets buttons from the registered command", async () => {
    const { api, commands } = fakeApi();
    registerCodexProfiler(api, { services: fakeServices() });
    const r = await commands[0]!.handler(telegramContext(""));
    expect(buttonRows(r)[0]?.map((b) => b.label)).toEqual(["default", "all"]);
  });
});

describe("renderReply with a chart", () => {
  const tokens = new CallbackTokens({ ttlMs: 60_000 });
  const chart = { title: "Codex pool", categories: ["a", "b"], series: [{ name: "left", values: [20, 40] }] };
  const choice = { label: "Re-login a", command: "/codex_auth login openai:a", typed: "/codex_auth login a" };
  it("goes along as a chart block only where the channel draws charts, before the buttons", () => {
    const reply = { text: "lines", chart, choices: { prompt: "Next:", rows: [[choice]] } };
    const drawn = renderReply(reply, { buttons: "callback", charts: true, tokens });
    expect(drawn.presentation?.blocks.map((b) => b.type)).toEqual(["chart", "buttons"]);
    expect(drawn.presentation?.blocks[0]).toEqual({ type: "chart", chartType: "bar", ...chart });
    expect(drawn.text).toBe("lines");
    const plain = renderReply(reply, { buttons: "callback", charts: false, tokens });
    expect(plain.presentation?.blocks.map((b) => b.type)).toEqual(["buttons"]);
    const textOnly = renderReply({ text: "lines", chart }, { buttons: null, charts: false, tokens });
    expect(textOnly).toEqual({ text: "lines" });
  });
  it("a text list with a chart: the list in the text, the chart as the only block", () => {
    const r = renderReply(
      { text: "lines", chart, choices: { prompt: "Next:", rows: [[choice]] } },
      { buttons: null, charts: true, tokens },
    );
    expect(r.text).toBe("lines\n\nNext:\n• Re-login a: /codex_auth login a");
    expect(r.presentation?.blocks.map((b) => b.type)).toEqual(["chart"]);
  });
});
