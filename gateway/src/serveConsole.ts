import { existsSync } from "node:fs";
import path from "node:path";
import express, { type RequestHandler } from "express";

/** Paths the gateway answers itself; the console's fallback never shadows them. */
const API_PREFIXES = ["/graphql", "/uploads/", "/healthz", "/readyz", "/metrics"];

/**
 * Serves the built console (clients/web/dist) at `/`: hashed files under
 * `/assets/` cached for a year, everything else revalidated, and any other
 * page a browser asks for answered with index.html (the console routes itself).
 */
export function serveConsole(dir: string): RequestHandler[] {
  const index = path.join(dir, "index.html");
  if (!existsSync(index)) throw new Error(`the console is not built: ${index} is missing (run: node scripts/console.mjs build)`);
  const files = express.static(dir, {
    index: false,
    setHeaders(res, file) {
      res.setHeader("x-content-type-options", "nosniff");
      const hashed = file.startsWith(path.join(dir, "assets") + path.sep);
      res.setHeader("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
  const fallback: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" && req.method !== "HEAD") return next();
    if (API_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(prefix))) return next();
    if (req.path.startsWith("/assets/") || !req.accepts("html")) return next();
    res.setHeader("cache-control", "no-cache");
    res.setHeader("x-content-type-options", "nosniff");
    res.sendFile(index);
  };
  return [files, fallback];
}
