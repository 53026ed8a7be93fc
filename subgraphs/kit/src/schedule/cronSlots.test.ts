import { describe, expect, it } from "vitest";
import { latestSlot, parseCron, previewCron } from "./cronSlots.ts";

const at = (iso: string) => new Date(iso);
const slot = (cron: string, timezone: string | undefined, now: string) => latestSlot(parseCron(cron, timezone), at(now))?.toISOString();

describe("latestSlot", () => {
  it("is the slot itself when now is exactly on it, and the previous one a second before", () => {
    expect(slot("*/10 * * * * *", undefined, "2026-07-01T07:00:20.000Z")).toBe("2026-07-01T07:00:20.000Z");
    expect(slot("*/10 * * * * *", undefined, "2026-07-01T07:00:20.999Z")).toBe("2026-07-01T07:00:20.000Z");
    expect(slot("*/10 * * * * *", undefined, "2026-07-01T07:00:19.999Z")).toBe("2026-07-01T07:00:10.000Z");
  });

  it("reads the pattern in the job's time zone, summer and winter", () => {
    // 09:00 in Berlin is 07:00 UTC in summer (CEST) and 08:00 UTC in winter (CET).
    expect(slot("0 9 * * *", "Europe/Berlin", "2026-07-01T07:30:00Z")).toBe("2026-07-01T07:00:00.000Z");
    expect(slot("0 9 * * *", "Europe/Berlin", "2026-07-01T06:59:59Z")).toBe("2026-06-30T07:00:00.000Z");
    expect(slot("0 9 * * *", "Europe/Berlin", "2026-01-15T08:00:00Z")).toBe("2026-01-15T08:00:00.000Z");
    expect(slot("0 9 * * *", undefined, "2026-01-15T08:00:00Z")).toBe("2026-01-14T09:00:00.000Z");
    expect(slot("30 5 * * *", "Asia/Kolkata", "2026-03-10T00:00:00Z")).toBe("2026-03-10T00:00:00.000Z");
  });

  it("runs a fixed-time job once on a day with a DST gap (02:30 Berlin does not exist on 29 March 2026)", () => {
    // croner moves a fixed-time job in the gap to the first valid time after it: 03:00 CEST = 01:00 UTC.
    expect(slot("30 2 * * *", "Europe/Berlin", "2026-03-29T12:00:00Z")).toBe("2026-03-29T01:00:00.000Z");
    expect(previewCron("30 2 * * *", "Europe/Berlin", 3, at("2026-03-28T12:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
  });

  it("agrees with nextRun for many random instants: the slot is ≤ now and the next one is after now", () => {
    const cron = parseCron("*/15 9-17 * * 1-5", "America/New_York");
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 500; i++) {
      const now = new Date(Date.parse("2026-01-01T00:00:00Z") + Math.floor(random() * 365 * 86_400_000));
      const found = latestSlot(cron, now)!;
      expect(found.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(cron.nextRun(found)!.getTime()).toBeGreaterThan(now.getTime());
    }
  });
});

describe("previewCron", () => {
  it("lists the next runs strictly after `from`, in UTC by default", () => {
    expect(previewCron("0 3 * * *", undefined, 2, at("2026-05-01T03:00:00Z")).map((d) => d.toISOString())).toEqual([
      "2026-05-02T03:00:00.000Z",
      "2026-05-03T03:00:00.000Z",
    ]);
    expect(previewCron("@hourly", "UTC", 1, at("2026-05-01T03:10:00Z"))[0]?.toISOString()).toBe("2026-05-01T04:00:00.000Z");
    expect(previewCron("0 3 * * *", undefined, 0, at("2026-05-01T03:00:00Z"))).toEqual([]);
  });

  it("refuses a negative or fractional count", () => {
    expect(() => previewCron("0 3 * * *", undefined, -1, at("2026-05-01T00:00:00Z"))).toThrow(/count must be a whole number/);
    expect(() => previewCron("0 3 * * *", undefined, 1.5, at("2026-05-01T00:00:00Z"))).toThrow(/count must be a whole number/);
  });
});

describe("parseCron", () => {
  it("rejects a bad pattern with what a valid one looks like", () => {
    expect(() => parseCron("every day")).toThrow(/Invalid cron pattern "every day".*5 fields "minute hour day month weekday"/);
    expect(() => parseCron("61 * * * *")).toThrow(/Invalid cron pattern "61 \* \* \* \*" \(.*minute/);
    expect(() => parseCron("* * * *")).toThrow(/Invalid cron pattern/);
    // 7 fields (with a year) are not accepted: 5 or 6 only.
    expect(() => parseCron("0 0 0 1 1 * 2027")).toThrow(/Invalid cron pattern/);
  });

  it("rejects an unknown time zone by name", () => {
    expect(() => parseCron("0 9 * * *", "Mars/Olympus")).toThrow('Unknown time zone "Mars/Olympus"');
    expect(() => previewCron("0 9 * * *", "CEST+", 1, at("2026-01-01T00:00:00Z"))).toThrow(/Unknown time zone/);
  });

  it("accepts 6 fields with seconds first", () => {
    expect(previewCron("30 0 12 * * *", undefined, 1, at("2026-01-01T00:00:00Z"))[0]?.toISOString()).toBe("2026-01-01T12:00:30.000Z");
  });
});
