import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { root } from "../lib.ts";
import { generateEvents, type GeneratedSummary } from "./generateEvents.ts";

/**
 * The generated events for (events, seed) in .cache/bench/, with their summary beside them
 * (`<file>.summary.json`): generated once, then reused while the file has the summary's size.
 * `seconds` is how long generating took; null when the cached file was used.
 */
export async function cachedEvents(
  events: number,
  seed: number,
): Promise<{ file: string; summary: GeneratedSummary; seconds: number | null }> {
  const cacheDir = join(root, ".cache/bench");
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, `events-${events}-${seed}.ndjson`);
  const summaryFile = `${file}.summary.json`;
  if (existsSync(file) && existsSync(summaryFile)) {
    const summary = JSON.parse(readFileSync(summaryFile, "utf8")) as GeneratedSummary;
    if (statSync(file).size === summary.bytes) return { file, summary, seconds: null };
  }
  const t = performance.now();
  const summary = await generateEvents(file, { events, seed });
  writeFileSync(summaryFile, JSON.stringify(summary, null, 2));
  return { file, summary, seconds: (performance.now() - t) / 1000 };
}
