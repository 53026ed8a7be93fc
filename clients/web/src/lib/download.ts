/** Handing content to the browser as a file download, through a Blob URL that is released afterwards. */

export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const downloadText = (content: string, name: string, type: string) => downloadBlob(new Blob([content], { type }), name);

/** base64 → bytes (atob gives a binary string, one char per byte). */
export function base64Bytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A file the API answered with as base64 (an invoice document). */
export const downloadBase64 = (base64: string, name: string, type: string) => downloadBlob(new Blob([base64Bytes(base64)], { type }), name);
