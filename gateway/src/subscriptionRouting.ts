import { getOperationAST, Kind, parse, type ConstDirectiveNode, type DocumentNode, type ObjectTypeDefinitionNode } from "graphql";

function argument(directive: ConstDirectiveNode, name: string): string | undefined {
  const arg = directive.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  return arg.value.kind === Kind.ENUM || arg.value.kind === Kind.STRING ? arg.value.value : undefined;
}

/**
 * Reads, from the supergraph, which subgraph owns each field of a root type:
 * `@join__field(graph:)` when present, else the type's single `@join__type(graph:)`.
 * Returns field name → subgraph name (as declared by `@join__graph(name:)`).
 */
export function rootFieldOwners(
  supergraphSdl: string | DocumentNode,
  rootType: "Query" | "Mutation" | "Subscription",
): Map<string, string> {
  const document = typeof supergraphSdl === "string" ? parse(supergraphSdl) : supergraphSdl;
  const graphNames = new Map<string, string>();
  let rootDefinition: ObjectTypeDefinitionNode | undefined;

  for (const definition of document.definitions) {
    if (definition.kind === Kind.ENUM_TYPE_DEFINITION && definition.name.value === "join__Graph") {
      for (const value of definition.values ?? []) {
        const joinGraph = value.directives?.find((d) => d.name.value === "join__graph");
        const name = joinGraph && argument(joinGraph, "name");
        if (name) graphNames.set(value.name.value, name);
      }
    }
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === rootType) {
      rootDefinition = definition;
    }
  }

  const owners = new Map<string, string>();
  if (!rootDefinition) return owners;
  const typeGraphs = (rootDefinition.directives ?? []).filter((d) => d.name.value === "join__type").map((d) => argument(d, "graph"));
  for (const field of rootDefinition.fields ?? []) {
    const fieldGraph = field.directives?.find((d) => d.name.value === "join__field");
    const graph = (fieldGraph && argument(fieldGraph, "graph")) ?? (typeGraphs.length === 1 ? typeGraphs[0] : undefined);
    const name = graph && graphNames.get(graph);
    if (name) owners.set(field.name.value, name);
  }
  return owners;
}

/** Which subgraph owns each root Subscription field (the gateway routes each subscription to it). */
export const subscriptionOwners = (supergraphSdl: string | DocumentNode) => rootFieldOwners(supergraphSdl, "Subscription");

/**
 * The one subgraph a subscription document's root fields belong to (by
 * `owners`, from `subscriptionOwners`); undefined when it selects fields of
 * several subgraphs, of none, or fields no subgraph owns.
 */
export function subscriptionOwner(
  document: DocumentNode,
  operationName: string | null | undefined,
  owners: ReadonlyMap<string, string>,
): string | undefined {
  const operation = getOperationAST(document, operationName);
  const fields = (operation?.selectionSet.selections ?? []).flatMap((s) =>
    s.kind === Kind.FIELD && s.name.value !== "__typename" ? [s.name.value] : [],
  );
  const subgraphs = new Set(fields.map((f) => owners.get(f)));
  const [owner] = [...subgraphs];
  return subgraphs.size === 1 ? owner : undefined;
}
