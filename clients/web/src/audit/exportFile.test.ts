import { describe, expect, it } from "vitest";
import { auditExportFileName } from "./exportFile.ts";

describe("audit export files", () => {
  it("are named by the UTC time of the export, without characters file systems refuse", () => {
    const at = new Date("2025-01-31T10:02:03.456Z");
    expect(auditExportFileName(at, "CSV")).toBe("audit-events-2025-01-31T10-02-03Z.csv");
    expect(auditExportFileName(at, "JSON")).toBe("audit-events-2025-01-31T10-02-03Z.json");
  });
});
