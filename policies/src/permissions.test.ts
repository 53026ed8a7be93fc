import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PERMISSIONS, ROLE_PERMISSIONS, type Role } from "./permissions.ts";

const SECURITY_MD = fileURLToPath(new URL("../../docs/security.md", import.meta.url));
const POLICIES_README = fileURLToPath(new URL("../README.md", import.meta.url));

/** "ingest:read/write/approve" → ingest:read, ingest:write, ingest:approve; "(…)" notes dropped. */
function expand(cell: string): string[] {
  return cell
    .replace(/\([^)]*\)/g, "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)
    .flatMap((p) => {
      const [resource, actions = ""] = p.split(":");
      return actions.split("/").map((a) => `${resource}:${a}`);
    });
}

/** The "Roles and permissions" table of docs/security.md, role → permissions. */
function documentedRoles(): Record<string, string[]> {
  const text = fs.readFileSync(SECURITY_MD, "utf8");
  const section = text.split("## Roles and permissions")[1]?.split("\n## ")[0] ?? "";
  const rows: Record<string, string[]> = {};
  for (const line of section.split("\n")) {
    const match = /^\|\s*`([A-Z_]+)`[^|]*\|([^|]+)\|/.exec(line);
    if (match) rows[match[1]!] = expand(match[2]!).sort();
  }
  return rows;
}

describe("docs/security.md's role table", () => {
  it("says exactly what policies/src/permissions.ts grants, role by role", () => {
    const code = Object.fromEntries(Object.entries(ROLE_PERMISSIONS).map(([role, ps]) => [role, [...ps].sort()]));
    expect(documentedRoles()).toEqual(code);
  });

  it("names only permissions that exist", () => {
    for (const [role, ps] of Object.entries(documentedRoles())) {
      expect(ROLE_PERMISSIONS[role as Role], role).toBeDefined();
      for (const p of ps) expect(PERMISSIONS, `${role}: ${p}`).toContain(p);
    }
  });
});

describe("policies/README.md's permission list", () => {
  it("names every permission, and only those", () => {
    const text = fs.readFileSync(POLICIES_README, "utf8");
    const named = [...new Set([...text.matchAll(/`([a-z]+:[a-z]+)`/g)].map((m) => m[1]!))].sort();
    expect(named).toEqual([...PERMISSIONS].sort());
  });
});
