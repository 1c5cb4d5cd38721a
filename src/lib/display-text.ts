/*
 * Text taken from OpenClaw's store (profile ids, which OpenClaw accepts with any character: a line break, a bidi
 * override, chat markup, 10 kB) or typed by a user, made fit to show in chat. PURE.
 */

/** Controls, line and paragraph separators, and format characters (bidi overrides and isolates, zero-width). */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const UNSAFE_BUT_NEWLINE = /(?!\n)[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const REPLACEMENT = "\uFFFD";
/** A name in a sentence or a list: the longest real ids (team-seat emails) fit. */
const MAX_NAME_LENGTH = 100;
/** One line of ours (a sentence, a command, an alert) at most: a Telegram message takes 4,096 characters. */
export const MAX_LINE_LENGTH = 4000;
/**
 * Discord refuses a whole message with a button label over 80; OpenClaw's Slack renderer (2026.9.6) draws no row
 * holding a label over 75 (its buttons become bare labels that run nothing), so a label fits both.
 */
const MAX_BUTTON_LABEL_LENGTH = 75;

/**
 * JSON text for a terminal: what a terminal acts on (DEL and C1 controls, bidi overrides, line separators) escaped
 * as \uXXXX inside its strings, where JSON.stringify leaves it raw. The value it encodes is unchanged.
 */
export function terminalSafeJson(json: string): string {
  return json.replace(UNSAFE_BUT_NEWLINE, (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${c.charCodeAt(i).toString(16).padStart(4, "0")}`).join(""),
  );
}

/** Free text for a log line or a terminal: what a terminal acts on is replaced, line breaks stay. */
export function inertText(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, REPLACEMENT);
}

/** One line of at most `max` characters (code points): nothing in it breaks, reorders or hides part of the line. */
export function oneLine(text: string, max = MAX_NAME_LENGTH): string {
  const chars = [...text.replace(UNSAFE, REPLACEMENT)];
  return chars.length <= max ? chars.join("") : `${chars.slice(0, max - 1).join("")}…`;
}

/**
 * A button label: one line Discord and Slack take, cut in the middle so "(retired)" or "first" at its end stays.
 * Measured in UTF-16 units as Slack's renderer measures it (an emoji is two), cut between characters.
 */
export function buttonLabel(text: string): string {
  const line = oneLine(text, Number.POSITIVE_INFINITY);
  const max = MAX_BUTTON_LABEL_LENGTH;
  if (line.length <= max) return line;
  const chars = [...line];
  let tail = "";
  for (let i = chars.length - 1; tail.length + chars[i]!.length <= Math.floor((max - 1) / 3); i--)
    tail = chars[i] + tail;
  let head = "";
  for (const c of chars) {
    if (head.length + c.length > max - 1 - tail.length) break;
    head += c;
  }
  return `${head}…${tail}`;
}

/** A name as a Markdown code span: one line, and no backtick that would close the span early. */
export function codeName(name: string, max = MAX_NAME_LENGTH): string {
  return `\`${oneLine(name, max).replace(/`/g, "'")}\``;
}

// What makes Markdown of a name: a link ([x](url), <url>), emphasis, a code span, a table or Slack link bar, an escape.
const MARKUP = /[[\]*~`<>|\\]/;

/** A name inside a sentence or a list: as is when plain (ids and emails are), else as a code span. */
export function inlineName(name: string, max = MAX_NAME_LENGTH): string {
  const line = oneLine(name, max);
  return MARKUP.test(line) ? codeName(line, max) : line;
}

// Discord's @everyone and @here, Slack's @channel, Matrix's @room: anywhere, as Discord reads them.
const BROADCAST = /@(?=everyone|here|channel|room)/giu;
// Discord's <@user>, <@&role>, <#channel>, </command:id> and Slack's <!here>, <@U1>, <#C1>.
const MENTION_TAG = /<(?=[@#!&/])/g;

/**
 * Whole chat text, last step before it is sent: every line stays the line it is (no other line break, bidi
 * override or hidden character), and nothing in it pings a channel or a person.
 */
export function chatSafe(text: string): string {
  return text.replace(UNSAFE_BUT_NEWLINE, REPLACEMENT).replace(BROADCAST, "\uFF20").replace(MENTION_TAG, "\u2039");
}

/** What chatSafe showed of a name, back as the store holds it: a shown command typed back must select the same. */
export const unshown = (text: string): string => text.replace(/\uFF20/g, "@").replace(/\u2039/g, "<");

/** Several names in a sentence: "a, b, c", each as inlineName shows it. */
export const nameList = (names: readonly string[]): string => names.map((n) => inlineName(n)).join(", ");

/**
 * A profile id as a shell word, for a command the user copies: as is when it is a plain id, single-quoted when it
 * can be; else a placeholder (an id OpenClaw took with `$(…)`, a quote or a line break must not reach a shell).
 */
export function shellWord(id: string): string {
  if (/^[A-Za-z0-9._@+:=,%/-]{1,160}$/.test(id)) return id;
  if (/^[^'`\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,160}$/u.test(id)) return `'${id}'`;
  // An apostrophe (openai:o'brien@…) goes in double quotes, where nothing else the id holds means anything.
  if (/^[^"`$\\!\p{Cc}\p{Cf}\p{Zl}\p{Zp}]{1,160}$/u.test(id)) return `"${id}"`;
  return "<its id, quoted>";
}
