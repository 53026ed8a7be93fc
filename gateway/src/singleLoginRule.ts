import { GraphQLError, type ValidationRule } from "graphql";

/**
 * At most one `login` per operation: aliases would otherwise let one request
 * try many passwords past the per-request rate limit.
 */
export const singleLoginRule: ValidationRule = (context) => {
  let logins = 0;
  return {
    Field(node) {
      if (node.name.value !== "login" || context.getParentType()?.name !== "Mutation") return;
      if (++logins === 2) {
        context.reportError(new GraphQLError("Sign in once per request: `login` may appear only once in an operation.", { nodes: [node] }));
      }
    },
  };
};
