/** The text of a PDF, page by page, read with Mozilla's pdf.js (no rendering). */
import { createRequire } from "node:module";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

// The 14 standard PDF fonts' metrics ship with pdf.js; without them it warns on every PDF that uses Helvetica.
const standardFontDataUrl = path.join(path.dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json")), "standard_fonts/");

export async function pdfText(bytes: Uint8Array): Promise<{ pages: number; text: string }> {
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = getDocument({ data: new Uint8Array(bytes), standardFontDataUrl });
  const document = await task.promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const content = await page.getTextContent();
      pages.push(content.items.map((item) => ("str" in item ? item.str + (item.hasEOL ? "\n" : "") : "")).join(""));
    }
    return { pages: document.numPages, text: pages.join("\n") };
  } finally {
    await task.destroy();
  }
}
