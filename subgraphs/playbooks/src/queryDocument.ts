import { Kind, parse } from "graphql";

/**
 * Checks a GRAPH_QUERY step's document: it must parse and hold exactly one
 * operation, a `query` (no mutation, subscription or second operation;
 * fragments are fine). Returns the reason it is refused, or null.
 */
export function refuseQueryDocument(source: unknown): string | null {
  if (typeof source !== "string" || !source.trim()) return "config.query must be a GraphQL query document";
  let document;
  try {
    document = parse(source);
  } catch (error) {
    return `config.query does not parse: ${(error as Error).message}`;
  }
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (operations.length !== 1) return `config.query must hold exactly one operation, it has ${operations.length}`;
  const [operation] = operations;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== "query") {
    return `config.query must be a read-only query, not a ${operation?.kind === Kind.OPERATION_DEFINITION ? operation.operation : "definition"}`;
  }
  if (document.definitions.some((d) => d.kind !== Kind.OPERATION_DEFINITION && d.kind !== Kind.FRAGMENT_DEFINITION)) {
    return "config.query may hold only a query and its fragments";
  }
  return null;
}
