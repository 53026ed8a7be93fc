import { printSubgraphSchema } from "@apollo/subgraph";
import type { Driver } from "neo4j-driver";
import {
  auditMutations,
  createSubgraphServer,
  isSignedIn,
  type RequestContext,
  type ServiceDeps,
  type SubgraphServer,
} from "@intelgraph/kit";
import { buildGraphSchema, ensureGraphConstraints, type GraphJwt } from "./graphSchema.ts";
import { guardGraphOperations } from "./guardGraphOperations.ts";

export const name = "graph";

export interface GraphDeps extends ServiceDeps {
  driver: Driver;
  /** Neo4j database name; default `neo4j`. */
  database?: string;
}

interface GraphContext extends RequestContext {
  jwt?: GraphJwt;
  sessionConfig: { database: string };
}

export async function sdl(): Promise<string> {
  return printSubgraphSchema(await buildGraphSchema());
}

export async function createServer(deps: GraphDeps): Promise<SubgraphServer> {
  const database = deps.database ?? "neo4j";
  await ensureGraphConstraints(deps.driver, database);
  const schema = auditMutations(deps.protect(guardGraphOperations(await buildGraphSchema(deps.driver))), deps.audit, name);
  return createSubgraphServer<GraphContext>({
    name,
    schema,
    principalKey: deps.principalKey,
    logger: deps.logger.child({ service: name }),
    readiness: () => deps.driver.verifyConnectivity({ database }).then(() => undefined),
    extendContext: (base) => {
      const { principal } = base;
      const jwt = isSignedIn(principal) ? { tenantId: principal.tenantId, roles: principal.roles, sub: principal.userId } : undefined;
      return { ...base, ...(jwt ? { jwt } : {}), sessionConfig: { database } };
    },
  });
}
