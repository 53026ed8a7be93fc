/**
 * What a question may talk about, read from the graph's own schema (the
 * @neo4j/graphql type definitions), never from a list of questions: node
 * labels, their properties, and the relationship types between them with
 * their direction. The compiler accepts nothing outside it, so a label, a
 * relationship type or a property in generated Cypher always comes from here.
 */
import { Kind, parse, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from "graphql";
import { typeDefs } from "../typeDefs.ts";

export interface RelationshipType {
  type: string;
  from: string;
  to: string;
}

export interface GraphVocabulary {
  /** Label → properties a question may filter on or return. */
  labels: ReadonlyMap<string, ReadonlySet<string>>;
  relationships: readonly RelationshipType[];
  /** Properties of type DateTime (compared as `datetime($p)`). */
  dateTimes: ReadonlySet<string>;
}

/**
 * Properties the compiler owns or that carry no meaning for a question: the
 * tenant is never a filter a question sets (the generator adds it to every
 * node), and the hold and provenance bookkeeping stays out of answers.
 */
const INTERNAL_PROPERTIES = new Set(["tenantId", "legalHolds", "legalHeld", "recordHash", "ingestJobIds"]);

const directiveArg = (field: FieldDefinitionNode, directive: string, arg: string): string | undefined => {
  const found = field.directives?.find((d) => d.name.value === directive)?.arguments?.find((a) => a.name.value === arg);
  return found && (found.value.kind === Kind.STRING || found.value.kind === Kind.ENUM) ? found.value.value : undefined;
};

const namedType = (field: FieldDefinitionNode): string => {
  let type = field.type;
  while (type.kind !== Kind.NAMED_TYPE) type = type.type;
  return type.name.value;
};

/** Builds the vocabulary from type definitions (the graph's own by default). */
export function createGraphVocabulary(source: string = typeDefs): GraphVocabulary {
  const nodes = parse(source).definitions.filter(
    (d): d is ObjectTypeDefinitionNode => d.kind === Kind.OBJECT_TYPE_DEFINITION && !!d.directives?.some((x) => x.name.value === "node"),
  );
  const labels = new Map<string, Set<string>>();
  const relationships: RelationshipType[] = [];
  const names = new Set(nodes.map((n) => n.name.value));
  const dateTimes = new Set<string>();
  for (const node of nodes) {
    const properties = new Set<string>();
    for (const field of node.fields ?? []) {
      const type = directiveArg(field, "relationship", "type");
      if (type === undefined) {
        if (!INTERNAL_PROPERTIES.has(field.name.value)) properties.add(field.name.value);
        if (namedType(field) === "DateTime") dateTimes.add(field.name.value);
        continue;
      }
      // Each relationship is declared on both ends; keep the outgoing side once.
      const to = namedType(field);
      if (directiveArg(field, "relationship", "direction") === "OUT" && names.has(to))
        relationships.push({ type, from: node.name.value, to });
    }
    labels.set(node.name.value, properties);
  }
  return { labels, relationships, dateTimes };
}

/** The relationship types that join `from` and `to` in either direction, as `{ type, from, to }` of the schema. */
export function relationshipsBetween(vocabulary: GraphVocabulary, a: string, b: string): RelationshipType[] {
  return vocabulary.relationships.filter((r) => (r.from === a && r.to === b) || (r.from === b && r.to === a));
}

/** The property that names a thing of `label` (name, title, address, pattern; else its id). */
export function displayProperty(vocabulary: GraphVocabulary, label: string): string {
  const properties = vocabulary.labels.get(label);
  return ["name", "title", "address", "pattern"].find((p) => properties?.has(p)) ?? "id";
}
