import { redactText } from "../secrets/redact.ts";
import type { CallbackTokens } from "./callback-tokens.ts";

/** A choice the user can take: a button where the channel has them, a line of text elsewhere. */
export interface Choice {
  label: string;
  /** The exact command a tap submits (full profile ids, so a later reorder cannot retarget it). */
  command: string;
  /** What to type on a text-only channel, e.g. "/codex_usage 3". */
  typed: string;
  /** Set for numbered selector entries: the number in `typed`. */
  number?: number;
  style?: "primary" | "success" | "danger";
}

export interface ChatReply {
  text: string;
  choices?: { prompt: string; rows: Choice[][] };
  isError?: boolean;
}

interface PresentationButton {
  label: string;
  action: { type: "callback"; value: string };
  style?: "primary" | "success" | "danger";
}

/** The subset of OpenClaw's PluginCommandResult this plugin returns. */
export interface CommandResultLike {
  text?: string;
  presentation?: { blocks: Array<{ type: "buttons"; buttons: PresentationButton[] }> };
  isError?: boolean;
}

export interface RenderOptions {
  buttons: boolean;
  tokens: CallbackTokens;
}

/**
 * Buttons channels get the text plus one callback button row per choice row; text-only channels
 * get the same choices as lines under the text. Everything sent passes through redactText.
 */
export function renderReply(reply: ChatReply, options: RenderOptions): CommandResultLike {
  const result: CommandResultLike = {};
  if (reply.isError) result.isError = true;
  const rows = reply.choices?.rows.filter((r) => r.length > 0) ?? [];
  if (rows.length === 0) {
    result.text = redactText(reply.text);
    return result;
  }
  if (options.buttons) {
    result.text = redactText(reply.text);
    result.presentation = {
      blocks: rows.map((row) => ({
        type: "buttons" as const,
        buttons: row.map((c) => ({
          label: redactText(c.label),
          action: { type: "callback" as const, value: options.tokens.issue(c.command) },
          ...(c.style ? { style: c.style } : {}),
        })),
      })),
    };
    return result;
  }
  const lines = rows
    .flat()
    .map((c) => (c.number !== undefined ? `${c.number}. ${c.label}` : `• ${c.label}: ${c.typed}`));
  const parts = [reply.text, [reply.choices?.prompt ?? "", ...lines].filter((l) => l !== "").join("\n")].filter(
    (p) => p !== "",
  );
  result.text = redactText(parts.join("\n\n"));
  return result;
}
