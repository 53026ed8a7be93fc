import { describe, expect, it } from "vitest";
import { signPrincipal, verifyPrincipal, type Principal } from "./principal.ts";

const alice: Principal = { kind: "user", tenantId: "t1", userId: "u1", roles: ["admin"], scopes: [] };
const key = "k".repeat(32);

describe("signed principal", () => {
  it("round-trips a principal and request id", () => {
    const header = signPrincipal(alice, "req-1", key, 1_000_000);
    expect(verifyPrincipal(header, key, { now: 1_000_500 })).toEqual({
      ok: true,
      value: { principal: alice, requestId: "req-1" },
    });
  });

  it("rejects a header signed with another key", () => {
    const header = signPrincipal(alice, "r", "x".repeat(32));
    expect(verifyPrincipal(header, key)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects a tampered body even with the original signature", () => {
    const header = signPrincipal(alice, "r", key);
    const [, sig] = header.split(".");
    const forged = Buffer.from(JSON.stringify({ p: { ...alice, tenantId: "t2" }, rid: "r", iat: Math.floor(Date.now() / 1000) })).toString(
      "base64url",
    );
    expect(verifyPrincipal(`${forged}.${sig}`, key)).toEqual({ ok: false, reason: "bad-signature" });
  });

  it("rejects stale, missing and malformed headers", () => {
    const old = signPrincipal(alice, "r", key, 0);
    expect(verifyPrincipal(old, key, { now: 3_600_000 })).toEqual({ ok: false, reason: "stale" });
    expect(verifyPrincipal(undefined, key)).toEqual({ ok: false, reason: "missing" });
    expect(verifyPrincipal("no-dot", key)).toEqual({ ok: false, reason: "malformed" });
  });
});
