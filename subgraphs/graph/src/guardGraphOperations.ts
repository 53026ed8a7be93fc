import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import { requireRole, requireUser, type RequestContext } from "@intelgraph/kit";

export const GRAPH_WRITERS = ["ADMIN", "ANALYST", "OPERATOR"] as const;

/**
 * Every root field of the graph subgraph needs a signed-in user (so
 * `@neo4j/graphql` always sees a tenant) and writes need a writer role.
 * `_service` stays open: it only returns SDL.
 */
export function guardGraphOperations(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
      if (fieldName === "_service") return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const isMutation = typeName === schema.getMutationType()?.name;
      return {
        ...field,
        resolve(source, args, context: RequestContext, info) {
          if (isMutation) requireRole(context.principal, GRAPH_WRITERS);
          else requireUser(context.principal);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
