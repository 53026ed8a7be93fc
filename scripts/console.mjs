// Builds the analyst console (clients/web → clients/web/dist) when its sources
// changed since the last build, so `npm start` and the e2e tests always serve a
// current console without rebuilding every time. Idempotent.
//   node scripts/console.mjs build     build if stale
//   node scripts/console.mjs status    say whether dist is current
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
export const CONSOLE_ROOT = path.join(root, "clients/web");
export const CONSOLE_DIST = path.join(CONSOLE_ROOT, "dist");
const STAMP = path.join(CONSOLE_DIST, ".build-hash");

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (!entry.name.endsWith(".test.ts")) yield full;
  }
}

/** A hash of everything the build reads: sources, index.html, config, package and lock file. */
export function consoleSourceHash() {
  const hash = createHash("sha256");
  const inputs = [
    ...files(path.join(CONSOLE_ROOT, "src")),
    ...["index.html", "vite.config.ts", "package.json", "tsconfig.json"].map((f) => path.join(CONSOLE_ROOT, f)),
    path.join(root, "pnpm-lock.yaml"),
  ];
  for (const file of inputs) {
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    hash.update(path.relative(root, file)).update("\0").update(readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

export function consoleIsCurrent() {
  return (
    existsSync(path.join(CONSOLE_DIST, "index.html")) && existsSync(STAMP) && readFileSync(STAMP, "utf8").trim() === consoleSourceHash()
  );
}

/** Builds the console unless dist is current; returns the dist directory. */
export function ensureConsoleBuilt({ quiet = false } = {}) {
  if (consoleIsCurrent()) return CONSOLE_DIST;
  const hash = consoleSourceHash();
  if (!quiet) console.log("[console] building clients/web (vite build)");
  const vite = path.join(CONSOLE_ROOT, "node_modules/.bin/vite");
  if (!existsSync(vite)) throw new Error(`[console] ${vite} is missing: run bash scripts/bootstrap.sh first`);
  const result = spawnSync(vite, ["build", "--logLevel", quiet ? "error" : "warn"], { cwd: CONSOLE_ROOT, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`[console] vite build failed (exit ${result.status})`);
  writeFileSync(STAMP, `${hash}\n`);
  return CONSOLE_DIST;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const command = process.argv[2] ?? "build";
  if (command === "build") {
    try {
      ensureConsoleBuilt();
    } catch (error) {
      console.error(error.message);
      process.exit(1);
    }
  } else if (command === "status") {
    console.log(consoleIsCurrent() ? "current" : "stale");
  } else {
    console.error("usage: node scripts/console.mjs build|status");
    process.exit(2);
  }
}
