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
  /** personal: the choices act on the asker's own confirmation or login; a tap by anyone else is refused. */
  choices?: { prompt: string; rows: Choice[][]; personal?: boolean };
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
 * Buttons channels get the text plus one button row per choice row (the rows beyond what one message carries as
 * lines under the text); text-only channels get the same choices as lines under the text. A chart goes along only
 * where the channel draws it. Everything sent passes through redactText, then chatSafe (no mention, no line break
 * but our own); a label is one line that Discord and Slack take.
 */
export function renderReply(reply: ChatReply, options: RenderOptions): CommandResultLike {
  const result: CommandResultLike = {};
  if (reply.isError) result.isError = true;
  const blocks: PresentationBlock[] =
    reply.chart && options.charts ? [{ type: "chart", chartType: "bar", ...chartRedacted(reply.chart) }] : [];
  const rows = reply.choices?.rows.filter((r) => r.length > 0) ?? [];
  const kind = options.buttons;
  const { asButtons, listed } = kind ? fitRows(rows) : { asButtons: [], listed: rows.flat() };
  const personal = reply.choices?.personal === true;
  if (kind)
    for (const row of asButtons)
      blocks.push({
        type: "buttons",
        buttons: row.map((c) => ({
          label: chatSafe(buttonLabel(redactText(clip(c.label)))),
          action: buttonAction(kind, c.command, options, personal),
          ...(c.style ? { style: c.style } : {}),
          // Discord drops a message's buttons at its first tap, anyone's: a member's tap on someone else's
          // confirmation would leave its owner none. What a tap may still do is decided here (plan ids, dedupe).
          reusable: true,
        })),
      });
  result.text = shown(listed.length > 0 ? withList(reply.text, reply.choices?.prompt ?? "", listed) : reply.text);
  if (blocks.length > 0) result.presentation = { blocks };
  return result;
}

const shown = (text: string): string => chatSafe(redactText(text));

/** How long a message may be on a channel, and how its length is counted there. */
interface MessageLimit {
  max: number;
  measure?: (text: string) => number;
}

/**
 * Channels where a longer answer goes in pieces of whole lines, the buttons with the last:
 * - @openclaw/discord 2026.9.6 fills each message to its 2,000 characters and splits the line that does not fit at
 *   a space, so "🟢 `bob` — 5h **26%** | week **50" ended one message and "%** | r5 …" began the next;
 * - OpenClaw's Telegram channel (2026.9.6) keeps lines whole within 4,000 characters of rendered HTML, but puts the
 *   buttons on the first message: a 60-profile selector's keyboard sat above the rest of its numbered list.
 */
export const LINE_SAFE_MESSAGE_LENGTH: Readonly<Record<string, MessageLimit>> = {
  discord: { max: 2000 },
  telegram: { max: 4000, measure: telegramHtmlLength },
};

// What a character may add to the HTML OpenClaw's Telegram channel renders from Markdown (its markdownToTelegramHtml,
// 2026.9.6): ** or __ a <b>, * or _ an <i>, ~ an <s>, || a <tg-spoiler>, [](…) an <a href="…">, a backtick a <code>,
// & < > " an entity; a line opening with > a <blockquote>.
const TELEGRAM_HTML_GROWTH: Readonly<Record<string, number>> = {
  "*": 3,
  _: 3,
  "~": 3,
  "|": 6,
  "[": 3,
  "]": 3,
  "(": 3,
  ")": 3,
  "`": 6,
  "&": 4,
  "<": 3,
  ">": 3,
  '"': 5,
};

// Outside code spans it also links a bare address, URL or domain (its linkify): `x@y.io` becomes
// `<a href="mailto:x@y.io">x@y.io</a>`, the text twice and 22 more; a file name such as x.md a <code>. Anything with
// a dot before two letters is counted so: a few names it leaves alone only make the pieces shorter.
const LINKABLE = /[^\s`*_~|<>()[\]"&,;]+\.[A-Za-z]{2,}[^\s`*_~|<>()[\]"&,;]*/g;

/** At least the length of the HTML OpenClaw's Telegram channel sends for `text`. */
export function telegramHtmlLength(text: string): number {
  let length = text.length;
  for (const c of text) length += TELEGRAM_HTML_GROWTH[c] ?? 0;
  for (const link of text.replace(/`[^`\n]*`/g, "").match(LINKABLE) ?? []) length += link.length + 22;
  return length + 25 * (text.match(/^>/gm)?.length ?? 0);
}

/**
 * The text in pieces of at most `max` (by `measure`, UTF-16 units by default), each cut at a line break and never
 * between a line and its "  ↳" detail lines unless those alone exceed `max` (a longer line is a piece alone).
 */
export function linePieces(text: string, max: number, measure = (t: string) => t.length): string[] {
  const blocks: string[][] = [];
  for (const line of text.split("\n")) {
    const last = blocks.at(-1);
    if (last && line.startsWith("  ↳ ")) last.push(line);
    else blocks.push([line]);
  }
  const pieces: string[] = [];
  let current: string[] = [];
  let size = 0;
  const add = (lines: string[]) => {
    const more = lines.reduce((n, l) => n + measure(l) + 1, current.length === 0 ? -1 : 0);
    if (current.length > 0 && size + more > max) {
      pieces.push(current.join("\n"));
      current = [];
      size = 0;
      return add(lines);
    }
    current.push(...lines);
    size += more;
  };
  for (const block of blocks) {
    const whole = block.reduce((n, l) => n + measure(l) + 1, -1);
    if (whole <= max) add(block);
    else for (const line of block) add([line]);
  }
  if (current.length > 0) pieces.push(current.join("\n"));
  return pieces.map((p) => p.replace(/^\n+|\n+$/g, "")).filter((p) => p.trim() !== "");
}

/**
 * Where nothing can be sent before the reply, the most of it the channel shows: OpenClaw 2026.9.6 cuts a web chat
 * answer after 8,000 characters, mid-line, with "...(truncated)..." (a 60-profile /codex_usage all lost its last
 * profiles and its next steps; chat-display-projection.core, projectChatDisplayMessage).
 */
export const SHOWN_TEXT_LENGTH: Readonly<Record<string, number>> = { webchat: 8000 };

/**
 * The text whole when it fits in `max`; else the whole lines that fit (not a heading left with nothing under it), a
 * line saying how many more there are, and the last paragraph when it is short (the next steps).
 */
export function shownWithin(text: string, max: number): string {
  if (text.length <= max) return text;
  const count = (t: string) => t.split("\n").filter((l) => l.trim() !== "").length;
  const note = (n: number) =>
    `⚠️ ${n} more line${n === 1 ? "" : "s"} not shown: this chat shows ${max.toLocaleString("en-US")} characters ` +
    "of an answer. Ask for fewer profiles, e.g. by number.";
  const cut = text.lastIndexOf("\n\n");
  const tail = cut > 0 && text.length - cut <= max / 4 ? text.slice(cut + 2) : "";
  const body = tail ? text.slice(0, cut) : text;
  const room = max - note(count(body)).length - 1 - (tail ? tail.length + 2 : 0);
  const kept = (linePieces(body, room)[0] ?? "").replace(/(\n+[^\n]*:)+$/, "");
  const head = [kept, note(count(body) - count(kept))].filter((p) => p !== "").join("\n");
  return tail ? `${head}\n\n${tail}` : head;
}

/**
 * What one message carries as buttons on any channel: Discord's 5 rows of at most 5. OpenClaw turns what exceeds a
 * channel's limits into bare labels (Discord's 9th profile on a selector of rows of two, Telegram's 101st button:
 * no command, no number), so the choices beyond it are listed in the text as on a text-only channel instead.
 */
const MAX_BUTTON_ROWS = 5;
const MAX_ROW_BUTTONS = 5;
const MAX_BUTTONS = 25;

/** All rows when they fit; else the rows of words (default, Status, Re-login…) first, then numbered rows in order. */
function fitRows(rows: Choice[][]): { asButtons: Choice[][]; listed: Choice[] } {
  const fits = rows.length <= MAX_BUTTON_ROWS && rows.every((r) => r.length <= MAX_ROW_BUTTONS);
  if (fits && rows.flat().length <= MAX_BUTTONS) return { asButtons: rows, listed: [] };
  const kept = new Set<Choice[]>();
  let count = 0;
  const numbered = (row: Choice[]) => row.some((c) => c.number !== undefined);
  for (const row of [...rows.filter((r) => !numbered(r)), ...rows.filter(numbered)]) {
    if (kept.size === MAX_BUTTON_ROWS || row.length > MAX_ROW_BUTTONS || count + row.length > MAX_BUTTONS) continue;
    kept.add(row);
    count += row.length;
  }
  return { asButtons: rows.filter((r) => kept.has(r)), listed: rows.filter((r) => !kept.has(r)).flat() };
}

/** The text, then the prompt and each choice as a line: a number to reply with, or the command to type. */
function withList(text: string, prompt: string, choices: Choice[]): string {
  const lines = choices.map((c) =>
    c.number !== undefined ? `${c.number}. ${listed(c.label)}` : `• ${listed(c.label)}: ${typedBack(c.typed)}`,
  );
  return [text, [prompt, ...lines].filter((l) => l !== "").join("\n")].filter((p) => p !== "").join("\n\n");
}

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

function buttonAction(
  kind: "callback" | "command",
  command: string,
  options: RenderOptions,
  personal: boolean,
): ButtonAction {
  if (kind === "command") return { type: "command", command: redactText(command) };
  const from = { ...issuedFrom(options.request), ...(personal ? { personal: true } : {}) };
  return { type: "callback", value: options.tokens.issue(command, from) };
}

function issuedFrom(req: RenderOptions["request"]): Parameters<CallbackTokens["issue"]>[1] {
  if (!req) return {};
  const issuedTo = { senderKey: req.senderKey, canMutate: req.canMutate };
  return req.agentId ? { agentId: req.agentId, issuedTo } : { issuedTo };
}
