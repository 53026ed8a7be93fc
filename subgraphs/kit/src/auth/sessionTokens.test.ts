import { describe, expect, it } from "vitest";
import { createSessionKeyring, issueSessionToken, sessionKeyId, verifySessionToken } from "./sessionTokens.ts";

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

describe("session key rotation", () => {
  const oldKey = "o".repeat(40);
  const newKey = "n".repeat(40);

  it("signs with the active key's kid and still accepts tokens of a previous key", async () => {
    const before = await issueSessionToken({ sub: "u", tid: "t", roles: [] }, createSessionKeyring(oldKey), 60);
    const rotated = createSessionKeyring(newKey, [oldKey]);
    const after = await issueSessionToken({ sub: "u", tid: "t", roles: [] }, rotated, 60);
    const kid = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    expect(kid(after.token)).toBe(sessionKeyId(newKey));
    expect(kid(before.token)).toBe(sessionKeyId(oldKey));
    expect(await verifySessionToken(before.token, rotated)).toMatchObject({ ok: true });
    expect(await verifySessionToken(after.token, rotated)).toMatchObject({ ok: true });
  });

  it("refuses tokens of a key that has been dropped", async () => {
    const before = await issueSessionToken({ sub: "u", tid: "t", roles: [] }, createSessionKeyring(oldKey), 60);
    expect(await verifySessionToken(before.token, createSessionKeyring(newKey))).toEqual({ ok: false, reason: "invalid" });
  });
});
