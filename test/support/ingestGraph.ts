import { expect } from "vitest";
import type { TestPlatform } from "./platform.ts";

/** Cypher straight against the platform's Neo4j, and one tenant's entities and relationships counted there. */
export function graphReader(platform: TestPlatform) {
  async function cypher<T = Record<string, unknown>>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const session = platform.stores.driver.session();
    try {
      const result = await session.run(query, params);
      return result.records.map((r) => r.toObject() as T);
    } finally {
      await session.close();
    }
  }

  /** Entities per label and relationships per type of one tenant, straight from Neo4j. */
  async function graphCounts(tenantId: string) {
    const nodes = await cypher<{ label: string; n: number }>(
      "MATCH (n) WHERE n.tenantId = $tenantId RETURN labels(n)[0] AS label, count(*) AS n",
      { tenantId },
    );
    const rels = await cypher<{ type: string; n: number }>(
      "MATCH (a)-[r]->(b) WHERE a.tenantId = $tenantId RETURN type(r) AS type, count(*) AS n",
      { tenantId },
    );
    return {
      entities: Object.fromEntries(nodes.map((r) => [r.label, Number(r.n)])),
      relationships: Object.fromEntries(rels.map((r) => [r.type, Number(r.n)])),
    };
  }

  return { cypher, graphCounts };
}

/** The response's data, after asserting it has no errors (they are shown when it does). */
export const ok = (res: { data?: any; errors?: unknown[] | undefined }): any => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
};

/** `lines` NDJSON events with unique indicators over 100 shared domains. */
export const feed = (lines: number) =>
  Buffer.from(
    Array.from({ length: lines }, (_, i) =>
      JSON.stringify({ pattern: `ind-${i}`, kind: "domain", domain: `d${i % 100}.example`, ip: "" }),
    ).join("\n"),
  );
