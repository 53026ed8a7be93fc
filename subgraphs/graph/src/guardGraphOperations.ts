import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import { appError, ErrorCode, requireUser, type RequestContext } from "@intelgraph/kit";

/** `where AND tenantId = <caller's tenant>`, whatever the client sent. */
export function scopeWhere(where: unknown, tenantId: string): Record<string, unknown> {
  const tenant = { tenantId: { eq: tenantId } };
  return where && typeof where === "object" && Object.keys(where).length ? { AND: [where, tenant] } : tenant;
}

/**
 * @neo4j/graphql throws GraphQLErrors without `extensions.code`; give the
 * ones a client causes our stable codes (the rest stay internal errors).
 */
export function translateNeo4jError(error: unknown): unknown {
  switch ((error as { name?: string } | null)?.name) {
    case "Neo4jGraphQLForbiddenError":
      return appError(
        ErrorCode.FORBIDDEN,
        "Forbidden: you can only read and change entities of your own tenant, and only link them to each other.",
      );
    case "Neo4jGraphQLAuthenticationError":
      return appError(ErrorCode.UNAUTHENTICATED, "Sign in first: send `Authorization: Bearer <session token>`.");
    case "Neo4jGraphQLConstraintValidationError":
      return appError(ErrorCode.CONFLICT, (error as Error).message);
    case "Neo4jGraphQLRelationshipValidationError":
      return appError(ErrorCode.BAD_USER_INPUT, (error as Error).message);
    default:
      return error;
  }
}

/**
 * Every root field of the graph subgraph needs a signed-in user, so
 * `@neo4j/graphql` always sees a tenant (which roles may call what is policy:
 * see @intelgraph/policies).
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
    [MapperKind.ROOT_FIELD]: (field, fieldName) => {
      if (fieldName === "_service") return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const takesWhere = Object.hasOwn(field.args ?? {}, "where");
      return {
        ...field,
        async resolve(source, args: Record<string, unknown>, context: RequestContext, info) {
          const user = requireUser(context.principal);
          const scoped = takesWhere ? { ...args, where: scopeWhere(args["where"], user.tenantId) } : args;
          try {
            return await resolve(source, scoped, context, info);
          } catch (error) {
            throw translateNeo4jError(error);
          }
        },
      };
    },
  });
}
