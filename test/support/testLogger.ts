import { Writable } from "node:stream";
import { createLogger, type Logger } from "@intelgraph/kit";
import { recordErrorLog } from "./errorLogs.ts";

/** pino's numeric levels. */
const LEVELS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };
const ERROR = LEVELS["error"]!;

/**
 * A logger for servers under test: lines at `TEST_LOG_LEVEL` (default `silent`)
 * and above go to stdout, and every `error`/`fatal` entry is recorded even when
 * silent, so an unexpected one fails the test (test/support/errorLogs.ts).
 * kit's createLogger has no hook option, so the recording is a destination stream
 * fed at level `error` or lower.
 */
export function createTestLogger(name: string, show: string = process.env["TEST_LOG_LEVEL"] ?? "silent"): Logger {
  const shown = LEVELS[show] ?? LEVELS["info"]!;
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (!line) continue;
        const level = levelOf(line);
        if (level >= ERROR) recordErrorLog({ source: name, text: line });
        if (level >= shown) process.stdout.write(`${line}\n`);
      }
      done();
    },
  });
  return createLogger({ name, level: shown < ERROR ? show : "error", destination });
}

function levelOf(line: string): number {
  try {
    return Number((JSON.parse(line) as { level?: unknown }).level) || 0;
  } catch {
    return 0;
  }
}
