/**
 * Server-side error logs recorded for the test that caused them, so an
 * unexpected one fails it (test/support/failOnErrorLogs.ts): `console.error`
 * calls and the platform loggers' `error`/`fatal` entries (test/support/testLogger.ts).
 * A test that expects one says so, narrowly, with `allowErrorLogs(/pattern/)`.
 */
import { TestRunner } from "vitest";

export interface ErrorLog {
  /** `console.error` or the logger's name. */
  source: string;
  text: string;
}

interface ErrorLogState {
  /** Recorded since the current test started (or since the last test, between tests). */
  entries: ErrorLog[];
  /** Allowed for the whole file (allowErrorLogs at the top level or in a hook). */
  fileAllowances: RegExp[];
  /** Allowed for the running test only. */
  testAllowances: RegExp[];
}

// One state per test file, shared by the setup file and the test's own imports.
const state: ErrorLogState = ((globalThis as { __intelgraphErrorLogs?: ErrorLogState }).__intelgraphErrorLogs ??= {
  entries: [],
  fileAllowances: [],
  testAllowances: [],
});

export function recordErrorLog(entry: ErrorLog): void {
  state.entries.push(entry);
}

/**
 * Lets error logs matching `patterns` (matched against the logged text) pass:
 * inside a test for that test only, at the top level of a file or in a hook
 * for the rest of the file. Name the failure the test provokes; never `/./`.
 */
export function allowErrorLogs(...patterns: RegExp[]): void {
  (TestRunner.getCurrentTest() ? state.testAllowances : state.fileAllowances).push(...patterns);
}

/** The recorded entries no allowance covers, and forgets all recorded ones (and the test's allowances when `endOfTest`). */
export function takeUnexpectedErrorLogs(endOfTest: boolean): ErrorLog[] {
  const allowed = [...state.fileAllowances, ...state.testAllowances];
  const unexpected = state.entries.filter((e) => !allowed.some((pattern) => pattern.test(e.text)));
  state.entries = [];
  if (endOfTest) state.testAllowances = [];
  return unexpected;
}
