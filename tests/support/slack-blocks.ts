import type { SlackCall } from "./fake-slack.ts";

/**
 * Reading what the Slack channel sent (chat.postMessage, chat.update or a response_url post): the text
 * of its section blocks (the reply text; `params.text` also lists button labels as a fallback) and the
 * buttons of its actions blocks.
 */
export interface SlackButton {
  actionId: string;
  label: string;
  value: string;
}

interface Block {
  type?: string;
  text?: { text?: string };
  elements?: Array<{ type?: string; action_id?: string; text?: { text?: string }; value?: string }>;
}

const blocksOf = (c: SlackCall): Block[] => (Array.isArray(c.params.blocks) ? (c.params.blocks as Block[]) : []);

export function slackText(c: SlackCall): string {
  const sections = blocksOf(c).filter((b) => b.type === "section" && typeof b.text?.text === "string");
  return sections.length > 0 ? sections.map((b) => b.text!.text).join("\n") : String(c.params.text ?? "");
}

export function slackButtons(c: SlackCall): SlackButton[] {
  return blocksOf(c)
    .filter((b) => b.type === "actions")
    .flatMap((b) => b.elements ?? [])
    .filter((e) => e.type === "button" && e.action_id)
    .map((e) => ({ actionId: e.action_id!, label: e.text?.text ?? "", value: e.value ?? "" }));
}
