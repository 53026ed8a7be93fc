import { pino, type Logger } from "pino";

export type { Logger };

/** Paths whose values never reach a log line. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "*.*.password",
  "secret",
  "*.secret",
  "*.*.secret",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  'headers["x-intelgraph-principal"]',
  "req.headers.authorization",
  "variables.password",
  "variables.input.password",
  "variables.input.secret",
];

export interface LoggerOptions {
  /** Service name put on every line. */
  name: string;
  /** pino level; default `info`. */
  level?: string;
  /** Where lines go; default stdout. Tests pass a stream to inspect output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ name, level = "info", destination }: LoggerOptions): Logger {
  const options = { name, level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } };
  return destination ? pino(options, destination as pino.DestinationStream) : pino(options);
}
