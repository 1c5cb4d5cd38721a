/** Unsigned (alg: none) JWTs shaped like Codex access tokens, for fixtures only. */
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

export interface FakeTokenClaims {
  accountId: string;
  userId: string;
  email: string;
  plan?: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export function fakeAccessToken(c: FakeTokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return [
    b64({ alg: "none", typ: "JWT" }),
    b64({
      iss: "https://auth.openai.com",
      sub: `auth0|${c.userId}`,
      exp: c.exp,
      iat: now,
      "https://api.openai.com/auth": {
        chatgpt_account_id: c.accountId,
        chatgpt_plan_type: c.plan ?? "plus",
        chatgpt_user_id: c.userId,
      },
      "https://api.openai.com/profile": { email: c.email },
    }),
    "",
  ].join(".");
}

/** The JWT payload segment: it must never appear in any output either. */
export const jwtPayloadSegment = (token: string): string => token.split(".")[1] ?? "";
