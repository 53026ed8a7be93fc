// How the stores script speaks: one error type (shown without a stack), progress on
// stderr unless quiet, durations in seconds.

export class StoreError extends Error {}

let quiet = false;

export function log(msg) {
  if (!quiet) process.stderr.write(`[stores] ${msg}\n`);
}

/** Runs fn with progress messages on or off, then restores what was set before. */
export async function withQuiet(on, fn) {
  const before = quiet;
  quiet = !!on;
  try {
    return await fn();
  } finally {
    quiet = before;
  }
}

export const secs = (ms) => `${(ms / 1000).toFixed(1)}s`;
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
