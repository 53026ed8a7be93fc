import { MapperKind, mapSchema } from "@graphql-tools/utils";
import { GraphQLError, type GraphQLSchema } from "graphql";
import { applyMiddleware } from "graphql-middleware";
import { allow, rule, shield } from "graphql-shield";
import type { RequestContext } from "@intelgraph/kit";
import { decide } from "./decide.ts";
import { FEDERATION_OPERATIONS, OPERATIONS, type OperationRule } from "./operations.ts";

/** The rule every root field gets: the policy decision, as a graphql-shield rule. */
function policyRule(operation: string, policy: OperationRule | undefined) {
  return rule(`policy:${operation}`, { cache: "no_cache" })((_parent, _args, context: RequestContext) => {
    const decision = decide(context.principal, policy, operation);
    if (decision.allow) return true;
    return new GraphQLError(decision.message, {
      extensions: { code: decision.code, operation, requiredPermission: decision.requiredPermission },
    });
  });
}

/** Every root field of `schema` with the rule that covers it (undefined: none, so denied). */
export function rootOperations(schema: GraphQLSchema): Array<{ operation: string; policy: OperationRule | undefined }> {
  const out: Array<{ operation: string; policy: OperationRule | undefined }> = [];
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.keys(type.getFields())) {
      const operation = `${type.name}.${field}`;
      out.push({ operation, policy: OPERATIONS[operation] ?? FEDERATION_OPERATIONS[operation] });
    }
  }
  return out;
}

/**
 * Compiles the policies into graphql-shield rules for one subgraph's schema:
 * each root field gets its operation's rule, and anything without one is
 * denied (deny by default). Nested fields are not root operations; what they
 * return is scoped to the caller's tenant by the data layer.
 */
export function protectSchema(schema: GraphQLSchema): GraphQLSchema {
  const tree: Record<string, Record<string, ReturnType<typeof policyRule>>> = {};
  for (const { operation, policy } of rootOperations(schema)) {
    const [typeName, field] = operation.split(".") as [string, string];
    (tree[typeName] ??= {})[field] = policyRule(operation, policy);
  }
  // `allowExternalErrors` keeps resolvers' own errors (BAD_USER_INPUT, …) instead of masking them.
  const shielded = applyMiddleware(schema, shield(tree, { fallbackRule: allow, allowExternalErrors: true }));
  // graphql-middleware wraps a subscription field's `resolve` (run per event) when it has one,
  // not its `subscribe`; refuse the subscription itself up front as well.
  return mapSchema(shielded, {
    [MapperKind.SUBSCRIPTION_ROOT_FIELD]: (field, fieldName) => {
      const subscribe = field.subscribe;
      if (!subscribe) return field;
      const operation = `Subscription.${fieldName}`;
      const policy = OPERATIONS[operation];
      return {
        ...field,
        subscribe(source, args, context: RequestContext, info) {
          const decision = decide(context.principal, policy, operation);
          if (!decision.allow)
            throw new GraphQLError(decision.message, {
              extensions: { code: decision.code, operation, requiredPermission: decision.requiredPermission },
            });
          return subscribe(source, args, context, info);
        },
      };
    },
  });
}
