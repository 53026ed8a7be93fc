import { buildSubgraphSchema } from "@apollo/subgraph";
import type { DocumentNode } from "graphql";
import { auditMutations } from "../audit/auditMutations.ts";
import { createSubgraphServer, type SubgraphServer } from "./createSubgraphServer.ts";
import type { RequestContext } from "../auth/requestContext.ts";
import type { ServiceDeps } from "../config/serviceDeps.ts";

export interface ServiceSubgraphOptions<C extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  resolvers: object;
  deps: ServiceDeps;
  /** Adds the service's own objects (its domain service) to the request context. */
  extendContext: (base: RequestContext) => C;
  /** Defaults to pinging the MongoDB-wire store. */
  readiness?: () => Promise<void>;
}

/**
 * The usual subgraph: SDL + resolvers built with `buildSubgraphSchema`,
 * guarded by the access policies, every mutation audited, served by
 * `createSubgraphServer`.
 */
export function createServiceSubgraph<C extends RequestContext>(options: ServiceSubgraphOptions<C>): Promise<SubgraphServer> {
  const { name, typeDefs, resolvers, deps, extendContext } = options;
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
  return createSubgraphServer<C>({
    name,
    // Policy first, audit outermost: refused calls are audited as failures too.
    schema: auditMutations(deps.protect(schema), deps.audit, name),
    principalKey: deps.principalKey,
    logger: deps.logger.child({ service: name }),
    readiness: options.readiness ?? (async () => void (await deps.db.command({ ping: 1 }))),
    extendContext,
  });
}
