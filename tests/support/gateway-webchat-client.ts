/**
 * A child process (run on the pinned Node 24 with the test root's env) that speaks to a real OpenClaw
 * gateway the way WebChat does: OpenClaw's own GatewayClient, `chat.send`, then the `chat` event with
 * state "final". Kept out of the test worker so that the client's device identity lands in the
 * temporary state. Protocol: stdin lines {"id","message"}; stdout lines {"ready"} / {"id","text","final"}.
 *
 * argv: <gateway-runtime.js path> <ws url> <token>
 */
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [runtimePath, url, token] = process.argv.slice(2);
const { GatewayClient } = (await import(pathToFileURL(runtimePath!).href)) as {
  GatewayClient: new (
    opts: Record<string, unknown>,
  ) => {
    start(): void;
    stopAndWait(): Promise<void>;
    request<T>(method: string, params?: unknown, opts?: unknown): Promise<T>;
  };
};

const out = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
const waiting = new Map<string, (payload: Record<string, unknown>) => void>();
const early = new Map<string, Record<string, unknown>>();

const client = new GatewayClient({
  url,
  token,
  clientName: "cli",
  mode: "cli",
  role: "operator",
  scopes: ["operator.read", "operator.write"],
  env: process.env,
  onHelloOk: () => out({ ready: true }),
  onConnectError: (err: Error) => out({ error: `connect: ${err.message}` }),
  onEvent: (evt: { event?: string; payload?: Record<string, unknown> }) => {
    if (evt.event !== "chat" || evt.payload?.state !== "final") return;
    const runId = String(evt.payload.runId);
    const resolve = waiting.get(runId);
    if (resolve) resolve(evt.payload);
    else early.set(runId, evt.payload);
  },
});
client.start();

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { id, message } = JSON.parse(line) as { id: number; message: string };
  void (async () => {
    try {
      const ack = await client.request<{ runId: string }>("chat.send", {
        sessionKey: "main",
        message,
        idempotencyKey: `e2e-${process.pid}-${id}`,
      });
      const payload =
        early.get(ack.runId) ??
        (await new Promise<Record<string, unknown>>((resolve) => waiting.set(ack.runId, resolve)));
      const content =
        (payload.message as { content?: Array<{ type: string; text?: string }> } | undefined)?.content ?? [];
      out({
        id,
        text: content
          .filter((c) => c.type === "text")
          .map((c) => c.text ?? "")
          .join("\n"),
        final: payload,
      });
    } catch (error) {
      out({ id, error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
lines.on("close", () => {
  void client.stopAndWait().finally(() => process.exit(0));
});
