import { redactText } from "./redact.ts";

/**
 * A name as our own files (usage cache, history, rotation state) keep it: as is, or by a digest when it holds
 * what redactText would remove. OpenClaw takes any profile or agent id, so a pasted token can be one; the digest
 * still tells it apart from every other id, and the same id always gives the same key. node:crypto loads only
 * for such a name: a cached CLI run never needs it.
 */
export function storedKey(name: string): string {
  if (redactText(name) === name) return name;
  const { createHash } = process.getBuiltinModule("node:crypto");
  return `redacted-sha256:${createHash("sha256").update(name).digest("hex").slice(0, 32)}`;
}
