import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from "graphql";

const CONNECTION_PARTS = new Set(["edges", "node"]);

/**
 * A selection set for `type`: every scalar field, and object fields without
 * required arguments up to `depth` levels. Enough to see any data a field
 * could leak, generated from the schema so new fields are included.
 */
export function selectionFor(type: GraphQLOutputType, depth = 2): string {
  const named = getNamedType(type);
  if (!isObjectType(named)) return "";
  const parts: string[] = [];
  for (const field of Object.values(named.getFields()) as GraphQLField<unknown, unknown>[]) {
    if (field.args.some((a) => isNonNullType(a.type))) continue;
    const inner = getNamedType(field.type);
    if (isScalarType(inner) || isEnumType(inner)) parts.push(field.name);
    else if (isObjectType(inner) && (depth > 0 || CONNECTION_PARTS.has(field.name))) {
      // Connection plumbing (edges, node) costs no depth: the node is what could leak.
      const sub = selectionFor(field.type, CONNECTION_PARTS.has(field.name) ? depth : depth - 1);
      if (sub) parts.push(`${field.name} ${sub}`);
    }
  }
  return parts.length ? `{ ${parts.join(" ")} }` : "";
}

/** A minimal valid value for an input type: required fields only, placeholder scalars. */
export function minimalInput(type: GraphQLInputType, marker: string): unknown {
  if (isNonNullType(type)) return minimalInput(type.ofType, marker);
  if (isListType(type)) return [minimalInput(type.ofType, marker)];
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type)) value[field.name] = minimalInput(field.type, marker);
    }
    return value;
  }
  if (isEnumType(type)) return type.getValues()[0]?.value;
  switch (getNamedType(type).name) {
    case "Int":
      return 1;
    case "Float":
      return 0.5;
    case "Boolean":
      return true;
    default:
      return marker;
  }
}
