/** Saving an invoice document (base64 in the API's answer) as a file. */
import { downloadText } from "../audit/exportFile.ts";

/** base64 → bytes (atob gives a binary string, one char per byte). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Hands base64 content to the browser as a download, through a Blob URL released afterwards. */
export function downloadBase64(base64: string, name: string, type: string): void {
  const url = URL.createObjectURL(new Blob([base64Bytes(base64)], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { downloadText };
