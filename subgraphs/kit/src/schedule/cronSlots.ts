import { Cron } from "croner";

/**
 * The pure half of the scheduler: reading a cron pattern in a time zone and
 * turning "now" into the slot that is due. No clock, no database.
 */

/** @default "UTC" */
export const DEFAULT_TIMEZONE = "UTC";

/**
 * Parses `cron` (5 fields `minute hour day month weekday`, or 6 with seconds
 * first; nicknames such as `@daily` too) in the IANA `timezone`, or throws an
 * Error that says what is wrong and what a valid one looks like. The returned
 * Cron is paused: it never starts a timer, it only computes times.
 */
export function parseCron(cron: string, timezone: string = DEFAULT_TIMEZONE): Cron {
  try {
    new Intl.DateTimeFormat("en", { timeZone: timezone });
  } catch {
    throw new Error(`Unknown time zone "${timezone}". Use an IANA name such as "UTC", "Europe/Berlin" or "America/New_York".`);
  }
  try {
    return new Cron(cron, { timezone, paused: true, mode: "5-or-6-parts" });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Invalid cron pattern "${cron}" (${reason}). Use 5 fields "minute hour day month weekday", e.g. "0 3 * * *" ` +
        `for 03:00 every day, or 6 with seconds first.`,
    );
  }
}

/**
 * The latest slot at or before `now`, or null when the pattern has none.
 * croner's previousRuns leaves out a run exactly at its reference but keeps one
 * earlier in the same second, so the reference is 1 ms past now's whole second
 * (slots are whole seconds).
 */
export function latestSlot(cron: Cron, now: Date): Date | null {
  const second = Math.floor(now.getTime() / 1000) * 1000;
  return cron.previousRuns(1, new Date(second + 1))[0] ?? null;
}

/** The next `count` run times of `cron` in `timezone` (default UTC) strictly after `from`, e.g. to show a schedule before saving it. */
export function previewCron(cron: string, timezone: string | undefined, count: number, from: Date): Date[] {
  if (!Number.isInteger(count) || count < 0) throw new Error(`previewCron: count must be a whole number ≥ 0, got ${count}.`);
  return parseCron(cron, timezone ?? DEFAULT_TIMEZONE).nextRuns(count, from);
}
