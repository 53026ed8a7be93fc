import { describe, expect, it } from "vitest";
import { issueSessionToken, verifySessionToken } from "./sessionTokens.ts";

const secret = "s".repeat(40);

describe("session tokens", () => {
  it("round-trips the claims and the expiry", async () => {
    const { token, expiresAt } = await issueSessionToken({ sub: "u1", tid: "t1", roles: ["ADMIN"] }, secret, 60);
    expect(await verifySessionToken(token, secret)).toEqual({ ok: true, claims: { sub: "u1", tid: "t1", roles: ["ADMIN"] }, expiresAt });
  });

  it("rejects an expired token as expired and a foreign signature as invalid", async () => {
    const { token } = await issueSessionToken({ sub: "u1", tid: "t1", roles: [] }, secret, 60, Date.now() - 3_600_000);
    expect(await verifySessionToken(token, secret)).toEqual({ ok: false, reason: "expired" });
    const other = await issueSessionToken({ sub: "u1", tid: "t1", roles: [] }, "o".repeat(40), 60);
    expect(await verifySessionToken(other.token, secret)).toEqual({ ok: false, reason: "invalid" });
    expect(await verifySessionToken("not.a.jwt", secret)).toEqual({ ok: false, reason: "invalid" });
  });
});
