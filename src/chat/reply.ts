import { buttonLabel, chatSafe, inlineName, oneLine } from "../lib/display-text.ts";
import { redactText } from "../secrets/redact.ts";
import type { CallbackTokens } from "./callback-tokens.ts";
import type { CommandRequest } from "./request.ts";

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

/** A bar chart in OpenClaw's portable presentation; the reply's text always says the same in words. */
interface ChartData {
  title: string;
  categories: string[];
  series: Array<{ name: string; values: number[] }>;
  yLabel?: string;
}

export interface ChatReply {
  text: string;
  chart?: ChartData;
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

type PresentationBlock =
  | { type: "buttons"; buttons: PresentationButton[] }
  | ({ type: "chart"; chartType: "bar" } & ChartData);

/** The subset of OpenClaw's PluginCommandResult this plugin returns. */
export interface CommandResultLike {
  text?: string;
  presentation?: { blocks: PresentationBlock[] };
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
  /** The channel draws chart blocks itself; elsewhere OpenClaw would repeat the data as text under ours. */
  charts?: boolean;
  tokens: CallbackTokens;
  /** The request: a tap on a callback button runs against its agent, and changes nothing its sender could not. */
  request?: Pick<CommandRequest, "agentId" | "senderKey" | "canMutate">;
}

/**
 * Buttons channels get the text plus one button row per choice row; text-only channels get the same
 * choices as lines under the text. A chart goes along only where the channel draws it. Everything sent passes
 * through redactText, then chatSafe (no mention, no line break but our own); a label is one line that Discord takes.
 */
export function renderReply(reply: ChatReply, options: RenderOptions): CommandResultLike {
  const result: CommandResultLike = {};
  if (reply.isError) result.isError = true;
  const blocks: PresentationBlock[] =
    reply.chart && options.charts ? [{ type: "chart", chartType: "bar", ...chartRedacted(reply.chart) }] : [];
  const rows = reply.choices?.rows.filter((r) => r.length > 0) ?? [];
  const kind = options.buttons;
  if (rows.length > 0 && kind) {
    // More than one useful tap on this message: its buttons must outlive the first one.
    const reusable = !reply.choices?.oneShot && rows.flat().length > 1;
    for (const row of rows)
      blocks.push({
        type: "buttons",
        buttons: row.map((c) => ({
          label: chatSafe(buttonLabel(redactText(clip(c.label)))),
          action: buttonAction(kind, c.command, options),
          ...(c.style ? { style: c.style } : {}),
          ...(reusable ? { reusable: true } : {}),
        })),
      });
    result.text = shown(reply.text);
  } else {
    const lines = rows
      .flat()
      .map((c) =>
        c.number !== undefined ? `${c.number}. ${listed(c.label)}` : `• ${listed(c.label)}: ${typedBack(c.typed)}`,
      );
    const list = [reply.choices?.prompt ?? "", ...lines].filter((l) => l !== "").join("\n");
    result.text = shown(rows.length > 0 ? [reply.text, list].filter((p) => p !== "").join("\n\n") : reply.text);
  }
  if (blocks.length > 0) result.presentation = { blocks };
  return result;
}

const shown = (text: string): string => chatSafe(redactText(text));
/**
 * A name as long as OpenClaw took it (any length) is clipped far beyond what is shown before the redactor sees it
 * (a 128 kB id once held the gateway 27 s in the redactor). Its middle goes, never shown: a label shows its start
 * and a button its end too, and a token cut there would slip under the redactor's lengths. It is cut to its shown
 * length only after redaction.
 */
const clip = (text: string): string => (text.length > 1000 ? `${text.slice(0, 500)}…${text.slice(-500)}` : text);
const listed = (text: string): string => inlineName(redactText(clip(text)));
/** A command to type back: whole (a selector is at most 320 characters), or it would select nothing. */
const typedBack = (text: string): string => inlineName(redactText(clip(text)), 1000);

function chartRedacted(c: ChartData): ChartData {
  const name = (text: string) => chatSafe(oneLine(redactText(text)));
  return {
    ...c,
    title: shown(c.title),
    categories: c.categories.map(name),
    series: c.series.map((x) => ({ name: name(x.name), values: x.values })),
  };
}

function buttonAction(kind: "callback" | "command", command: string, options: RenderOptions): ButtonAction {
  return kind === "command"
    ? { type: "command", command: redactText(command) }
    : { type: "callback", value: options.tokens.issue(command, issuedFrom(options.request)) };
}

function issuedFrom(req: RenderOptions["request"]): Parameters<CallbackTokens["issue"]>[1] {
  if (!req) return {};
  const issuedTo = { senderKey: req.senderKey, canMutate: req.canMutate };
  return req.agentId ? { agentId: req.agentId, issuedTo } : { issuedTo };
}
