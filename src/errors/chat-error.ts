import { CodexProfilerError } from "./base.ts";

/** Why a chat command refused or failed; the code is stable, the message is for the user. */
export type ChatErrorCode =
  | "invalid_settings"
  | "unknown_action"
  | "missing_profile"
  | "not_authorized"
  | "nothing_pending"
  /** A confirmation, or the buttons of one, used by someone other than the person who asked. */
  | "not_your_confirmation"
  | "rotation_unavailable"
  | "service_failed";

export class ChatError extends CodexProfilerError<ChatErrorCode> {
  readonly domain = "chat";
}
