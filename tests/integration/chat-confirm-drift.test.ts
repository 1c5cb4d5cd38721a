import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChatApp, type TapLike } from "../../src/chat/chat-app.ts";
import { realServices } from "../../src/chat/real-services.ts";
import type { CommandResultLike } from "../../src/chat/reply.ts";
import { parseSettings } from "../../src/chat/settings.ts";
import { buttonRows, callbackValue, slackContext } from "../support/chat-fakes.ts";
import {
  copyTemplateState,
  ensureOpenclawBin,
  type OpenclawRoot,
  removeRoot,
  runOpenclaw,
} from "../support/openclaw.ts";
import { stateDigest } from "../support/state-digest.ts";

/**
 * A hard delete confirmed on Slack (two Delete taps) after OpenClaw's store changed between them: the chat's
 * real services against the real openclaw 2026.9.6 on a copy of the template state. The preflight must refuse
 * with a stable code and change nothing.
 */
const SLOW = 600_000;
const ORDER = ["models", "auth", "order"];
let root: OpenclawRoot;

beforeAll(async () => {
  root = await copyTemplateState("cxp-chat-drift-");
}, SLOW);
afterAll(() => removeRoot(root));

function chat() {
  const env = { ...root.env, OPENCLAW_BIN: ensureOpenclawBin() };
  const posted: CommandResultLike[] = [];
  const settings = parseSettings({});
  const app = createChatApp({
    services: realServices(settings, env, { version: "2026.9.6" }),
    settings,
    progress: { send: async () => false },
    replies: {
      send: async (_req, result) => {
        posted.push(result);
        return true;
      },
    },
    logger: { warn: () => {} },
  });
  /** Taps the button `label` of `r` as Slack hands it over; returns the answer the chat posted. */
  const tap = async (r: CommandResultLike, label: string): Promise<CommandResultLike> => {
    const button = buttonRows(r)
      .flat()
      .find((b) => b.label === label);
    if (!button) throw new Error(`no button ${label} in ${r.text}`);
    const tapped: TapLike = {
      channel: "slack",
      senderId: "U0TESS00001",
      authorized: true,
      payload: callbackValue(button).slice("cxp:".length),
      to: "channel:D0TESS00001",
      notify: async (text) => void posted.push({ text }),
    };
    const before = posted.length;
    await app.onTap(tapped);
    expect(posted.length).toBe(before + 1);
    return posted.at(-1)!;
  };
  return { app, tap };
}

const known = async (): Promise<string[]> => {
  const res = await runOpenclaw([...ORDER, "get", "--provider", "openai", "--agent", "main", "--json"], root);
  return (JSON.parse(res.stdout) as { order: string[] | null }).order ?? [];
};

describe("a hard delete confirmed on chat after the store changed", () => {
  it(
    "the second Delete tap after another order was set is refused (order_changed); carol stays, nothing written",
    async () => {
      const { app, tap } = chat();
      const plan = await app.codexAuth(slackContext("delete carol@example.com"));
      expect(plan.text).toContain("I will ask twice");
      const again = await tap(plan, "Delete");
      expect(again.text).toContain("Really delete?");

      const other = ["openai:bob@example.com", "openai:carol@example.com", "openai:alice@example.com"];
      const set = await runOpenclaw([...ORDER, "set", "--provider", "openai", "--agent", "main", ...other], root);
      expect(set.code, set.stderr).toBe(0);
      await known(); // openclaw's own first read after a change records housekeeping rows; settle them
      const before = stateDigest(root.stateDir);

      const refused = await tap(again, "Delete");
      expect(refused.isError).toBe(true);
      expect(refused.text).toContain("(order_changed)");
      expect(stateDigest(root.stateDir)).toEqual(before);
      expect(await known()).toEqual(other);
    },
    SLOW,
  );
});
