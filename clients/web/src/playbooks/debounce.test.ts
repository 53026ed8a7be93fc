import { afterEach, describe, expect, it, vi } from "vitest";
import { debounce } from "./debounce.ts";

afterEach(() => {
  vi.useRealTimers();
});

describe("debounce", () => {
  it("calls once with the latest arguments after a quiet period", () => {
    vi.useFakeTimers();
    const calls: string[] = [];
    const d = debounce((cron: string) => calls.push(cron), 300);
    d.call("0");
    vi.advanceTimersByTime(200);
    d.call("0 8");
    vi.advanceTimersByTime(200);
    d.call("0 8 * * *");
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(300);
    expect(calls).toEqual(["0 8 * * *"]);
  });

  it("does not call after cancel", () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 100);
    d.call(1);
    d.cancel();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([]);
  });
});
