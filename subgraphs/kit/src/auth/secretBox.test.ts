import { describe, expect, it } from "vitest";
import { createSecretBox } from "./secretBox.ts";

describe("secret box", () => {
  it("seals without leaking the plaintext and opens it again", () => {
    const box = createSecretBox("k".repeat(32));
    const sealed = box.seal("servicenow-password");
    expect(JSON.stringify(sealed)).not.toContain("servicenow-password");
    expect(box.open(sealed)).toBe("servicenow-password");
  });

  it("refuses tampered ciphertext and a different key", () => {
    const box = createSecretBox("k".repeat(32));
    const sealed = box.seal("abc");
    const tampered = { ...sealed, data: Buffer.from("xyz").toString("base64") };
    expect(() => box.open(tampered)).toThrow();
    expect(() => createSecretBox("z".repeat(32)).open(sealed)).toThrow(/sealed with key/);
  });
});
