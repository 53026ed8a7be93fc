import { describe, expect, it } from "vitest";
import { signToken, verifyToken } from "./signedTokens.ts";

describe("signed tokens", () => {
  const claims = { id: "x", exp: 2000 };

  it("verify under the key and purpose they were signed with, until they expire", () => {
    const token = signToken("key", "upload", claims);
    expect(verifyToken("key", "upload", token, 1999)).toEqual(claims);
    expect(verifyToken("key", "upload", token, 2001)).toEqual({ failure: "expired" });
  });

  it("are never valid for another purpose or key, or when changed", () => {
    const token = signToken("key", "upload", claims);
    expect(verifyToken("key", "download", token, 0)).toEqual({ failure: "invalid" });
    expect(verifyToken("other", "upload", token, 0)).toEqual({ failure: "invalid" });
    const [, signature] = token.split(".");
    expect(
      verifyToken("key", "upload", `${Buffer.from(JSON.stringify({ ...claims, exp: 9e15 })).toString("base64url")}.${signature}`, 0),
    ).toEqual({
      failure: "invalid",
    });
    for (const bad of ["", "abc", "a.b.c"]) expect(verifyToken("key", "upload", bad, 0)).toEqual({ failure: "malformed" });
  });
});
