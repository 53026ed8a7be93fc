import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

/** An encrypted secret: AES-256-GCM, key id kept so keys can rotate. */
export interface SealedSecret {
  alg: "A256GCM";
  kid: string;
  iv: string;
  tag: string;
  data: string;
}

export interface SecretBox {
  seal(plaintext: string): SealedSecret;
  open(sealed: SealedSecret): string;
}

/** `key` is any ≥32-char secret; the AES key is its SHA-256, the key id a short hash of that. */
export function createSecretBox(key: string): SecretBox {
  const aesKey = createHash("sha256").update(key).digest();
  const kid = createHash("sha256").update(aesKey).digest("hex").slice(0, 12);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", aesKey, iv);
      const data = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return { alg: "A256GCM", kid, iv: iv.toString("base64"), tag: cipher.getAuthTag().toString("base64"), data: data.toString("base64") };
    },
    open(sealed) {
      if (sealed.kid !== kid) throw new Error(`secret was sealed with key ${sealed.kid}, not the configured ${kid}`);
      const decipher = createDecipheriv("aes-256-gcm", aesKey, Buffer.from(sealed.iv, "base64"));
      decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
      return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]).toString("utf8");
    },
  };
}
