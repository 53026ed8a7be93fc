/**
 * Vitest setup file (vitest.config.ts, every project): an unexpected server-side
 * error log — `console.error`, or an `error`/`fatal` entry of a test logger —
 * fails the test it happened in (or the file, when it happened in a hook).
 * Tests that provoke one on purpose allow it with `allowErrorLogs(/pattern/)`.
 */
import { format } from "node:util";
import { afterAll, afterEach, beforeEach } from "vitest";
import { recordErrorLog, takeUnexpectedErrorLogs, type ErrorLog } from "./errorLogs.ts";

const originalError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  recordErrorLog({ source: "console.error", text: format(...args) });
  originalError(...args);
};

function failOn(unexpected: ErrorLog[], where: string): void {
  if (!unexpected.length) return;
  const lines = unexpected.map((e) => `  [${e.source}] ${e.text.slice(0, 600)}`).join("\n");
  throw new Error(`${unexpected.length} unexpected error log(s) ${where}; allow an expected one with allowErrorLogs(/pattern/):\n${lines}`);
}

// Whatever was logged before a test starts (a beforeAll, the previous test's stragglers) counts against the file.
const betweenTests: ErrorLog[] = [];
beforeEach(() => {
  betweenTests.push(...takeUnexpectedErrorLogs(false));
});
afterEach(() => {
  failOn(takeUnexpectedErrorLogs(true), "during this test");
});
afterAll(() => {
  failOn([...betweenTests, ...takeUnexpectedErrorLogs(false)], "outside tests (hooks or after a test ended)");
});
