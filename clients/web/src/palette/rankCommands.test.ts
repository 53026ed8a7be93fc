import { describe, expect, it } from "vitest";
import { matchScore, rankCommands, type Command } from "./rankCommands.ts";

const commands: Command[] = [
  { id: "overview", title: "Overview", group: "Screen", href: "/" },
  { id: "ingest", title: "Ingest a file", group: "Screen", keywords: "upload import", href: "/ingest" },
  { id: "audit", title: "Audit log", group: "Screen", href: "/audit" },
  { id: "p1", title: "Dana Whitfield", group: "Person", href: "/entities/p1" },
];

describe("rankCommands", () => {
  it("puts prefixes before word starts before scattered letters", () => {
    expect(matchScore("aud", "Audit log")).toBeGreaterThan(matchScore("log", "Audit log")!);
    expect(matchScore("log", "Audit log")).toBeGreaterThan(matchScore("adt", "Audit log")!);
    expect(matchScore("xyz", "Audit log")).toBeNull();
  });

  it("matches keywords and keeps the original order for ties", () => {
    expect(rankCommands(commands, "upload").map((c) => c.id)).toEqual(["ingest"]);
    expect(rankCommands(commands, "").map((c) => c.id)).toEqual(["overview", "ingest", "audit", "p1"]);
    expect(rankCommands(commands, "whit").map((c) => c.id)).toEqual(["p1"]);
    expect(rankCommands(commands, "", 2)).toHaveLength(2);
  });
});
