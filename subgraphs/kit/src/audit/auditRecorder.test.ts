import { describe, expect, it } from "vitest";
import { redactArguments } from "./auditRecorder.ts";

describe("redactArguments", () => {
  it("hides secret-looking keys at any depth", () => {
    expect(redactArguments({ input: { email: "a@b.test", password: "hunter22", nested: { apiKey: "k" } }, token: "t" })).toEqual({
      input: { email: "a@b.test", password: "[redacted]", nested: { apiKey: "[redacted]" } },
      token: "[redacted]",
    });
  });

  it("keeps the start of a very long string (an imported file) and says how much was cut", () => {
    const data = "email,role\n" + "x@y.test,viewer\n".repeat(1000);
    const copied = redactArguments({ input: { format: "CSV", data } }) as { input: { data: string } };
    expect(copied.input.data.startsWith("email,role\nx@y.test,viewer")).toBe(true);
    expect(copied.input.data).toMatch(new RegExp(`…\\[${data.length - 2000} more characters\\]$`));
    expect(copied.input.data.length).toBeLessThan(2100);
  });
});
