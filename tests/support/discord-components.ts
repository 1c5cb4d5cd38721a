/**
 * Reading what the Discord channel sent: a message body (REST create/edit, webhook, or an interaction
 * callback's data) in Components V2 (container 17 › text display 10 › action row 1 › button 2) or
 * the classic content + action rows.
 */
export interface DiscordButton {
  label: string;
  customId: string;
  style?: number;
  disabled?: boolean;
}

interface Component {
  type?: number;
  content?: string;
  label?: string;
  custom_id?: string;
  style?: number;
  disabled?: boolean;
  components?: Component[];
  accessory?: Component;
}

function messageOf(body: Record<string, unknown>): Record<string, unknown> {
  // An interaction callback carries the message under data.
  const data = body.data as Record<string, unknown> | undefined;
  return data && typeof data === "object" && ("components" in data || "content" in data) ? data : body;
}

function walk(components: unknown, visit: (c: Component) => void): void {
  if (!Array.isArray(components)) return;
  for (const c of components as Component[]) {
    visit(c);
    walk(c.components, visit);
    if (c.accessory) walk([c.accessory], visit);
  }
}

/** Every button (type 2 with a custom_id) in the message, in order. */
export function discordButtons(body: Record<string, unknown>): DiscordButton[] {
  const buttons: DiscordButton[] = [];
  walk(messageOf(body).components, (c) => {
    if (c.type === 2 && typeof c.custom_id === "string") {
      buttons.push({
        label: String(c.label ?? ""),
        customId: c.custom_id,
        ...(c.style ? { style: c.style } : {}),
        ...(c.disabled ? { disabled: true } : {}),
      });
    }
  });
  return buttons;
}

/** The message text: `content` plus every text display, joined by newlines. */
export function discordText(body: Record<string, unknown>): string {
  const message = messageOf(body);
  const parts = typeof message.content === "string" && message.content !== "" ? [message.content] : [];
  walk(message.components, (c) => {
    if (c.type === 10 && typeof c.content === "string") parts.push(c.content);
  });
  return parts.join("\n");
}
