import { describe, expect, it } from "vitest";
import { formatBytes, formatCount, formatDuration, formatPercent, formatRate, formatRelative, formatTimestamp } from "./format.ts";

describe("format", () => {
  it("floors percentages so only a finished job shows 100%", () => {
    expect(formatPercent(0.999)).toBe("99%");
    expect(formatPercent(1)).toBe("100%");
    expect(formatPercent(1.2)).toBe("100%");
    expect(formatPercent(null)).toBe("—");
  });

  it("formats rates, durations and sizes", () => {
    expect(formatRate(12.345)).toBe("12.3 records/s");
    expect(formatRate(1234.5)).toBe("1,235 records/s");
    expect(formatRate(null)).toBe("—");
    expect(formatDuration(42.4)).toBe("42 s");
    expect(formatDuration(200)).toBe("3 min 20 s");
    expect(formatDuration(7500)).toBe("2 h 5 min");
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe("—");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatCount(1234567)).toBe("1,234,567");
  });

  it("formats times relative to now", () => {
    const now = Date.parse("2025-01-02T12:00:00Z");
    expect(formatRelative("2025-01-02T11:59:50Z", now)).toBe("just now");
    expect(formatRelative("2025-01-02T11:50:00Z", now)).toBe("10 min ago");
    expect(formatRelative("2025-01-02T09:00:00Z", now)).toBe("3 h ago");
    expect(formatRelative("2024-12-01T09:00:00Z", now)).toBe("2024-12-01");
    expect(formatTimestamp("2025-01-02T11:59:50.123Z")).toBe("2025-01-02 11:59:50Z");
  });
});
