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
  /** oneShot: the choices answer one question (confirm or cancel); the first tap settles it. */
  choices?: { prompt: string; rows: Choice[][]; oneShot?: boolean };
  isError?: boolean;
}

type ButtonAction = { type: "callback"; value: string } | { type: "command"; command: string };

interface PresentationButton {
  label: string;
  action: ButtonAction;
  style?: "primary" | "success" | "danger";
  /** Discord consumes a message's buttons on the first tap unless they are reusable. */
  reusable?: boolean;
}

/** The subset of OpenClaw's PluginCommandResult this plugin returns. */
export interface CommandResultLike {
  text?: string;
  presentation?: { blocks: Array<{ type: "buttons"; buttons: PresentationButton[] }> };
  isError?: boolean;
}

/**
 * How a channel's buttons work: "callback" buttons carry a short token ("cxp:<token>") that the
 * plugin's interactive handler maps back to the command; "command" buttons carry the command itself
 * and the channel runs it as if typed (Discord); null: no buttons, a text list.
 */
export type ButtonKind = "callback" | "command" | null;

export interface RenderOptions {
  buttons: ButtonKind;
  tokens: CallbackTokens;
  /** The agent of the request: a tap on a callback button runs against the same one. */
  agentId?: string | undefined;
}

/**
 * Buttons channels get the text plus one button row per choice row; text-only channels get the same
 * choices as lines under the text. Everything sent passes through redactText.
 */
export function renderReply(reply: ChatReply, options: RenderOptions): CommandResultLike {
  const result: CommandResultLike = {};
  if (reply.isError) result.isError = true;
  const rows = reply.choices?.rows.filter((r) => r.length > 0) ?? [];
  if (rows.length === 0) {
    result.text = redactText(reply.text);
    return result;
  }
  const kind = options.buttons;
  if (kind) {
    // More than one useful tap on this message: its buttons must outlive the first one.
    const reusable = !reply.choices?.oneShot && rows.flat().length > 1;
    result.text = redactText(reply.text);
    result.presentation = {
      blocks: rows.map((row) => ({
        type: "buttons" as const,
        buttons: row.map((c) => ({
          label: redactText(c.label),
          action: buttonAction(kind, c.command, options),
          ...(c.style ? { style: c.style } : {}),
          ...(reusable ? { reusable: true } : {}),
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

function buttonAction(kind: "callback" | "command", command: string, options: RenderOptions): ButtonAction {
  return kind === "command"
    ? { type: "command", command: redactText(command) }
    : { type: "callback", value: options.tokens.issue(command, options.agentId) };
}
