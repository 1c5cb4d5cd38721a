import { jwtDecode } from "jwt-decode";
import type { ProfileIdentity } from "./types.ts";

/** The Codex access-token claims this project reads (the token is decoded, never verified or refreshed). */
const AUTH_CLAIM = "https://api.openai.com/auth";
const PROFILE_CLAIM = "https://api.openai.com/profile";

/** What the stored credential itself says, used when the token has no such claim or is not a JWT. */
export interface CredentialIdentityHints {
  accountId?: unknown;
  email?: unknown;
  expires?: unknown;
  chatgptPlanType?: unknown;
}

const str = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);
const record = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

/** A positive, finite ms epoch within JavaScript's date range, else null (OpenClaw's own bounds). */
function validExpiryMs(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value > 0 && value <= 8.64e15 ? value : null;
}

const earlier = (a: number | null, b: number | null): number | null =>
  a === null ? b : b === null ? a : Math.min(a, b);

/** The claims of a JWT, or null when the text is not one. Never throws, never logs the token. */
function decodeClaims(token: string | null | undefined): Record<string, unknown> | null {
  if (token?.split(".").length !== 3) return null;
  try {
    return record(jwtDecode<Record<string, unknown>>(token));
  } catch {
    return null;
  }
}

/**
 * Identity of one profile: claims first (account id, user id, plan, email), then what the credential
 * stores. Expiry is the earlier of the credential's `expires` (what OpenClaw itself uses) and the JWT `exp`:
 * past either one, the token would only earn a 401.
 */
export function identityFrom(access: string | null | undefined, hints: CredentialIdentityHints = {}): ProfileIdentity {
  const claims = decodeClaims(access);
  const auth = record(claims?.[AUTH_CLAIM]);
  const profile = record(claims?.[PROFILE_CLAIM]);
  const exp = typeof claims?.exp === "number" && Number.isFinite(claims.exp) ? validExpiryMs(claims.exp * 1000) : null;
  return {
    accountId: str(auth?.chatgpt_account_id) ?? str(hints.accountId),
    userId: str(auth?.chatgpt_user_id) ?? str(auth?.user_id),
    email: str(profile?.email) ?? str(claims?.email) ?? str(hints.email),
    plan: str(auth?.chatgpt_plan_type) ?? str(hints.chatgptPlanType),
    expiresAtMs: earlier(validExpiryMs(hints.expires), exp),
  };
}
