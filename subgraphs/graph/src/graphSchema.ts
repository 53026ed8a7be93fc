import { randomBytes } from "node:crypto";
import { Neo4jGraphQL } from "@neo4j/graphql";
import type { Driver } from "neo4j-driver";
import type { GraphQLSchema } from "graphql";
import { DEFAULT_ENTITY_MARKING } from "@intelgraph/kit";
import { askTypeDefs } from "./ask/askTypeDefs.ts";
import { exportTypeDefs } from "./exports/exportTypeDefs.ts";
import { ingestTypeDefs } from "./ingest/ingestTypeDefs.ts";
import { intelTypeDefs } from "./intel/intelModule.ts";
import { lifecycleTypeDefs } from "./lifecycle/lifecycleTypeDefs.ts";
import { neighbourhoodTypeDefs } from "./neighbourhood/neighbourhoodTypeDefs.ts";
import { reportTypeDefs } from "./reports/reportTypeDefs.ts";
import { typeDefs } from "./typeDefs.ts";

export const ENTITY_LABELS = [
  "Person",
  "Organization",
  "Domain",
  "IPAddress",
  "Indicator",
  "Incident",
  "ThreatActor",
  "IntrusionSet",
  "Campaign",
  "Malware",
  "Tool",
  "AttackPattern",
  "Vulnerability",
  "ThreatReport",
] as const;

/** What @neo4j/graphql reads from our context: the decoded principal as `jwt`. */
export interface GraphJwt {
  tenantId: string;
  roles: string[];
  sub: string;
  /** The TLP markings at or below the caller's clearance (`markingsUpTo`). */
  markings: string[];
}

/**
 * Builds the federation subgraph schema: the @neo4j/graphql model plus the
 * neighbourhood, ingest, lifecycle, ask, report and export APIs (their own resolvers). Driver and resolvers are optional so
 * composition can run without a database.
 */
export async function buildGraphSchema(driver?: Driver, resolvers?: Record<string, unknown>): Promise<GraphQLSchema> {
  const neo = new Neo4jGraphQL({
    typeDefs: [
      typeDefs,
      neighbourhoodTypeDefs,
      ingestTypeDefs,
      lifecycleTypeDefs,
      askTypeDefs,
      reportTypeDefs,
      exportTypeDefs,
      ...intelTypeDefs,
    ],
    ...(driver ? { driver } : {}),
    ...(resolvers ? { resolvers: resolvers as never } : {}),
    features: {
      // We always pass the verified principal as `context.jwt`; a random key means
      // no bearer token could ever be verified by the library itself.
      authorization: { key: randomBytes(32).toString("base64url") },
      populatedBy: {
        callbacks: {
          // Tenant comes from the verified principal, never from input.
          // A new indicator is not suppressed until a rule says so (the read filter needs false, not null).
          notSuppressed: () => false,
          tenantId: (_parent, _args, context) => {
            const tenantId = context.jwt?.["tenantId"];
            if (typeof tenantId !== "string" || !tenantId) throw new Error("no tenant in context");
            return tenantId;
          },
        },
      },
    },
  });
  return neo.getSubgraphSchema();
}

/** Uniqueness of ids and tenant indexes, created idempotently at start. */
export async function ensureGraphConstraints(driver: Driver, database: string): Promise<void> {
  const session = driver.session({ database });
  try {
    for (const label of ENTITY_LABELS) {
      await session.run(`CREATE CONSTRAINT ${label.toLowerCase()}_id IF NOT EXISTS FOR (n:${label}) REQUIRE n.id IS UNIQUE`);
      await session.run(`CREATE INDEX ${label.toLowerCase()}_tenant IF NOT EXISTS FOR (n:${label}) ON (n.tenantId)`);
    }
    // Soft-deleted entities are looked up by id too (report evidence, restore).
    await session.run(`CREATE INDEX deleted_id IF NOT EXISTS FOR (n:Deleted) ON (n.id)`);
    await session.run(`MATCH (n:Indicator) WHERE n.suppressed IS NULL CALL (n) { SET n.suppressed = false } IN TRANSACTIONS OF 5000 ROWS`);
    // Entities and links written before markings existed are GREEN, the default (a null marking would hide them from everyone).
    for (const label of ENTITY_LABELS)
      await session.run(`MATCH (n:${label}) WHERE n.marking IS NULL CALL (n) { SET n.marking = $marking } IN TRANSACTIONS OF 5000 ROWS`, {
        marking: DEFAULT_ENTITY_MARKING,
      });
  } finally {
    await session.close();
  }
}
