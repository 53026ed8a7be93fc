import { MapperKind, mapSchema } from "@graphql-tools/utils";
import {
  defaultFieldResolver,
  getNamedType,
  graphql,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLInputType,
  type GraphQLSchema,
} from "graphql";
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
        "Forbidden: you can only read and change entities of your own tenant marked within your clearance, only link them to each other, and not change entities under legal hold.",
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

export interface GuardOptions {
  /** Names of legal holds by id, so a refused change names what holds it. */
  holdNames?: (tenantId: string, ids: string[]) => Promise<Array<{ id: string; name: string | null }>>;
}

/** Root list query for each entity type (Person → people), read from the schema. */
function rootQueries(schema: GraphQLSchema): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, field] of Object.entries(schema.getQueryType()?.getFields() ?? {})) {
    const type = field.type;
    if (name.endsWith("Connection") || !(isNonNullType(type) && isListType(type.ofType))) continue;
    map.set(getNamedType(type).name, name);
  }
  return map;
}

/**
 * Every `{ where: { node: <Type>Where } }` inside a mutation's input: the
 * nodes a nested connect, disconnect, update or delete would touch.
 */
function nestedTargets(value: unknown, type: GraphQLInputType, out: Array<{ typeName: string; where: unknown }>, depth = 0) {
  if (depth > 12 || value === null || value === undefined) return;
  const named = getNamedType(type);
  if (Array.isArray(value)) {
    for (const v of value) nestedTargets(v, named, out, depth + 1);
    return;
  }
  if (!isInputObjectType(named) || typeof value !== "object") return;
  const fields = named.getFields();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = fields[key];
    if (!field) continue;
    const fieldType = getNamedType(field.type);
    if (key === "where" && isInputObjectType(fieldType) && fieldType.getFields()["node"] && v && typeof v === "object") {
      const nodeType = getNamedType(fieldType.getFields()["node"]!.type);
      const node = (v as Record<string, unknown>)["node"];
      if (node && nodeType.name.endsWith("Where")) out.push({ typeName: nodeType.name.slice(0, -5), where: node });
    }
    nestedTargets(v, field.type, out, depth + 1);
  }
}

/**
 * Refuses, with LEGAL_HOLD naming the holds, a mutation that would change an
 * entity under legal hold: the root's own `where` (updates, deletes) and every
 * nested target, read through the same schema with the caller's context (so
 * exactly what the mutation could match, tenant-scoped). The `@authorization`
 * rule on `legalHeld` stays behind it.
 */
async function refuseHeld(
  targets: Array<{ typeName: string; where: unknown }>,
  context: RequestContext,
  schema: GraphQLSchema,
  options: GuardOptions,
) {
  const queries = rootQueries(schema);
  const held: Array<{ id: string; legalHolds: string[] }> = [];
  for (const target of targets) {
    const query = queries.get(target.typeName);
    if (!query) continue;
    const read = await graphql({
      schema,
      source: `query($where: ${target.typeName}Where) { ${query}(where: $where) { id legalHolds } }`,
      variableValues: { where: scopeWhere(target.where, context.principal.tenantId!) },
      contextValue: context,
    });
    const nodes = (read.data?.[query] ?? []) as Array<{ id: string; legalHolds: string[] | null }>;
    for (const n of nodes) if (n.legalHolds?.length) held.push({ id: n.id, legalHolds: n.legalHolds });
  }
  if (!held.length) return;
  const holdIds = [...new Set(held.flatMap((n) => n.legalHolds))];
  const named = options.holdNames
    ? await options.holdNames(context.principal.tenantId!, holdIds)
    : holdIds.map((id) => ({ id, name: null }));
  throw appError(
    ErrorCode.LEGAL_HOLD,
    `${held.length} of the entities this would change are under legal hold ${named.map((h) => `"${h.name ?? h.id}"`).join(", ")}; nothing was changed. Release the hold first.`,
    { holds: named, entityIds: held.slice(0, 50).map((n) => n.id) },
  );
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
export function guardGraphOperations(schema: GraphQLSchema, options: GuardOptions = {}): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (field, fieldName, typeName) => {
      if (fieldName === "_service") return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      const takesWhere = Object.hasOwn(field.args ?? {}, "where");
      const whereType = takesWhere ? getNamedType(field.args!["where"]!.type).name : null;
      const entityMutation = typeName === "Mutation" && /^(create|update|delete)[A-Z]/.test(fieldName);
      return {
        ...field,
        async resolve(source, args: Record<string, unknown>, context: RequestContext, info) {
          const user = requireUser(context.principal);
          const scoped = takesWhere ? { ...args, where: scopeWhere(args["where"], user.tenantId) } : args;
          if (entityMutation) {
            const targets: Array<{ typeName: string; where: unknown }> = [];
            if (whereType?.endsWith("Where") && /^(update|delete)/.test(fieldName))
              targets.push({ typeName: whereType.slice(0, -5), where: args["where"] ?? {} });
            for (const arg of info.parentType.getFields()[fieldName]?.args ?? [])
              if (arg.name !== "where") nestedTargets(args[arg.name], arg.type, targets);
            if (targets.length) await refuseHeld(targets, context, info.schema, options);
          }
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
