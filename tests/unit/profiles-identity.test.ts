import { describe, expect, it } from "vitest";
import { identityFrom } from "../../src/profiles/profile-set.ts";
import { fakeAccessToken } from "../support/fake-jwt.ts";

const exp = 1_900_000_000;

describe("identity from the access token", () => {
  it("reads account id, user id, plan, email and exp from the Codex claims", () => {
    const token = fakeAccessToken({ accountId: "acc-1", userId: "user-1", email: "a@example.com", plan: "pro", exp });
    expect(identityFrom(token)).toEqual({
      accountId: "acc-1",
      userId: "user-1",
      email: "a@example.com",
      plan: "pro",
      expiresAtMs: exp * 1000,
    });
  });

  it("expiry is the earlier of the credential's expires and the JWT exp; claims win over credential fields", () => {
    const token = fakeAccessToken({ accountId: "acc-1", userId: "user-1", email: "a@example.com", exp });
    const id = identityFrom(token, { accountId: "acc-other", email: "other@example.com", expires: 1_800_000_000_000 });
    expect(id).toMatchObject({ accountId: "acc-1", email: "a@example.com", expiresAtMs: 1_800_000_000_000 });
    expect(identityFrom(token, { expires: 2_000_000_000_000 }).expiresAtMs).toBe(exp * 1000);
  });

  it.each(["not-a-jwt", "a.b.c", "", "eyJhbGciOiJub25lIn0.bm90IGpzb24."])(
    "a token that is not a JWT (%j) is not fatal",
    (token) => {
      expect(
        identityFrom(token, { accountId: "acc-x", email: "x@example.com", expires: 5_000, chatgptPlanType: "plus" }),
      ).toEqual({
        accountId: "acc-x",
        userId: null,
        email: "x@example.com",
        plan: "plus",
        expiresAtMs: 5_000,
      });
    },
  );

  it("no token and no hints: every field null", () => {
    expect(identityFrom(null)).toEqual({ accountId: null, userId: null, email: null, plan: null, expiresAtMs: null });
  });

  it("ignores hints of the wrong type and out-of-range expiries", () => {
    expect(identityFrom(null, { accountId: 5, email: "", expires: Number.NaN })).toEqual({
      accountId: null,
      userId: null,
      email: null,
      plan: null,
      expiresAtMs: null,
    });
    expect(identityFrom(null, { expires: -1 }).expiresAtMs).toBeNull();
  });
});
