import { describe, expect, it } from "vitest";
import { signDownloadToken, verifyDownloadToken } from "./downloadLinks.ts";
import { localeFormat } from "./exportModel.ts";

const claims = { exportId: "x1", tenantId: "t1", userId: "u1", exp: 1_000_000 };

describe("download tokens", () => {
  it("verify until they expire, then say so", () => {
    const token = signDownloadToken("key", claims);
    expect(verifyDownloadToken("key", token, 999_999)).toEqual(claims);
    expect(verifyDownloadToken("key", token, 1_000_001)).toMatchObject({ expired: true, error: expect.stringMatching(/expired/) });
  });

  it("refuse another key, a changed body and a malformed token", () => {
    const token = signDownloadToken("key", claims);
    expect(verifyDownloadToken("other", token, 0)).toEqual({ error: "This download link is not valid." });
    const [, signature] = token.split(".");
    const forged = `${Buffer.from(JSON.stringify({ ...claims, tenantId: "t2" })).toString("base64url")}.${signature}`;
    expect(verifyDownloadToken("key", forged, 0)).toEqual({ error: "This download link is not valid." });
    expect(verifyDownloadToken("key", "nodot", 0)).toEqual({ error: "This download link is malformed." });
  });
});

describe("localeFormat", () => {
  it("writes dates and numbers as each locale does, in UTC", () => {
    const at = "2026-12-01T09:05:00.000Z";
    expect(localeFormat("en-US").date(at)).toBe("December 1, 2026 at 9:05 AM UTC");
    expect(localeFormat("en-GB").date(at)).toBe("1 December 2026 at 09:05 UTC");
    expect(localeFormat("de-DE").date(at)).toBe("1. Dezember 2026 um 09:05 UTC");
    expect(localeFormat("de-DE").number(1234.5)).toBe("1.234,5");
    expect(localeFormat("en-US").cell(0.75)).toBe("0.75");
    expect(localeFormat("en-GB").cell(null)).toBe("");
  });
});
