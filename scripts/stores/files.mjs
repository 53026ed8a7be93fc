// Small file helpers: JSON written atomically, hashes of pinned sources, a log's last lines.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const exists = (p) => fs.existsSync(p);

export const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};

export function readJson(file, fallback) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return fallback;
  }
}

export function writeJson(file, obj, mode = 0o644) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(obj, null, 2) + "\n", { mode });
  fs.renameSync(tmp, file);
}

export function tail(file, n = 20) {
  try {
    const buf = fs.readFileSync(file, "utf8");
    const lines = buf.split("\n");
    if (lines.at(-1) === "") lines.pop();
    return lines
      .slice(-n)
      .map((l) => (l.length > 400 ? l.slice(0, 400) + "…" : l))
      .join("\n");
  } catch {
    return "(log file not found)";
  }
}
