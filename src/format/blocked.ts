import type { BlockedReason } from "../usage/model.ts";

/** Why a limited account is blocked, in a few words for its line and in a sentence for details and messages. */
const SHORT: Record<BlockedReason, string> = {
  rate_limit: "rate limit reached",
  spend_limit: "spend limit reached",
  workspace_owner_credits_depleted: "workspace out of credits",
  workspace_member_credits_depleted: "workspace out of credits",
  workspace_owner_usage_limit_reached: "workspace usage limit reached",
  workspace_member_usage_limit_reached: "workspace usage limit reached",
  unknown: "reason unknown",
};

const WHAT_TO_DO: Partial<Record<BlockedReason, string>> = {
  workspace_owner_credits_depleted: "add credits to the workspace",
  workspace_member_credits_depleted: "ask the workspace owner to add credits",
  workspace_owner_usage_limit_reached: "raise the workspace's usage limit",
  workspace_member_usage_limit_reached: "ask the workspace owner to raise its usage limit",
};

export const blockedShort = (reason: BlockedReason): string => SHORT[reason];

/** "workspace out of credits (ask the workspace owner to add credits)". */
export function blockedLong(reason: BlockedReason): string {
  const todo = WHAT_TO_DO[reason];
  return todo === undefined ? SHORT[reason] : `${SHORT[reason]} (${todo})`;
}
