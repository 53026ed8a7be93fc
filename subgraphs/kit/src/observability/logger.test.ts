import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";

describe("createLogger", () => {
  it("redacts passwords, secrets and authorization headers", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ name: "t", destination: sink });
    log.info({ input: { password: "hunter2", secret: "s3" }, headers: { authorization: "Bearer abc" } }, "hello");
    const line = JSON.parse(lines[0] ?? "{}");
    expect(line.input).toEqual({ password: "[redacted]", secret: "[redacted]" });
    expect(line.headers.authorization).toBe("[redacted]");
    expect(lines.join("")).not.toContain("hunter2");
  });
});
