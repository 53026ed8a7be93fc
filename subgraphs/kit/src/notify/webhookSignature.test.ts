import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signWebhookBody, verifyWebhookSignature } from "./webhookSignature.ts";

const secret = "whsec_test_0123456789";
const body = JSON.stringify({ id: "a1", type: "billing.alert", data: { percent: 80 } });
const t = 1_780_000_000;

describe("billing alert webhook signatures", () => {
  it("signs as t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(signWebhookBody(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies a good signature within the tolerance, either side of the receiver's clock", () => {
    const header = signWebhookBody(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, t + 300)).toBe(true);
    expect(verifyWebhookSignature(secret, header, body, t - 300)).toBe(true);
  });

  it("rejects a tampered body", () => {
    const header = signWebhookBody(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body.replace("80", "81"), t)).toBe(false);
    expect(verifyWebhookSignature(secret, header, `${body} `, t)).toBe(false);
  });

  it("rejects the wrong secret", () => {
    expect(verifyWebhookSignature("another-secret", signWebhookBody(secret, t, body), body, t)).toBe(false);
  });

  it("rejects a stale or future timestamp beyond the tolerance (default 300 s, or the one given)", () => {
    const header = signWebhookBody(secret, t, body);
    expect(verifyWebhookSignature(secret, header, body, t + 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t - 301)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t + 30, 10)).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, t + 30, 60)).toBe(true);
  });

  it("rejects a signature whose timestamp was changed (the timestamp is signed too)", () => {
    const v1 = signWebhookBody(secret, t, body).split(",")[1];
    expect(verifyWebhookSignature(secret, `t=${t + 1},${v1}`, body, t)).toBe(false);
  });

  it("accepts any matching v1 among several (secret rotation)", () => {
    const good = signWebhookBody(secret, t, body).split(",")[1];
    const old = signWebhookBody("old-secret", t, body).split(",")[1];
    expect(verifyWebhookSignature(secret, `t=${t},${old},${good}`, body, t)).toBe(true);
  });

  it.each([
    ["an empty header", ""],
    ["no timestamp", `v1=${"a".repeat(64)}`],
    ["no signature", `t=${t}`],
    ["a non-numeric timestamp", `t=soon,v1=${"a".repeat(64)}`],
    ["a short signature", `t=${t},v1=abc`],
    ["a non-hex signature", `t=${t},v1=${"z".repeat(64)}`],
    ["garbage", "not a signature at all"],
    ["an extra '='", `t=${t},v1=${"a".repeat(64)}=`],
  ])("rejects a malformed header (%s) without throwing", (_name, header) => {
    expect(verifyWebhookSignature(secret, header, body, t)).toBe(false);
  });
});
