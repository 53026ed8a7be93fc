import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import { requireRole, requireUser, type RequestContext } from "@intelgraph/kit";

export const GRAPH_WRITERS = ["ADMIN", "ANALYST", "OPERATOR"] as const;

/** `where AND tenantId = <caller's tenant>`, whatever the client sent. */
export function scopeWhere(where: unknown, tenantId: string): Record<string, unknown> {
  const tenant = { tenantId: { eq: tenantId } };
  return where && typeof where === "object" && Object.keys(where).length ? { AND: [where, tenant] } : tenant;
}

/**
 * Every root field of the graph subgraph needs a signed-in user (so
 * `@neo4j/graphql` always sees a tenant) and writes need a writer role.
 *
 * Root fields that take `where` (reads, connections, updates, deletes) also
 * get the caller's tenant ANDed into it. `@authorization` already filters, but
 * @neo4j/graphql 7.6 drops that filter on the top-level node of an update that
 * only changes relationships, which would expose and link other tenants'
 * nodes; scoping here closes that and any similar gap. `_service` stays open:
 * it only returns SDL. `_entities` has no `where` and goes through the
 * filtered read path.
 */
export function guardGraphOperations(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
      if (fieldName === "_service") return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const isMutation = typeName === schema.getMutationType()?.name;
      const takesWhere = Object.hasOwn(field.args ?? {}, "where");
      return {
        ...field,
        resolve(source, args: Record<string, unknown>, context: RequestContext, info) {
          const user = isMutation ? requireRole(context.principal, GRAPH_WRITERS) : requireUser(context.principal);
          const scoped = takesWhere ? { ...args, where: scopeWhere(args["where"], user.tenantId) } : args;
          return resolve(source, scoped, context, info);
        },
      };
    },
  });
}
